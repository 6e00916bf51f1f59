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
