/**
 * A seeded 2-D UMAP layout that scales to 300,000 faces. The steps are UMAP's (McInnes et al.
 * 2018): approximate k-nearest neighbours (./knn.ts), the fuzzy simplicial set (./fuzzy-graph.ts)
 * and the stochastic gradient layout of the reference optimize_layout_euclidean (as umap-js's
 * optimizeLayoutStep implements it, with umap-js's findABParams for the curve), here in typed
 * arrays: umap-js's own fit keeps the graph in string-keyed sparse matrices, which took 1.4 GB
 * and 150 s at 35,000 points on this project's 2-core machine and cannot reach 300,000. The
 * start is the data's first two principal components (not random), so few epochs suffice.
 */
// findABParams is exported by umap-js's umap module, not re-exported by its index.
import { findABParams } from 'umap-js/dist/umap.js';
import { Rng } from '../util/rng.ts';
import { fuzzyGraph } from './fuzzy-graph.ts';
import { nearestNeighbours } from './knn.ts';
import { pca, project } from './pca.ts';

export interface UmapOptions {
  seed: number;
  /** Neighbours of the fuzzy graph, the point itself included (default 12). */
  neighbours?: number;
  /** Optimisation epochs (default: 200 up to 10,000 points, 100 up to 100,000, 60 above). */
  epochs?: number;
  /** Minimum distance between embedded points (default 0.1, UMAP's default). */
  minDist?: number;
  /** Called with the stage, done and total; return true to cancel (throws LayoutCancelled). */
  onProgress?: (stage: 'neighbours' | 'layout', done: number, total: number) => boolean | void;
}

export class LayoutCancelled extends Error {
  constructor() {
    super('the map layout was cancelled');
  }
}

const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;

export function defaultEpochs(rows: number): number {
  return rows <= 10_000 ? 200 : rows <= 100_000 ? 100 : 60;
}

/** Embeds rows×d data (row-major) into 2-D; returns rows×2 coordinates. */
export function umapLayout(x: ArrayLike<number>, rows: number, d: number, opts: UmapOptions): Float32Array {
  if (rows < 3) throw new Error(`UMAP: needs at least 3 points, got ${rows}`);
  const rng = new Rng(opts.seed);
  const k = Math.min(opts.neighbours ?? 12, rows);
  const nEpochs = opts.epochs ?? defaultEpochs(rows);
  const knn = nearestNeighbours(x, rows, d, {
    k,
    seed: rng.int(2 ** 31),
    onProgress: (done, total) => opts.onProgress?.('neighbours', done, total),
  });
  const g = fuzzyGraph(knn);
  const y = initialLayout(x, rows, d, rng.int(2 ** 31));
  optimise(y, g, nEpochs, opts.minDist ?? 0.1, rng, (e) => {
    if (opts.onProgress?.('layout', e, nEpochs)) throw new LayoutCancelled();
  });
  return y;
}

/** The first two principal components, scaled into [-10, 10] (the range UMAP's random start uses). */
function initialLayout(x: ArrayLike<number>, rows: number, d: number, seed: number): Float32Array {
  const p = pca(x, rows, d, { k: Math.min(2, d), seed, iterations: 15 });
  const proj = project(x, rows, d, p);
  const kk = p.variances.length;
  const y = new Float32Array(rows * 2);
  for (let c = 0; c < 2; c++) {
    let m = 1e-12;
    for (let r = 0; r < rows; r++) if (c < kk) m = Math.max(m, Math.abs(proj[r * kk + c]));
    for (let r = 0; r < rows; r++) y[r * 2 + c] = c < kk ? (10 * proj[r * kk + c]) / m : 0;
  }
  return y;
}

const clip = (v: number) => (v > CLIP ? CLIP : v < -CLIP ? -CLIP : v);

/** UMAP's layout SGD: attraction along edges sampled by weight, repulsion from random points. */
function optimise(y: Float32Array, g: { head: Int32Array; tail: Int32Array; weight: Float32Array }, nEpochs: number, minDist: number, rng: Rng, onEpoch: (e: number) => void): void {
  const { a, b } = findABParams(1, minDist);
  const n = y.length / 2;
  let max = 0;
  for (let i = 0; i < g.weight.length; i++) max = Math.max(max, g.weight[i]);
  // Edges too weak to be sampled once in nEpochs are dropped, as in UMAP.
  const keep: number[] = [];
  for (let i = 0; i < g.weight.length; i++) if (g.weight[i] >= max / nEpochs) keep.push(i);
  const m = keep.length;
  const head = new Int32Array(m);
  const tail = new Int32Array(m);
  const perSample = new Float64Array(m);
  keep.forEach((e, i) => {
    head[i] = g.head[e];
    tail[i] = g.tail[e];
    perSample[i] = max / g.weight[e];
  });
  const nextSample = Float64Array.from(perSample);
  const perNegative = perSample.map((s) => s / NEGATIVE_SAMPLE_RATE);
  const nextNegative = Float64Array.from(perNegative);
  for (let epoch = 0; epoch < nEpochs; epoch++) {
    const alpha = 1 - epoch / nEpochs;
    for (let i = 0; i < m; i++) {
      if (nextSample[i] > epoch) continue;
      const j = head[i];
      const k = tail[i];
      let dx = y[2 * j] - y[2 * k];
      let dy = y[2 * j + 1] - y[2 * k + 1];
      let d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const coeff = (-2 * a * b * Math.pow(d2, b - 1)) / (a * Math.pow(d2, b) + 1);
        const gx = clip(coeff * dx) * alpha;
        const gy = clip(coeff * dy) * alpha;
        y[2 * j] += gx;
        y[2 * j + 1] += gy;
        y[2 * k] -= gx;
        y[2 * k + 1] -= gy;
      }
      nextSample[i] += perSample[i];
      const negatives = Math.floor((epoch - nextNegative[i]) / perNegative[i]);
      for (let p = 0; p < negatives; p++) {
        const o = rng.int(n);
        if (o === j) continue;
        dx = y[2 * j] - y[2 * o];
        dy = y[2 * j + 1] - y[2 * o + 1];
        d2 = dx * dx + dy * dy;
        if (d2 > 0) {
          const coeff = (2 * b) / ((0.001 + d2) * (a * Math.pow(d2, b) + 1));
          y[2 * j] += clip(coeff * dx) * alpha;
          y[2 * j + 1] += clip(coeff * dy) * alpha;
        } else {
          y[2 * j] += CLIP * alpha;
          y[2 * j + 1] += CLIP * alpha;
        }
      }
      nextNegative[i] += negatives * perNegative[i];
    }
    onEpoch(epoch + 1);
  }
}
