/**
 * Copies a minibatch of rows into a column-major (feature-major) buffer, `buf[i * n + r] =
 * x[order[start + r]][i]`: the RBM and the fine-tuning net feed batches as x^T so that the
 * wasm backend never multiplies by a transposed operand (see docs/benchmark.md).
 */
import type { Matrix } from '../train/types.ts';

export function gatherTransposed(x: Matrix, order: ArrayLike<number>, start: number, n: number, buf: Float32Array): void {
  const I = x.cols;
  for (let r = 0; r < n; r++) {
    const row = order[start + r];
    const src = x.data.subarray(row * I, row * I + I);
    for (let i = 0; i < I; i++) buf[i * n + r] = src[i];
  }
}
