/**
 * Training targets of the CNN: one-hot rows from the hard labels, replaced by the annotator
 * vote distribution where `soft` gives one (rows of NaN mean "use the hard label"), and the
 * per-row loss weights implied by the class-weight option.
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

/** Row weight = sum_c target_c * w_c; 'balanced' uses w_c = n / (8 n_c) over the hard labels. */
export function classWeightsFor(option: number[] | 'balanced' | null, y: Int32Array, targets: Float32Array): Float32Array {
  const rows = new Float32Array(y.length).fill(1);
  if (option === null) return rows;
  let w = option;
  if (w === 'balanced') {
    const counts = new Array<number>(NUM_OUT).fill(0);
    for (const c of y) counts[c]++;
    w = counts.map((c) => (c > 0 ? y.length / (NUM_OUT * c) : 0));
  }
  for (let i = 0; i < y.length; i++) {
    let s = 0;
    for (let c = 0; c < NUM_OUT; c++) s += targets[i * NUM_OUT + c] * w[c];
    rows[i] = s;
  }
  return rows;
}
