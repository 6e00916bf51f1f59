/**
 * Targets for supervised fine-tuning (METHOD 3.5): a row's target is its annotator
 * distribution when soft targets are on and present (soft-target cross-entropy is KL(a || p)
 * plus a constant), else the one-hot given label. Class weights: core/train/class-weights.ts.
 */
import type { TrainingData } from '../../train/types.ts';

export function buildTargets(data: TrainingData, classes: number, useSoft: boolean): Float32Array {
  const n = data.y.length;
  const t = new Float32Array(n * classes);
  for (let r = 0; r < n; r++) {
    const soft = useSoft && data.soft ? data.soft.subarray(r * classes, r * classes + classes) : null;
    let sum = 0;
    if (soft) for (let k = 0; k < classes; k++) sum += soft[k];
    if (soft && Number.isFinite(sum) && sum > 0) {
      for (let k = 0; k < classes; k++) t[r * classes + k] = soft[k] / sum;
    } else {
      t[r * classes + data.y[r]] = 1;
    }
  }
  return t;
}
