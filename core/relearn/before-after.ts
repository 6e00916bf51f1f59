/**
 * The report of METHOD.md 6.6 for one split: parent alone versus parent + children. Per-class
 * precision / recall / F1, confusion matrices and accuracy before and after, how many faces
 * each child answered, and how many answers changed from wrong to right and from right to
 * wrong (overall and per child). Faces without a class label count as routed but not in
 * accuracy. O(n).
 */
import { NUM_CLASSES } from '../../api/domain.ts';
import { classificationReport } from '../metrics/classification.ts';
import type { ClassificationReport } from '../metrics/classification.ts';

export interface ChildEffect {
  routed: number;
  /** Routed faces whose answer differs from the parent's. */
  changed: number;
  wrongToRight: number;
  rightToWrong: number;
}

export interface BeforeAfter {
  before: ClassificationReport;
  after: ClassificationReport;
  routed: number;
  wrongToRight: number;
  rightToWrong: number;
  perChild: ChildEffect[];
}

/**
 * `routedTo[i]` is the child that answered face i (-1 = parent); `numChildren` sizes perChild
 * (defaults to the largest index seen + 1).
 */
export function compareBeforeAfter(
  labels: ArrayLike<number>,
  parentPred: ArrayLike<number>,
  routedPred: ArrayLike<number>,
  routedTo: ArrayLike<number>,
  numChildren?: number,
): BeforeAfter {
  const n = labels.length;
  if (parentPred.length !== n || routedPred.length !== n || routedTo.length !== n) {
    throw new Error(`compareBeforeAfter: lengths differ (labels ${n}, parent ${parentPred.length}, routed ${routedPred.length}, routedTo ${routedTo.length})`);
  }
  let maxChild = -1;
  for (let i = 0; i < n; i++) maxChild = Math.max(maxChild, routedTo[i]);
  const perChild: ChildEffect[] = Array.from({ length: Math.max(numChildren ?? 0, maxChild + 1) }, () => ({
    routed: 0,
    changed: 0,
    wrongToRight: 0,
    rightToWrong: 0,
  }));
  let routed = 0;
  let wrongToRight = 0;
  let rightToWrong = 0;
  for (let i = 0; i < n; i++) {
    const g = routedTo[i];
    if (g >= 0) {
      routed++;
      perChild[g].routed++;
      if (routedPred[i] !== parentPred[i]) perChild[g].changed++;
    }
    const y = labels[i];
    if (!(Number.isInteger(y) && y >= 0 && y < NUM_CLASSES)) continue;
    const before = parentPred[i] === y;
    const after = routedPred[i] === y;
    if (!before && after) {
      wrongToRight++;
      if (g >= 0) perChild[g].wrongToRight++;
    } else if (before && !after) {
      rightToWrong++;
      if (g >= 0) perChild[g].rightToWrong++;
    }
  }
  return {
    before: classificationReport(labels, parentPred),
    after: classificationReport(labels, routedPred),
    routed,
    wrongToRight,
    rightToWrong,
    perChild,
  };
}
