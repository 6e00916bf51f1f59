/**
 * Training targets of the CNN: one-hot rows from the hard labels, replaced by the annotator
 * vote distribution where `soft` gives one (rows of NaN mean "use the hard label"), (class
 * weights: core/train/class-weights.ts).
 */
import { NUM_OUT } from './cnn-layout.ts';

export function buildTargets(y: Int32Array, soft: Float32Array | null): Float32Array {
  const t = new Float32Array(y.length * NUM_OUT);
  for (let i = 0; i < y.length; i++) {
    const o = i * NUM_OUT;
    let sum = 0;
    let usable = soft !== null;
    if (soft) {
      for (let c = 0; c < NUM_OUT; c++) {
        const v = soft[o + c];
        if (!(v >= 0)) usable = false;
        else sum += v;
      }
    }
    if (soft && usable && sum > 0) {
      for (let c = 0; c < NUM_OUT; c++) t[o + c] = soft[o + c] / sum;
    } else {
      t[o + y[i]] = 1;
    }
  }
  return t;
}
