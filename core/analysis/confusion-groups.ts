/**
 * Misclassified faces grouped by confusion pair, given class -> predicted class (METHOD.md
 * 6.3): the candidate groups for child models. Sorted by size (largest first), ties by
 * (given, predicted) so the order is deterministic; groups smaller than `nMin` are dropped.
 * Faces without a class label are ignored. O(n).
 */
import { CLASS_NAMES, NUM_CLASSES } from '../../api/domain.ts';

export const DEFAULT_N_MIN = 30;

export interface ConfusionGroup {
  given: number;
  predicted: number;
  /** e.g. "disgust>anger". */
  name: string;
  count: number;
  /** Face indices (into the input arrays), ascending. */
  indices: Int32Array;
}

export function confusionPairName(given: number, predicted: number): string {
  return `${CLASS_NAMES[given]}>${CLASS_NAMES[predicted]}`;
}

export function groupConfusions(
  givenLabels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  opts: { nMin?: number } = {},
): ConfusionGroup[] {
  const nMin = opts.nMin ?? DEFAULT_N_MIN;
  if (givenLabels.length !== predicted.length) throw new Error(`groupConfusions: ${givenLabels.length} labels but ${predicted.length} predictions`);
  const k = NUM_CLASSES;
  const counts = new Int32Array(k * k);
  const n = givenLabels.length;
  const isCase = (i: number) => {
    const y = givenLabels[i];
    const p = predicted[i];
    return Number.isInteger(y) && y >= 0 && y < k && p >= 0 && p < k && p !== y;
  };
  for (let i = 0; i < n; i++) if (isCase(i)) counts[givenLabels[i] * k + predicted[i]]++;
  const groups: ConfusionGroup[] = [];
  const slot = new Int32Array(k * k).fill(-1);
  for (let y = 0; y < k; y++) {
    for (let p = 0; p < k; p++) {
      const c = counts[y * k + p];
      if (c === 0 || c < nMin) continue;
      slot[y * k + p] = groups.length;
      groups.push({ given: y, predicted: p, name: confusionPairName(y, p), count: c, indices: new Int32Array(c) });
    }
  }
  const fill = new Int32Array(groups.length);
  for (let i = 0; i < n; i++) {
    if (!isCase(i)) continue;
    const g = slot[givenLabels[i] * k + predicted[i]];
    if (g >= 0) groups[g].indices[fill[g]++] = i;
  }
  return groups.sort((a, b) => b.count - a.count || a.given - b.given || a.predicted - b.predicted);
}
