/**
 * BatchMatMul for the tfjs wasm backend without its slow path. The stock kernel is fast
 * (XNNPACK) only when neither operand is transposed; with transposeA or transposeB it falls
 * to a loop 10-25x slower, and dense-layer backprop (dy W^T, x^T dy) is made of exactly such
 * products. Here a transposed operand is first transposed explicitly on the wasm heap, then the
 * stock kernel runs its fast non-transposed path.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, free, view } from './wasm-heap.ts';
import type { WasmBackendLike } from './wasm-heap.ts';

/** Swaps the last two axes of a (batch of) matrices. */
function transposeLastTwo(backend: WasmBackendLike, t: TensorInfo): TensorInfo {
  const rank = t.shape.length;
  const rows = t.shape[rank - 2], cols = t.shape[rank - 1];
  const batch = t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
  const out = allocate(backend, [...t.shape.slice(0, -2), cols, rows]);
  const src = view(backend, t), dst = view(backend, out);
  // Blocked so that both the strided reads and the writes stay within cache lines.
  const B = 32;
  for (let m = 0; m < batch; m++) {
    const base = m * rows * cols;
    for (let r0 = 0; r0 < rows; r0 += B) {
      const r1 = Math.min(r0 + B, rows);
      for (let c0 = 0; c0 < cols; c0 += B) {
        const c1 = Math.min(c0 + B, cols);
        for (let c = c0; c < c1; c++) {
          let o = base + c * rows + r0;
          for (let r = r0, i = base + r0 * cols + c; r < r1; r++, i += cols) dst[o++] = src[i];
        }
      }
    }
  }
  return out;
}

export function makeBatchMatMulConfig(stock: KernelConfig): KernelConfig {
  const fast = stock.kernelFunc;
  const batchMatMul = (args: { inputs: { a: TensorInfo; b: TensorInfo }; backend: unknown; attrs: { transposeA: boolean; transposeB: boolean } }): TensorInfo => {
    const { transposeA, transposeB } = args.attrs;
    if (!transposeA && !transposeB) return fast(args as Parameters<KernelFunc>[0]) as TensorInfo;
    const backend = args.backend as WasmBackendLike;
    const a = transposeA ? transposeLastTwo(backend, args.inputs.a) : args.inputs.a;
    const b = transposeB ? transposeLastTwo(backend, args.inputs.b) : args.inputs.b;
    const out = fast({ inputs: { a, b }, backend: args.backend as never, attrs: { transposeA: false, transposeB: false } }) as TensorInfo;
    if (transposeA) free(backend, a);
    if (transposeB) free(backend, b);
    return out;
  };
  return { ...stock, kernelFunc: batchMatMul as unknown as KernelFunc };
}
