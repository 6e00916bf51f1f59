/**
 * Training targets from labels, annotator counts and review decisions: the one rule every
 * trainer uses (parent, k-fold models, children; CNN and DBN alike).
 *
 * - A reviewer's class decision (the latest effective decision is a relabel or a confirm) is
 *   authoritative: with `reviewedTarget: 'one-hot'` (default) the face trains on the
 *   reviewer's class alone; with 'weighted' the reviewer counts as one more voter than all
 *   annotators together, so the reviewer's class always holds more than half of the target
 *   and the votes keep the rest (METHOD.md 3.5 soft targets, bent to the review).
 * - `ambiguous` and `not_face` decisions leave the face out.
 * - Otherwise, with soft targets on, a face with at least MIN_SOFT_LABELS class labels trains
 *   on its class-label distribution (METHOD.md 3.5), including FER+ faces that have no
 *   majority and hence no label; without soft targets it trains one-hot on its label.
 */
import { NUM_CLASSES, NUM_LABEL_CODES, isClassLabel } from '../../api/domain.ts';
import type { ReviewedTarget } from '../../api/contract.ts';
import { ferplusMajorityOf } from '../metrics/ferplus-protocol.ts';

export type ReviewedTargetRule = ReviewedTarget;
export const REVIEWED_TARGET_RULES: readonly ReviewedTarget[] = ['one-hot', 'weighted'] satisfies ReviewedTarget[];
export const DEFAULT_REVIEWED_TARGET: ReviewedTargetRule = 'one-hot';

/** Faces need at least this many class labels (votes or identified annotators) for a soft target. */
export const MIN_SOFT_LABELS = 3;

/** Where a kept face's target comes from. */
export const TARGET_FROM_LABEL = 0;
export const TARGET_FROM_VOTES = 1;
export const TARGET_FROM_REVIEWER = 2;
/** A face without a label (no majority) that trains on its votes alone. */
export const TARGET_FROM_VOTES_ONLY = 3;

export interface TargetEvidence {
  /** Current label per face: a LabelCode, or -1 when the face has none. */
  labels: Int32Array;
  /** Latest effective review decision per face (null: never reviewed, or every decision undone). */
  lastAction: readonly (string | null)[];
  /** n x 12 label counts by LabelCode: anonymous votes plus identified, non-reviewer annotations. */
  counts: Float32Array;
}

export interface TargetOptions {
  softTargets: boolean;
  reviewedTarget?: ReviewedTargetRule;
}

export interface TrainingTargets {
  /** Rows of the evidence that are trained on, ascending. */
  rows: Int32Array;
  /** Hard class per kept row: the label, or the most voted class for a face trained on votes alone. */
  y: Int32Array;
  /** Kept rows x 8 target distributions; a row of NaN means "one-hot on y". Null when no row is soft. */
  soft: Float32Array | null;
  /** TARGET_FROM_* per kept row. */
  source: Uint8Array;
  softRows: number;
  reviewerRows: number;
  /** Faces without a label (no majority) that train on their votes alone (TARGET_FROM_VOTES_ONLY). */
  voteOnlyRows: number;
  /** Faces left out, by reason. */
  leftOut: Record<string, number>;
}

const VOTE_MAJORITY_REASON: Record<string, string> = {
  unknown: 'votes: unknown holds the majority',
  'not a face': 'votes: not a face holds the majority',
  'non-class majority': 'votes: a non-class code holds the majority',
};

function classTotal(counts: Float32Array, i: number): number {
  let t = 0;
  for (let c = 0; c < NUM_CLASSES; c++) t += counts[i * NUM_LABEL_CODES + c];
  return t;
}

function mostVoted(counts: Float32Array, i: number): number {
  let best = 0;
  for (let c = 1; c < NUM_CLASSES; c++) if (counts[i * NUM_LABEL_CODES + c] > counts[i * NUM_LABEL_CODES + best]) best = c;
  return best;
}

export function trainingTargets(e: TargetEvidence, o: TargetOptions): TrainingTargets {
  const rule = o.reviewedTarget ?? DEFAULT_REVIEWED_TARGET;
  if (!(REVIEWED_TARGET_RULES as readonly string[]).includes(rule)) throw new Error(`reviewedTarget must be one of ${REVIEWED_TARGET_RULES.join(', ')}, got ${JSON.stringify(rule)}`);
  const n = e.labels.length;
  if (e.lastAction.length !== n || e.counts.length !== n * NUM_LABEL_CODES) throw new Error(`trainingTargets: ${n} labels but ${e.lastAction.length} decisions and ${e.counts.length / NUM_LABEL_CODES} count rows`);
  const rows: number[] = [];
  const y: number[] = [];
  const source: number[] = [];
  const dist: (Float32Array | null)[] = [];
  const leftOut: Record<string, number> = {};
  const leave = (reason: string) => (leftOut[reason] = (leftOut[reason] ?? 0) + 1);
  const distribution = (i: number, total: number, reviewerClass = -1): Float32Array => {
    // The weighted rule: the reviewer counts as total + 1 votes for their class.
    const extra = reviewerClass >= 0 ? total + 1 : 0;
    const d = new Float32Array(NUM_CLASSES);
    for (let c = 0; c < NUM_CLASSES; c++) d[c] = (e.counts[i * NUM_LABEL_CODES + c] + (c === reviewerClass ? extra : 0)) / (total + extra);
    return d;
  };
  for (let i = 0; i < n; i++) {
    const action = e.lastAction[i];
    const label = e.labels[i];
    if (action === 'ambiguous') {
      leave('marked ambiguous by a reviewer');
      continue;
    }
    if (action === 'not_face') {
      leave('marked not a face by a reviewer');
      continue;
    }
    const total = classTotal(e.counts, i);
    const reviewed = (action === 'relabel' || action === 'confirm') && isClassLabel(label);
    if (reviewed) {
      rows.push(i);
      y.push(label);
      source.push(TARGET_FROM_REVIEWER);
      dist.push(rule === 'weighted' && o.softTargets && total >= MIN_SOFT_LABELS ? distribution(i, total, label) : null);
    } else if (isClassLabel(label)) {
      const soft = o.softTargets && total >= MIN_SOFT_LABELS;
      rows.push(i);
      y.push(label);
      source.push(soft ? TARGET_FROM_VOTES : TARGET_FROM_LABEL);
      dist.push(soft ? distribution(i, total) : null);
    } else if (label >= 0) {
      leave('label is not an expression class');
    } else {
      const majority = ferplusMajorityOf(e.counts, i * NUM_LABEL_CODES);
      if (majority.exclusion === 'no votes' || majority.exclusion === null) leave('no label');
      else if (majority.exclusion !== 'no majority') leave(VOTE_MAJORITY_REASON[majority.exclusion]);
      else if (!o.softTargets) leave('no majority (hard labels)');
      else if (total < MIN_SOFT_LABELS) leave(`no majority, fewer than ${MIN_SOFT_LABELS} class votes`);
      else {
        rows.push(i);
        y.push(mostVoted(e.counts, i));
        source.push(TARGET_FROM_VOTES_ONLY);
        dist.push(distribution(i, total));
      }
    }
  }
  const softRows = dist.filter((d) => d !== null).length;
  let soft: Float32Array | null = null;
  if (softRows > 0) {
    soft = new Float32Array(rows.length * NUM_CLASSES).fill(Number.NaN);
    dist.forEach((d, r) => d && soft!.set(d, r * NUM_CLASSES));
  }
  return {
    rows: Int32Array.from(rows),
    y: Int32Array.from(y),
    soft,
    source: Uint8Array.from(source),
    softRows,
    reviewerRows: source.filter((s) => s === TARGET_FROM_REVIEWER).length,
    voteOnlyRows: source.filter((s) => s === TARGET_FROM_VOTES_ONLY).length,
    leftOut,
  };
}

/**
 * Dense n x `classes` target rows for a trainer: the row's distribution where `soft` gives a
 * complete one (normalised), else one-hot on y. The CNN and the DBN both build their targets
 * here; `soft` already carries the review rule, so a distribution never contradicts a reviewer.
 */
export function targetMatrix(y: Int32Array, soft: Float32Array | null, classes: number = NUM_CLASSES): Float32Array {
  const t = new Float32Array(y.length * classes);
  for (let i = 0; i < y.length; i++) {
    const o = i * classes;
    let sum = 0;
    let usable = soft !== null;
    if (soft) {
      for (let c = 0; c < classes; c++) {
        const v = soft[o + c];
        if (!(v >= 0)) usable = false;
        else sum += v;
      }
    }
    if (soft && usable && sum > 0) {
      for (let c = 0; c < classes; c++) t[o + c] = soft[o + c] / sum;
    } else {
      if (!(y[i] >= 0 && y[i] < classes)) throw new Error(`training targets: row ${i} has label ${y[i]}, not a class 0..${classes - 1}`);
      t[o + y[i]] = 1;
    }
  }
  return t;
}
