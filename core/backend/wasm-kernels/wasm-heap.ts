/**
 * Thin typed access to the tfjs wasm backend's tensor storage, so that our kernels can read and
 * write tensors in place on the wasm heap (no copies through JS arrays) and call the backend's
 * own compiled kernels (XNNPACK convolution, matMul) on intermediate buffers. The backend class
 * is not part of tfjs-core's public types, hence the small structural interface here.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

/** Allocates an output tensor on the wasm heap. */
export function allocate(backend: WasmBackendLike, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

/**
 * A Float32Array view of a tensor's storage. Views go stale when the heap grows, so take them
 * only after the last allocation of a kernel.
 */
export function view(backend: WasmBackendLike, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info);
}

export function free(backend: WasmBackendLike, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** The wasm backend's registered implementation of a kernel (before any override of ours). */
export function wasmKernel(name: string): KernelFunc {
  const config = tf.getKernel(name, 'wasm');
  if (!config) throw new Error(`tfjs wasm backend has no kernel ${name}`);
  return config.kernelFunc;
}

/** Calls a kernel function directly (no engine bookkeeping): the result is ours to free. */
export function call(
  fn: KernelFunc,
  backend: WasmBackendLike,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap,
): TensorInfo {
  const out = fn({ inputs, backend: backend as unknown as tf.KernelBackend, attrs });
  if (Array.isArray(out)) throw new Error('expected a single-output kernel');
  return out;
}

/**
 * out = transpose(in, perm) for 4-D tensors on heap views. The two permutations our kernels
 * use have tuned loops (a naive loop over [3,1,2,0] reads with a stride of H*W*C and was 5x
 * slower); any other permutation takes the generic loop.
 */
export function transpose4d(src: Float32Array, shape: number[], perm: number[], dst: Float32Array): void {
  const [n0, n1, n2, n3] = shape;
  const p = perm.join(',');
  if (p === '3,1,2,0') return swapOuterInner(src, n0, n1 * n2, n3, dst);
  if (p === '1,2,0,3') return moveOuterToThird(src, n0, n1 * n2, n3, dst);
  const strides = [n1 * n2 * n3, n2 * n3, n3, 1];
  const os = perm.map((q) => shape[q]);
  const s0 = strides[perm[0]], s1 = strides[perm[1]], s2 = strides[perm[2]], s3 = strides[perm[3]];
  let o = 0;
  for (let a = 0; a < os[0]; a++) {
    for (let b = 0; b < os[1]; b++) {
      for (let c = 0; c < os[2]; c++) {
        let i = a * s0 + b * s1 + c * s2;
        for (let d = 0; d < os[3]; d++, i += s3) dst[o++] = src[i];
      }
    }
  }
}

/** [N, M, C] -> [C, M, N], in blocks of 16 rows of N so that reads reuse cache lines. */
function swapOuterInner(src: Float32Array, n: number, m: number, c: number, dst: Float32Array): void {
  const B = 16;
  const rowStride = m * c;
  for (let b0 = 0; b0 < n; b0 += B) {
    const b1 = Math.min(n, b0 + B);
    for (let j = 0; j < m; j++) {
      for (let k = 0; k < c; k++) {
        let o = (k * m + j) * n + b0;
        for (let b = b0, i = (b0 * m + j) * c + k; b < b1; b++, i += rowStride) dst[o++] = src[i];
      }
    }
  }
}

/** [N, M, C] -> [M, N, C]: contiguous runs of C. */
function moveOuterToThird(src: Float32Array, n: number, m: number, c: number, dst: Float32Array): void {
  for (let b = 0; b < n; b++) {
    for (let j = 0; j < m; j++) {
      const i = (b * m + j) * c, o = (j * n + b) * c;
      for (let k = 0; k < c; k++) dst[o + k] = src[i + k];
    }
  }
}
