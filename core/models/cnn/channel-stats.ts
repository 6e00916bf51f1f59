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
  // Four rows at a time into four partial sums: independent additions pipeline, twice as
  // fast as one accumulator per channel in V8.
  const acc = new Float64Array(4 * c);
  const rows = av.length / c;
  const c2 = 2 * c, c3 = 3 * c;
  let r = 0;
  if (bv) {
    for (; r + 4 <= rows; r += 4) {
      const i = r * c;
      for (let k = 0; k < c; k++) {
        acc[k] += av[i + k] * bv[i + k];
        acc[c + k] += av[i + c + k] * bv[i + c + k];
        acc[c2 + k] += av[i + c2 + k] * bv[i + c2 + k];
        acc[c3 + k] += av[i + c3 + k] * bv[i + c3 + k];
      }
    }
    for (; r < rows; r++) for (let k = 0; k < c; k++) acc[k] += av[r * c + k] * bv[r * c + k];
  } else {
    for (; r + 4 <= rows; r += 4) {
      const i = r * c;
      for (let k = 0; k < c; k++) {
        acc[k] += av[i + k];
        acc[c + k] += av[i + c + k];
        acc[c2 + k] += av[i + c2 + k];
        acc[c3 + k] += av[i + c3 + k];
      }
    }
    for (; r < rows; r++) for (let k = 0; k < c; k++) acc[k] += av[r * c + k];
  }
  const sums = new Float32Array(c);
  for (let k = 0; k < c; k++) sums[k] = acc[k] + acc[c + k] + acc[c2 + k] + acc[c3 + k];
  return tf.tensor1d(sums);
}
