/**
 * Per-pixel standardisation of the net's input (for a Gaussian-Bernoulli first layer, and for
 * fine-tuning on standardised inputs): statistics are taken from the training inputs once and
 * stored with the model, so prediction sees the same scaling. A layer trained on raw pixels is
 * re-expressed exactly on standardised ones, so the function does not change, only the
 * coordinates the optimiser works in.
 */
import { forEachBlock, scaled } from '../../train/matrix-rows.ts';
import type { ColumnScale, Matrix } from '../../train/types.ts';

export type Standardiser = ColumnScale;

/** Guard against constant pixels. */
export const MIN_PIXEL_STD = 1e-3;

export function fitStandardiser(x: Matrix): Standardiser {
  const mean = new Float64Array(x.cols);
  const sq = new Float64Array(x.cols);
  // Read a block at a time: the statistics of bytes need no float copy of the data.
  forEachBlock(x, (block, _start, n) => {
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < x.cols; i++) {
        const v = block[r * x.cols + i];
        mean[i] += v;
        sq[i] += v * v;
      }
    }
  });
  const m = new Float32Array(x.cols);
  const s = new Float32Array(x.cols);
  for (let i = 0; i < x.cols; i++) {
    m[i] = mean[i] / x.rows;
    s[i] = Math.max(MIN_PIXEL_STD, Math.sqrt(Math.max(0, sq[i] / x.rows - m[i] * m[i])));
  }
  return { mean: m, std: s };
}

/** x standardised: a view that standardises rows as they are read (matrix-rows.ts), not a copy. */
export function standardiseInput(x: Matrix, st: Standardiser): Matrix {
  return scaled(x, st);
}

/**
 * The same affine map on standardised inputs u = (v - mean) / std: W'_ij = W_ij std_i and
 * c'_j = c_j + sum_i W_ij mean_i, so W'^T u + c' = W^T v + c for every v. `w` is inputs x outputs.
 */
export function reexpressOnStandardised<L extends { inputs: number; outputs: number; w: Float32Array; b: Float32Array }>(layer: L, st: Standardiser): L {
  const { inputs: I, outputs: J } = layer;
  const w = new Float32Array(I * J);
  const shift = new Float64Array(J);
  for (let i = 0; i < I; i++) {
    const s = st.std[i], m = st.mean[i];
    for (let j = 0; j < J; j++) {
      const v = layer.w[i * J + j];
      w[i * J + j] = v * s;
      shift[j] += v * m;
    }
  }
  const b = Float32Array.from(layer.b, (c, j) => c + shift[j]);
  return { ...layer, w, b };
}
