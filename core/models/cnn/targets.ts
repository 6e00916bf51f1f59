/**
 * Per-row loss weights of the CNN implied by the class-weight option. The target rows
 * themselves come from core/train/training-targets.ts (targetMatrix), shared with the DBN.
 */
import { NUM_OUT } from './cnn-net.ts';

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
