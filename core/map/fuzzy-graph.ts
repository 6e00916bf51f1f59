/**
 * UMAP's fuzzy simplicial set (McInnes et al. 2018, sec. 3; the reference implementation's
 * smooth_knn_dist and compute_membership_strengths, as umap-js has them) from a k-nearest-
 * neighbour graph, in typed arrays. umap-js builds the same graph in string-keyed sparse
 * matrices, which take 1.4 GB at 35,000 points and cannot reach 300,000; its own result is the
 * oracle of the tests (fuzzy-graph.test.ts).
 */
import type { KnnGraph } from './knn.ts';

const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;

export interface FuzzyGraph {
  /** Directed edges, both directions of every undirected edge (as UMAP's symmetric matrix lists them). */
  head: Int32Array;
  tail: Int32Array;
  weight: Float32Array;
}

/** Per point: rho (distance to the nearest other point) and sigma (so the memberships sum to log2 k). */
export function smoothKnnDistances(g: KnnGraph): { sigmas: Float64Array; rhos: Float64Array } {
  const { k, distances } = g;
  const n = distances.length / k;
  const target = Math.log2(k);
  const sigmas = new Float64Array(n);
  const rhos = new Float64Array(n);
  let meanAll = 0;
  for (let i = 0; i < distances.length; i++) meanAll += distances[i] / distances.length;
  for (let i = 0; i < n; i++) {
    const o = i * k;
    let rho = 0;
    // localConnectivity 1: the first non-zero distance (the list is sorted).
    for (let j = 0; j < k; j++) {
      if (distances[o + j] > 0) {
        rho = distances[o + j];
        break;
      }
    }
    let lo = 0;
    let hi = Infinity;
    let mid = 1;
    for (let it = 0; it < 64; it++) {
      let psum = 0;
      for (let j = 1; j < k; j++) {
        const d = distances[o + j] - rho;
        psum += d > 0 ? Math.exp(-(d / mid)) : 1;
      }
      if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
      if (psum > target) {
        hi = mid;
        mid = (lo + hi) / 2;
      } else {
        lo = mid;
        mid = hi === Infinity ? mid * 2 : (lo + hi) / 2;
      }
    }
    let mean = meanAll;
    if (rho > 0) {
      mean = 0;
      for (let j = 0; j < k; j++) mean += distances[o + j] / k;
    }
    sigmas[i] = Math.max(mid, MIN_K_DIST_SCALE * mean);
    rhos[i] = rho;
  }
  return { sigmas, rhos };
}

/** The symmetrised membership graph: w_ij + w_ji - w_ij·w_ji for every pair in either list. */
export function fuzzyGraph(g: KnnGraph): FuzzyGraph {
  const { k, indices, distances } = g;
  const n = indices.length / k;
  const { sigmas, rhos } = smoothKnnDistances(g);
  const w = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      const e = i * k + j;
      const nb = indices[e];
      if (nb < 0 || nb === i) continue;
      const d = distances[e] - rhos[i];
      w[e] = d <= 0 ? 1 : Math.exp(-(d / sigmas[i]));
    }
  }
  /** Weight of j -> i (0 when i is not in j's list). */
  const reverse = (i: number, j: number): number => {
    for (let t = 0; t < k; t++) if (indices[j * k + t] === i) return w[j * k + t];
    return 0;
  };
  const head: number[] = [];
  const tail: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < k; t++) {
      const j = indices[i * k + t];
      const a = w[i * k + t];
      if (j < 0 || j === i || a === 0) continue;
      const b = reverse(i, j);
      // A pair in both lists is emitted from the smaller index only; a one-sided pair from its side.
      if (b > 0 && j < i) continue;
      const s = a + b - a * b;
      head.push(i, j);
      tail.push(j, i);
      weight.push(s, s);
    }
  }
  return { head: Int32Array.from(head), tail: Int32Array.from(tail), weight: Float32Array.from(weight) };
}
