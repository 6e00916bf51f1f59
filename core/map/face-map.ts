/**
 * The face map's computation, from a matrix of per-face vectors to 2-D positions:
 * 'pca-pixels' projects the pixels on their first two principal components (a map before any
 * model exists); 'umap-features' shrinks a model's penultimate features to at most
 * FEATURE_DIMS principal components (UMAP's neighbour search is cheaper and no less faithful
 * there, since the discarded directions hold little variance) and lays them out with UMAP.
 * Seeded: the same vectors, method and seed give the same map.
 */
import { pca, project } from './pca.ts';
import { umapLayout, type UmapOptions } from './umap-layout.ts';

export type MapMethod = 'pca-pixels' | 'umap-features';

/** Principal components kept before UMAP. */
export const FEATURE_DIMS = 32;

export interface MapProgress {
  stage: 'pca' | 'neighbours' | 'layout';
  done: number;
  total: number;
}

export interface MapOptions {
  seed: number;
  neighbours?: number;
  epochs?: number;
  /** Return true to cancel (the computation throws). */
  onProgress?: (p: MapProgress) => boolean | void;
}

export class MapCancelled extends Error {
  constructor() {
    super('the face map was cancelled');
  }
}

/** 2-D positions (rows×2) of rows×d vectors. */
export function computeMap(x: ArrayLike<number>, rows: number, d: number, method: MapMethod, opts: MapOptions): { coords: Float32Array; params: Record<string, number> } {
  const stop = (p: MapProgress) => {
    if (opts.onProgress?.(p)) throw new MapCancelled();
  };
  if (method === 'pca-pixels') {
    const p = pca(x, rows, d, { k: 2, seed: opts.seed, iterations: 20, onPass: (done, total) => stop({ stage: 'pca', done, total }) });
    const coords = project(x, rows, d, p);
    return { coords, params: { components: 2, explained: (p.variances[0] + (p.variances[1] ?? 0)) / Math.max(p.totalVariance, 1e-300) } };
  }
  let data = x;
  let dims = d;
  const params: Record<string, number> = { inputDims: d };
  if (d > FEATURE_DIMS) {
    const p = pca(x, rows, d, { k: FEATURE_DIMS, seed: opts.seed, iterations: 4, onPass: (done, total) => stop({ stage: 'pca', done, total }) });
    data = project(x, rows, d, p);
    dims = FEATURE_DIMS;
    params.pcaDims = FEATURE_DIMS;
    params.explained = p.variances.reduce((a, b) => a + b, 0) / Math.max(p.totalVariance, 1e-300);
  }
  const umapOpts: UmapOptions = {
    seed: opts.seed,
    neighbours: opts.neighbours,
    epochs: opts.epochs,
    onProgress: (stage, done, total) => {
      stop({ stage, done, total });
    },
  };
  const coords = umapLayout(data, rows, dims, umapOpts);
  return { coords, params };
}
