/**
 * Per-channel sums over N, H and W of NHWC tensors (BN statistics and BN gradients). tfjs
 * reduces over leading axes by transposing them innermost first, and a ones-vector product
 * repacks the whole tensor as matMul weights; both profiled slower than the convolutions. On
 * the wasm backend we read the tensors in place on the wasm heap and sum in one pass (double
 * precision accumulators); elsewhere we use tf.sum.
 */
import * as tf from '@tensorflow/tfjs-core';

interface HeapBackend {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

function heapView(t: tf.Tensor): Float32Array | null {
  if (tf.getBackend() !== 'wasm' || t.dtype !== 'float32') return null;
  return (tf.backend() as unknown as HeapBackend).typedArrayFromHeap(t);
}

/** sum over n,h,w of a (or of a * b when b is given), as a [C] tensor. */
export function channelSum(a: tf.Tensor4D, b?: tf.Tensor4D): tf.Tensor1D {
  const c = a.shape[3];
  const av = heapView(a);
  const bv = b ? heapView(b) : null;
  if (!av || (b && !bv)) return tf.sum(b ? tf.mul(a, b) : a, [0, 1, 2]) as tf.Tensor1D;
  const acc = new Float64Array(c);
  const n = av.length;
  if (bv) {
    for (let i = 0; i < n; i += c) for (let k = 0; k < c; k++) acc[k] += av[i + k] * bv[i + k];
  } else {
    for (let i = 0; i < n; i += c) for (let k = 0; k < c; k++) acc[k] += av[i + k];
  }
  return tf.tensor1d(Float32Array.from(acc));
}
