/**
 * A 2-D UMAP layout (umap-js, the maintained JavaScript port of McInnes et al.) with the knobs
 * the face map needs: a seeded random source (umap-js draws every random number - the
 * random-projection trees, NN-descent, the initial layout and the negative samples - from the
 * `random` option, so a seed fixes the result), a bounded number of neighbours and epochs so
 * 300,000 faces fit in minutes, and a progress callback between epochs that can cancel.
 */
import { UMAP } from 'umap-js';
import { Rng } from '../util/rng.ts';

export interface UmapOptions {
  seed: number;
  /** Neighbours of the fuzzy graph (default 12). */
  neighbours?: number;
  /** Optimisation epochs (default: 200 up to 10,000 points, 100 above - umap-js's own rule is 500/200). */
  epochs?: number;
  /** Minimum distance between embedded points (default 0.1, UMAP's default). */
  minDist?: number;
  /** Called with the stage, done and total; return true to cancel. */
  onProgress?: (stage: 'neighbours' | 'layout', done: number, total: number) => boolean | void;
}

export class LayoutCancelled extends Error {
  constructor() {
    super('the map layout was cancelled');
  }
}

/** Embeds rows×d data (row-major) into 2-D; returns rows×2 coordinates. */
export function umapLayout(x: ArrayLike<number>, rows: number, d: number, opts: UmapOptions): Float32Array {
  if (rows < 3) throw new Error(`UMAP: needs at least 3 points, got ${rows}`);
  const rng = new Rng(opts.seed);
  const neighbours = Math.min(opts.neighbours ?? 12, rows - 1);
  const epochs = opts.epochs ?? (rows <= 10_000 ? 200 : 100);
  const umap = new UMAP({ nComponents: 2, nNeighbors: neighbours, nEpochs: epochs, minDist: opts.minDist ?? 0.1, random: () => rng.next() });
  const vectors: number[][] = new Array(rows);
  for (let r = 0; r < rows; r++) vectors[r] = Array.from({ length: d }, (_, c) => x[r * d + c]);
  if (opts.onProgress?.('neighbours', 0, 1)) throw new LayoutCancelled();
  const total = umap.initializeFit(vectors);
  if (opts.onProgress?.('neighbours', 1, 1)) throw new LayoutCancelled();
  for (let e = 0; e < total; e++) {
    umap.step();
    if (opts.onProgress?.('layout', e + 1, total)) throw new LayoutCancelled();
  }
  const emb = umap.getEmbedding();
  const out = new Float32Array(rows * 2);
  for (let r = 0; r < rows; r++) {
    out[r * 2] = emb[r][0];
    out[r * 2 + 1] = emb[r][1];
  }
  return out;
}
