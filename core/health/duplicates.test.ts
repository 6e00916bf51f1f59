import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Split } from '../../api/domain.ts';
import { Rng } from '../util/rng.ts';
import { exactDuplicateGroups, summariseExactDuplicates, type HashedFace } from './exact-duplicates.ts';
import { nearDuplicatePairs } from './near-duplicates.ts';
import { hamming, type PHash } from './phash.ts';
import { pixelHash } from './pixel-hash.ts';

test('exact duplicates: groups within and across splits, a hash collision is not a duplicate', () => {
  const img = (v: number) => new Uint8Array(16).fill(v);
  const pixels = new Map<number, Uint8Array>([
    [1, img(1)], [2, img(1)], // train+train
    [3, img(2)], [4, img(2)], [5, img(2)], // train+valid+test
    [6, img(3)], [7, img(3)], // valid+test
    [8, img(4)], // alone
    [9, img(5)], [10, img(6)], // forced to the same hash below: different bytes
  ]);
  const split: Record<number, Split> = { 1: 'train', 2: 'train', 3: 'train', 4: 'valid', 5: 'test', 6: 'valid', 7: 'test', 8: 'train', 9: 'train', 10: 'train' };
  const faces: HashedFace[] = [...pixels].map(([id, p]) => ({ id, split: split[id], pixelHash: id >= 9 ? 'collide' : pixelHash(p, 4, 4) }));
  const same = (a: number, b: number) => Buffer.compare(pixels.get(a)!, pixels.get(b)!) === 0;
  const groups = exactDuplicateGroups(faces, same);
  assert.deepEqual(groups, [
    { ids: [1, 2], splits: ['train'] },
    { ids: [3, 4, 5], splits: ['train', 'valid', 'test'] },
    { ids: [6, 7], splits: ['valid', 'test'] },
  ]);
  assert.deepEqual(summariseExactDuplicates(groups), {
    groups: 3,
    redundantFaces: 4,
    withinSplit: { train: 1, valid: 0, test: 0 },
    crossSplit: { 'train+valid': 0, 'train+test': 0, 'valid+test': 1, 'train+valid+test': 1 },
  });
});

test('pixelHash differs for one changed pixel and for the same bytes at another size', () => {
  const a = Uint8Array.from({ length: 16 }, (_, i) => i * 7);
  const b = Uint8Array.from(a);
  b[9] ^= 1;
  assert.notEqual(pixelHash(a, 4, 4), pixelHash(b, 4, 4));
  assert.notEqual(pixelHash(a, 4, 4), pixelHash(a, 2, 8));
  assert.equal(pixelHash(a, 4, 4), pixelHash(Uint8Array.from(a), 4, 4));
});

test('near duplicates by multi-index hashing find exactly the pairs brute force finds', () => {
  const rng = new Rng(5);
  const word = () => (rng.int(0x10000) * 0x10000 + rng.int(0x10000)) >>> 0;
  // Clusters of hashes a few bits apart, plus random ones: both close and far pairs exist.
  const hashes: PHash[] = [];
  for (let c = 0; c < 40; c++) {
    const base = { hi: word(), lo: word() };
    for (let k = 0; k < 5; k++) {
      const h = { ...base };
      for (let f = rng.int(7); f > 0; f--) {
        const bit = rng.int(64);
        if (bit < 32) h.hi = (h.hi ^ (1 << bit)) >>> 0;
        else h.lo = (h.lo ^ (1 << (bit - 32))) >>> 0;
      }
      hashes.push(h);
    }
  }
  for (let i = 0; i < 100; i++) hashes.push({ hi: word(), lo: word() });
  const skip = hashes.map((_, i) => i % 17 === 0);
  for (const t of [0, 2, 4, 7, 12]) {
    const expected = [];
    for (let a = 0; a < hashes.length; a++) {
      for (let b = a + 1; b < hashes.length; b++) {
        if (skip[a] || skip[b]) continue;
        const d = hamming(hashes[a], hashes[b]);
        if (d <= t) expected.push({ a, b, distance: d });
      }
    }
    assert.deepEqual(nearDuplicatePairs(hashes, t, skip), expected, `threshold ${t}`);
    if (t === 4) assert.ok(expected.length > 50, 'the fixture has close pairs to find');
  }
  assert.throws(() => nearDuplicatePairs(hashes, 13), /threshold must be an integer 0\.\.12/);
});
