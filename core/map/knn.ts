/**
 * Approximate k nearest neighbours (Euclidean) for the face map, in typed arrays so 300,000
 * faces fit in memory: a forest of random-projection trees (each leaf's points compared with
 * each other), then rounds of neighbour-of-neighbour refinement (the NN-descent idea). Seeded:
 * the same data and seed give the same lists. Each list starts with the point itself at
 * distance 0, as UMAP's reference implementation has it.
 */
import { Rng } from '../util/rng.ts';

export interface KnnGraph {
  k: number;
  /** n×k neighbour indices, each row sorted by distance, row i starting with i. */
  indices: Int32Array;
  /** n×k Euclidean distances matching indices. */
  distances: Float32Array;
}

export interface KnnOptions {
  k: number;
  seed: number;
  /** Random-projection trees (default 6). */
  trees?: number;
  /** Largest leaf (default 2k, at least 16). */
  leafSize?: number;
  /** Neighbour-of-neighbour rounds (default 2). */
  refinements?: number;
  /** Called after each tree and each round with (done, total); return true to stop (throws KnnCancelled). */
  onProgress?: (done: number, total: number) => boolean | void;
}

export class KnnCancelled extends Error {
  constructor() {
    super('the neighbour search was cancelled');
  }
}

function sqDist(x: ArrayLike<number>, d: number, a: number, b: number): number {
  let s = 0;
  const oa = a * d;
  const ob = b * d;
  for (let c = 0; c < d; c++) {
    const t = x[oa + c] - x[ob + c];
    s += t * t;
  }
  return s;
}

/** Inserts candidate j at squared distance dist into i's sorted list unless present or too far. */
function push(idx: Int32Array, dst: Float64Array, k: number, i: number, j: number, dist: number): boolean {
  const o = i * k;
  if (dist >= dst[o + k - 1]) return false;
  for (let t = 0; t < k; t++) if (idx[o + t] === j) return false;
  let p = k - 1;
  while (p > 0 && dst[o + p - 1] > dist) {
    dst[o + p] = dst[o + p - 1];
    idx[o + p] = idx[o + p - 1];
    p--;
  }
  dst[o + p] = dist;
  idx[o + p] = j;
  return true;
}

/** Splits the points of `ids` recursively by random hyperplanes; calls leaf() with each leaf's points. */
function rpTree(x: ArrayLike<number>, d: number, ids: Int32Array, leafSize: number, rng: Rng, leaf: (pts: Int32Array) => void): void {
  const stack: Int32Array[] = [ids];
  const normal = new Float64Array(d);
  while (stack.length > 0) {
    const pts = stack.pop()!;
    if (pts.length <= leafSize) {
      leaf(pts);
      continue;
    }
    const a = pts[rng.int(pts.length)];
    let b = pts[rng.int(pts.length)];
    for (let t = 0; t < 8 && b === a; t++) b = pts[rng.int(pts.length)];
    let offset = 0;
    for (let c = 0; c < d; c++) {
      normal[c] = x[a * d + c] - x[b * d + c];
      offset += normal[c] * (x[a * d + c] + x[b * d + c]) * 0.5;
    }
    const side = new Uint8Array(pts.length);
    let left = 0;
    for (let p = 0; p < pts.length; p++) {
      let s = -offset;
      const o = pts[p] * d;
      for (let c = 0; c < d; c++) s += normal[c] * x[o + c];
      // Points on the plane (duplicates, a == b) go to a random side so the split always progresses.
      const goLeft = s < 0 || (s === 0 && rng.next() < 0.5);
      side[p] = goLeft ? 1 : 0;
      if (goLeft) left++;
    }
    if (left === 0 || left === pts.length) {
      // Every point on one side (identical points): halve at random instead.
      for (let p = 0; p < pts.length; p++) side[p] = p < pts.length / 2 ? 1 : 0;
      left = Math.ceil(pts.length / 2);
    }
    const l = new Int32Array(left);
    const r = new Int32Array(pts.length - left);
    let li = 0;
    let ri = 0;
    for (let p = 0; p < pts.length; p++) {
      if (side[p]) l[li++] = pts[p];
      else r[ri++] = pts[p];
    }
    stack.push(l, r);
  }
}

/** The k nearest neighbours (self included) of each of the rows×d points. */
export function nearestNeighbours(x: ArrayLike<number>, rows: number, d: number, opts: KnnOptions): KnnGraph {
  const k = Math.min(opts.k, rows);
  if (k < 2) throw new Error(`neighbour search: needs k >= 2 and at least 2 points (k ${opts.k}, ${rows} points)`);
  const rng = new Rng(opts.seed);
  const trees = opts.trees ?? 6;
  const leafSize = Math.max(16, opts.leafSize ?? 2 * k);
  const rounds = opts.refinements ?? 2;
  const idx = new Int32Array(rows * k).fill(-1);
  const dst = new Float64Array(rows * k).fill(Infinity);
  for (let i = 0; i < rows; i++) push(idx, dst, k, i, i, 0);
  const all = Int32Array.from({ length: rows }, (_, i) => i);
  const total = trees + rounds;
  for (let t = 0; t < trees; t++) {
    rpTree(x, d, all, leafSize, rng, (pts) => {
      for (let p = 0; p < pts.length; p++) {
        for (let q = p + 1; q < pts.length; q++) {
          const dd = sqDist(x, d, pts[p], pts[q]);
          push(idx, dst, k, pts[p], pts[q], dd);
          push(idx, dst, k, pts[q], pts[p], dd);
        }
      }
    });
    if (opts.onProgress?.(t + 1, total)) throw new KnnCancelled();
  }
  // Neighbours of neighbours: a point's true neighbours are very likely among them.
  const snapshot = new Int32Array(rows * k);
  for (let r = 0; r < rounds; r++) {
    snapshot.set(idx);
    let changed = 0;
    for (let i = 0; i < rows; i++) {
      for (let a = 1; a < k; a++) {
        const j = snapshot[i * k + a];
        if (j < 0) continue;
        for (let b = 1; b < k; b++) {
          const l = snapshot[j * k + b];
          if (l < 0 || l === i) continue;
          const dd = sqDist(x, d, i, l);
          if (push(idx, dst, k, i, l, dd)) changed++;
          if (push(idx, dst, k, l, i, dd)) changed++;
        }
      }
    }
    if (opts.onProgress?.(trees + r + 1, total)) throw new KnnCancelled();
    if (changed === 0) break;
  }
  const distances = new Float32Array(rows * k);
  for (let i = 0; i < rows * k; i++) distances[i] = Math.sqrt(dst[i]);
  return { k, indices: idx, distances };
}
