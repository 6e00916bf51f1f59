/**
 * Perceptual hash (pHash, as in the `imagehash` library): the image is reduced to 32x32 grey by
 * area averaging, transformed by a 2-D DCT-II, and the 8x8 lowest frequencies are compared
 * with their median; each coefficient above the median is a 1 bit. Small changes (noise,
 * recompression, a little brightness or contrast) move few bits, so the Hamming distance
 * between two hashes measures how alike two faces look. Bit k (row-major over the 8x8 block,
 * k = 8u + v) is bit (63 - k) of the 64-bit value, split into `hi` (bits 63..32) and `lo`.
 */

export const PHASH_SIZE = 32;
export const PHASH_LOW = 8;

export interface PHash {
  hi: number;
  lo: number;
}

/** Weights of an area-averaging resize from n source samples to m: row i sums to 1. */
function areaWeights(n: number, m: number): Float64Array {
  const w = new Float64Array(m * n);
  const scale = n / m;
  for (let i = 0; i < m; i++) {
    const start = i * scale;
    const end = start + scale;
    for (let j = Math.floor(start); j < Math.min(n, Math.ceil(end)); j++) {
      const overlap = Math.min(end, j + 1) - Math.max(start, j);
      if (overlap > 0) w[i * n + j] = overlap / scale;
    }
  }
  return w;
}

/** Area-averaged resize of a width x height grey image to PHASH_SIZE x PHASH_SIZE (row-major). */
export function resizeForPHash(pixels: Uint8Array, width: number, height: number): Float64Array {
  if (pixels.length !== width * height) throw new Error(`pHash: ${pixels.length} pixels for a ${width}x${height} image`);
  const S = PHASH_SIZE;
  const wx = areaWeights(width, S);
  const wy = areaWeights(height, S);
  const rows = new Float64Array(height * S);
  for (let y = 0; y < height; y++) {
    for (let i = 0; i < S; i++) {
      let acc = 0;
      for (let x = 0; x < width; x++) acc += wx[i * width + x] * pixels[y * width + x];
      rows[y * S + i] = acc;
    }
  }
  const out = new Float64Array(S * S);
  for (let j = 0; j < S; j++) {
    for (let i = 0; i < S; i++) {
      let acc = 0;
      for (let y = 0; y < height; y++) acc += wy[j * height + y] * rows[y * S + i];
      out[j * S + i] = acc;
    }
  }
  return out;
}

/** cos(pi * (2x + 1) * u / (2N)) for u < PHASH_LOW, x < N: the only DCT rows pHash needs. */
const COS = (() => {
  const N = PHASH_SIZE;
  const c = new Float64Array(PHASH_LOW * N);
  for (let u = 0; u < PHASH_LOW; u++) for (let x = 0; x < N; x++) c[u * N + x] = Math.cos((Math.PI * (2 * x + 1) * u) / (2 * N));
  return c;
})();

/**
 * The 8x8 low-frequency block of the unnormalised 2-D DCT-II of a 32x32 image,
 * D[u][v] = sum_y sum_x img[y][x] cos(pi(2y+1)u/64) cos(pi(2x+1)v/64), row-major (u = row frequency).
 * The same scale on every coefficient (scipy's norm=None differs by a constant 4), so the median split is unaffected.
 */
export function lowDct(img: Float64Array): Float64Array {
  const N = PHASH_SIZE;
  const L = PHASH_LOW;
  if (img.length !== N * N) throw new Error(`lowDct: expected ${N * N} values, got ${img.length}`);
  const t = new Float64Array(N * L); // t[y][v] = sum_x img[y][x] cos(v, x)
  for (let y = 0; y < N; y++) {
    for (let v = 0; v < L; v++) {
      let acc = 0;
      for (let x = 0; x < N; x++) acc += img[y * N + x] * COS[v * N + x];
      t[y * L + v] = acc;
    }
  }
  const d = new Float64Array(L * L);
  for (let u = 0; u < L; u++) {
    for (let v = 0; v < L; v++) {
      let acc = 0;
      for (let y = 0; y < N; y++) acc += t[y * L + v] * COS[u * N + y];
      d[u * L + v] = acc;
    }
  }
  return d;
}

/** The 64 bits of a coefficient block: coefficient k above the block's median sets bit 63 - k. */
export function hashFromCoefficients(d: Float64Array): PHash {
  if (d.length !== 64) throw new Error(`pHash: expected 64 coefficients, got ${d.length}`);
  const sorted = Float64Array.from(d).sort();
  const median = (sorted[31] + sorted[32]) / 2;
  let hi = 0;
  let lo = 0;
  for (let k = 0; k < 64; k++) {
    if (!(d[k] > median)) continue;
    if (k < 32) hi |= 1 << (31 - k);
    else lo |= 1 << (63 - k);
  }
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

export function pHash(pixels: Uint8Array, width: number, height: number): PHash {
  return hashFromCoefficients(lowDct(resizeForPHash(pixels, width, height)));
}

export function pHashToHex(h: PHash): string {
  return h.hi.toString(16).padStart(8, '0') + h.lo.toString(16).padStart(8, '0');
}

export function pHashFromHex(hex: string): PHash {
  if (!/^[0-9a-f]{16}$/.test(hex)) throw new Error(`pHash: "${hex}" is not 16 lower-case hex digits`);
  return { hi: Number.parseInt(hex.slice(0, 8), 16), lo: Number.parseInt(hex.slice(8), 16) };
}

function popcount32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

export function hamming(a: PHash, b: PHash): number {
  return popcount32((a.hi ^ b.hi) >>> 0) + popcount32((a.lo ^ b.lo) >>> 0);
}
