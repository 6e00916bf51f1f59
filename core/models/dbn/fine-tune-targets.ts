/**
 * Targets and row weights for supervised fine-tuning (METHOD 3.5): a row's target is its
 * annotator distribution when soft targets are on and present (soft-target cross-entropy is
 * KL(a || p) plus a constant), else the one-hot given label; class weighting multiplies each
 * row by the weight of its target's classes.
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

/** Per-row weights from inverse class frequency of hard labels (mean weight 1 per class present), or null. */
export function buildRowWeights(data: TrainingData, targets: Float32Array, classes: number, mode: 'none' | 'inverse-frequency'): Float32Array | null {
  if (mode === 'none') return null;
  const n = data.y.length;
  const counts = new Float64Array(classes);
  for (let r = 0; r < n; r++) counts[data.y[r]]++;
  const present = counts.filter((c) => c > 0).length;
  const classWeight = Array.from(counts, (c) => (c > 0 ? n / (present * c) : 0));
  const w = new Float32Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let k = 0; k < classes; k++) s += targets[r * classes + k] * classWeight[k];
    w[r] = s;
  }
  return w;
}
