/**
 * Near-duplicate pairs: faces whose perceptual hashes differ in at most `threshold` bits.
 * Bounded work by multi-index hashing: the 64 bits are cut into threshold + 1 chunks; two
 * hashes within `threshold` bits agree exactly on at least one chunk (pigeonhole), so only
 * faces sharing a chunk value are compared, never all pairs.
 */
import { hamming, type PHash } from './phash.ts';

export const DEFAULT_NEAR_THRESHOLD = 4;
/** Above this a chunk is under 5 bits wide and the buckets approach all pairs; such loose matches are not near-duplicates anyway. */
export const MAX_NEAR_THRESHOLD = 12;

export interface NearPair {
  a: number;
  b: number;
  distance: number;
}

/** Bit ranges [start, end) over 0..63 (bit 0 = the most significant bit of `hi`). */
function chunks(count: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let c = 0; c < count; c++) out.push([Math.floor((c * 64) / count), Math.floor(((c + 1) * 64) / count)]);
  return out;
}

/** Bits [start, end) of the hash as an unsigned integer (end - start <= 32). */
function bitsOf(h: PHash, start: number, end: number): number {
  let v = 0;
  for (let k = start; k < end; k++) {
    const bit = k < 32 ? (h.hi >>> (31 - k)) & 1 : (h.lo >>> (63 - k)) & 1;
    v = v * 2 + bit;
  }
  return v;
}

/**
 * Pairs (a < b, indices into `hashes`) within `threshold` bits, sorted by (a, b). `skip[i]`
 * leaves face i out (blank images all share one hash and say nothing about duplication).
 */
export function nearDuplicatePairs(hashes: readonly PHash[], threshold: number, skip?: ArrayLike<boolean>): NearPair[] {
  if (!Number.isInteger(threshold) || threshold < 0 || threshold > MAX_NEAR_THRESHOLD) {
    throw new Error(`near-duplicates: the threshold must be an integer 0..${MAX_NEAR_THRESHOLD} bits, got ${threshold}`);
  }
  const n = hashes.length;
  const seen = new Set<number>();
  const pairs: NearPair[] = [];
  for (const [start, end] of chunks(threshold + 1)) {
    const buckets = new Map<number, number[]>();
    for (let i = 0; i < n; i++) {
      if (skip?.[i]) continue;
      const key = bitsOf(hashes[i], start, end);
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    }
    for (const list of buckets.values()) {
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) {
          const a = list[x];
          const b = list[y];
          const key = a * n + b; // a < b: indices were pushed in ascending order
          if (seen.has(key)) continue;
          const d = hamming(hashes[a], hashes[b]);
          if (d > threshold) continue;
          seen.add(key);
          pairs.push({ a, b, distance: d });
        }
      }
    }
  }
  return pairs.sort((p, q) => p.a - q.a || p.b - q.b);
}
