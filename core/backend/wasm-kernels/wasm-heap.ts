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
 * out[perm-order] = in: a general 4-D transpose on heap views. Loops run with the innermost
 * output axis contiguous, which is the cache-friendly side for writes.
 */
export function transpose4d(src: Float32Array, shape: number[], perm: number[], dst: Float32Array): void {
  const strides = [shape[1] * shape[2] * shape[3], shape[2] * shape[3], shape[3], 1];
  const os = perm.map((p) => shape[p]);
  const s0 = strides[perm[0]], s1 = strides[perm[1]], s2 = strides[perm[2]], s3 = strides[perm[3]];
  let o = 0;
  for (let a = 0; a < os[0]; a++) {
    const ba = a * s0;
    for (let b = 0; b < os[1]; b++) {
      const bb = ba + b * s1;
      for (let c = 0; c < os[2]; c++) {
        let i = bb + c * s2;
        const n = os[3];
        if (s3 === 1) {
          dst.set(src.subarray(i, i + n), o);
          o += n;
        } else {
          for (let d = 0; d < n; d++, i += s3) dst[o++] = src[i];
        }
      }
    }
  }
}
