/**
 * Per-pixel standardisation for a Gaussian-Bernoulli first layer: statistics are taken from
 * the training inputs once and stored with the model, so prediction sees the same scaling.
 */
import type { Matrix } from '../../train/types.ts';

export interface Standardiser {
  mean: Float32Array;
  std: Float32Array;
}

/** Guard against constant pixels. */
export const MIN_PIXEL_STD = 1e-3;

export function fitStandardiser(x: Matrix): Standardiser {
  const mean = new Float64Array(x.cols);
  const sq = new Float64Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    for (let i = 0; i < x.cols; i++) {
      const v = x.data[r * x.cols + i];
      mean[i] += v;
      sq[i] += v * v;
    }
  }
  const m = new Float32Array(x.cols);
  const s = new Float32Array(x.cols);
  for (let i = 0; i < x.cols; i++) {
    m[i] = mean[i] / x.rows;
    s[i] = Math.max(MIN_PIXEL_STD, Math.sqrt(Math.max(0, sq[i] / x.rows - m[i] * m[i])));
  }
  return { mean: m, std: s };
}

export function standardiseInput(x: Matrix, st: Standardiser): Matrix {
  const out = new Float32Array(x.data.length);
  for (let r = 0; r < x.rows; r++) {
    for (let i = 0; i < x.cols; i++) out[r * x.cols + i] = (x.data[r * x.cols + i] - st.mean[i]) / st.std[i];
  }
  return { data: out, rows: x.rows, cols: x.cols };
}
