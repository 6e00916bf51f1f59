/**
 * Targets and row weights for supervised fine-tuning (METHOD 3.5): a row's target is the
 * distribution the project's target rule gave it (annotator votes, bent to a reviewer's
 * decision; soft-target cross-entropy is KL(a || p) plus a constant) when soft targets are on,
 * else one-hot on its label; class weighting multiplies each row by the weight of its
 * target's classes.
 */
import type { TrainingData } from '../../train/types.ts';
import { targetMatrix } from '../../train/training-targets.ts';

/** One-hot on y, or the row's distribution in `data.soft` when soft targets are on (core/train/training-targets.ts). */
export function buildTargets(data: TrainingData, classes: number, useSoft: boolean): Float32Array {
  return targetMatrix(data.y, useSoft ? data.soft : null, classes);
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
