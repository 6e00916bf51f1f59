import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { PHASH_SIZE, hamming, hashFromCoefficients, lowDct, pHash, pHashFromHex, pHashToHex, resizeForPHash } from './phash.ts';

const N = PHASH_SIZE;
const rngFn = (seed: number) => {
  const r = new Rng(seed);
  return () => r.next();
};

/** The DCT-II straight from its definition, one coefficient at a time (O(N^2) each): the oracle for the separable code. */
function naiveDct(img: Float64Array, u: number, v: number): number {
  let acc = 0;
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) acc += img[y * N + x] * Math.cos((Math.PI * (2 * y + 1) * u) / (2 * N)) * Math.cos((Math.PI * (2 * x + 1) * v) / (2 * N));
  return acc;
}

test('lowDct equals the DCT-II definition on a random image', () => {
  const rnd = rngFn(7);
  const img = Float64Array.from({ length: N * N }, () => rnd() * 255);
  const d = lowDct(img);
  for (let u = 0; u < 8; u++) for (let v = 0; v < 8; v++) assert.ok(Math.abs(d[u * 8 + v] - naiveDct(img, u, v)) < 1e-6, `D[${u}][${v}]`);
});

test('lowDct of a pure vertical cosine has one coefficient, N^2/2 times the amplitude', () => {
  // img[y][x] = 10 cos(pi(2y+1)/64): the u=1, v=0 basis; orthogonality leaves D[1][0] = 10 * (N/2) * N = 5120.
  const img = new Float64Array(N * N);
  for (let y = 0; y < N; y++) for (let x = 0; x < N; x++) img[y * N + x] = 10 * Math.cos((Math.PI * (2 * y + 1)) / (2 * N));
  const d = lowDct(img);
  assert.ok(Math.abs(d[8] - 5120) < 1e-9);
  for (let k = 0; k < 64; k++) if (k !== 8) assert.ok(Math.abs(d[k]) < 1e-9, `coefficient ${k} is ${d[k]}`);
});

test('hash bits: coefficients above the median, first coefficient = most significant bit', () => {
  // 0..63: median 31.5, so coefficients 32..63 (the whole low word) are 1 bits.
  assert.deepEqual(hashFromCoefficients(Float64Array.from({ length: 64 }, (_, k) => k)), { hi: 0, lo: 0xffffffff });
  // Only coefficient 0 high: median 0, bit 63 set.
  const one = new Float64Array(64);
  one[0] = 5;
  assert.deepEqual(hashFromCoefficients(one), { hi: 0x80000000, lo: 0 });
});

test('resize: 64x64 becomes the means of 2x2 blocks; 32x32 is unchanged', () => {
  const rnd = rngFn(3);
  const big = Uint8Array.from({ length: 64 * 64 }, () => Math.floor(rnd() * 256));
  const r = resizeForPHash(big, 64, 64);
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const m = (big[2 * y * 64 + 2 * x] + big[2 * y * 64 + 2 * x + 1] + big[(2 * y + 1) * 64 + 2 * x] + big[(2 * y + 1) * 64 + 2 * x + 1]) / 4;
      assert.ok(Math.abs(r[y * 32 + x] - m) < 1e-9);
    }
  }
  const small = Uint8Array.from({ length: 32 * 32 }, () => Math.floor(rnd() * 256));
  assert.deepEqual(Array.from(resizeForPHash(small, 32, 32)).map((v) => Math.round(v * 1e6) / 1e6), Array.from(small));
  // 48 -> 32: output pixel 0 covers source 0 fully and half of source 1: (a + b/2) / 1.5.
  const row = new Uint8Array(48 * 48);
  for (let y = 0; y < 48; y++) for (let x = 0; x < 48; x++) row[y * 48 + x] = x === 0 ? 90 : x === 1 ? 30 : 0;
  assert.ok(Math.abs(resizeForPHash(row, 48, 48)[0] - (90 + 15) / 1.5) < 1e-9);
});

test('pHash: small noise moves few bits, a different image many; hex round-trips', () => {
  const rnd = rngFn(11);
  const face = (seed: number) => {
    const r = rngFn(seed);
    const cx = 10 + r() * 28;
    const cy = 10 + r() * 28;
    return Uint8Array.from({ length: 48 * 48 }, (_, i) => {
      const x = i % 48;
      const y = Math.floor(i / 48);
      return Math.round(128 + 100 * Math.sin((x - cx) / 6) * Math.cos((y - cy) / 7));
    });
  };
  const a = face(1);
  const noisy = a.map((p) => Math.max(0, Math.min(255, p + Math.round((rnd() - 0.5) * 6))));
  const b = face(2);
  const ha = pHash(a, 48, 48);
  assert.ok(hamming(ha, pHash(noisy, 48, 48)) <= 4, 'noise of +-3 grey levels keeps the hash within 4 bits');
  assert.ok(hamming(ha, pHash(b, 48, 48)) >= 12, 'another pattern is far');
  assert.deepEqual(pHashFromHex(pHashToHex(ha)), ha);
  assert.equal(hamming({ hi: 0xffffffff, lo: 0 }, { hi: 0, lo: 1 }), 33);
});
