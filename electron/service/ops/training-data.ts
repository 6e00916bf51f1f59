/**
 * Builds a model's training data from a project: the train split with current labels (review
 * decisions applied) and each face's target from core/train/training-targets.ts (a reviewer's
 * class decision is authoritative; soft targets from annotator votes where a face has at
 * least MIN_SOFT_LABELS class labels, METHOD.md 3.5, including FER+ faces without a
 * majority), the valid split for early stopping, and an optional seeded cap on training faces
 * for quick runs. Every trainer (parent, k-fold models, children) loads its faces here.
 */
import { NUM_CLASSES, NUM_LABEL_CODES } from '../../../api/domain.ts';
import { TARGET_FROM_REVIEWER, TARGET_FROM_VOTES_ONLY, trainingTargets, type ReviewedTargetRule, type TrainingTargets } from '../../../core/train/training-targets.ts';
import type { Matrix, TrainingData } from '../../../core/train/types.ts';
import { capRows } from '../../../core/train/sample-cap.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { labelCounts } from '../../../db/label-counts.ts';
import { loadTrainingMatrix, type TrainingMatrix } from '../../../db/training-matrix.ts';

export { MIN_SOFT_LABELS } from '../../../core/train/training-targets.ts';

export interface TargetRuleOptions {
  useSoftTargets: boolean;
  reviewedTarget?: ReviewedTargetRule;
}

/** The train faces a run trains on (ascending id, y = the target's class) and their targets. */
export interface TrainingSet {
  train: TrainingMatrix;
  /** Rows of `train` x 8 target distributions (NaN rows: one-hot on y), or null. */
  soft: Float32Array | null;
  /** TARGET_FROM_* per row of `train`. */
  source: Uint8Array;
  targets: Omit<TrainingTargets, 'rows' | 'y' | 'soft' | 'source'>;
}

export interface LoadedTrainingData {
  data: TrainingData;
  trainIds: Int32Array;
  softRows: number;
  reviewerRows: number;
  voteOnlyRows: number;
}

/** The faces of a loaded split as a Matrix over its bytes (no float copy; a subset shares them). */
export function pixelMatrix(m: TrainingMatrix): Matrix {
  return { data: m.x, rows: m.ids.length, cols: m.height * m.width, index: m.xRows ?? null };
}

/** Rows `keep` of m; the pixels stay in m's byte array (xRows points into it), so a subset copies no pixels. */
function subsetRows(m: TrainingMatrix, keep: ArrayLike<number>): TrainingMatrix {
  const votes = m.votes ? new Float32Array(keep.length * NUM_LABEL_CODES) : null;
  const newRow = new Map<number, number>();
  Array.from(keep).forEach((r, i) => {
    if (votes && m.votes) votes.set(m.votes.subarray(r * NUM_LABEL_CODES, (r + 1) * NUM_LABEL_CODES), i * NUM_LABEL_CODES);
    newRow.set(r, i);
  });
  const idx: number[] = [];
  for (let k = 0; k < m.annotations.row.length; k++) if (newRow.has(m.annotations.row[k])) idx.push(k);
  return {
    ...m,
    ids: Int32Array.from(keep, (r) => m.ids[r]),
    x: m.x,
    xRows: Int32Array.from(keep, (r) => (m.xRows ? m.xRows[r] : r)),
    y: Int32Array.from(keep, (r) => m.y[r]),
    lastAction: Array.from(keep, (r) => m.lastAction[r]),
    votes,
    annotations: {
      annotators: m.annotations.annotators,
      row: Int32Array.from(idx, (k) => newRow.get(m.annotations.row[k])!),
      annotator: Int32Array.from(idx, (k) => m.annotations.annotator[k]),
      label: Int32Array.from(idx, (k) => m.annotations.label[k]),
    },
  };
}

/** Label counts of a loaded split: votes plus identified, non-reviewer annotations. */
export function matrixLabelCounts(m: TrainingMatrix): Float32Array {
  const a = m.annotations;
  const keep: number[] = [];
  for (let k = 0; k < a.row.length; k++) if (a.annotators[a.annotator[k]].kind !== 'reviewer') keep.push(k);
  return labelCounts(m.ids.length, m.votes, { row: keep.map((k) => a.row[k]), label: keep.map((k) => a.label[k]) });
}

/** Every train face with its label state, then only those the target rule trains on. */
export function loadTrainingSet(db: ProjectDb, o: TargetRuleOptions): TrainingSet {
  const all = loadTrainingMatrix(db, { split: 'train', labels: 'current', onlyClassLabels: false });
  const t = trainingTargets({ labels: all.y, lastAction: all.lastAction, counts: matrixLabelCounts(all) }, { softTargets: o.useSoftTargets, reviewedTarget: o.reviewedTarget });
  const train = subsetRows(all, t.rows);
  train.y = t.y;
  const { rows: _r, y: _y, soft, source, ...targets } = t;
  return { train, soft, source, targets };
}

/** The training set restricted to the given rows (ascending), targets kept in step. */
export function subsetTrainingSet(set: TrainingSet, keep: ArrayLike<number>): TrainingSet {
  const train = subsetRows(set.train, keep);
  let soft: Float32Array | null = null;
  if (set.soft) {
    soft = new Float32Array(keep.length * NUM_CLASSES);
    Array.from(keep).forEach((r, i) => soft!.set(set.soft!.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), i * NUM_CLASSES));
  }
  const source = Uint8Array.from(keep, (r) => set.source[r]);
  return { train, soft, source, targets: set.targets };
}

export function loadProjectTrainingData(db: ProjectDb, o: TargetRuleOptions & { maxSamples?: number; seed: number }): LoadedTrainingData {
  let set = loadTrainingSet(db, o);
  if (set.train.ids.length === 0) throw new Error(`${db.path}: the train split has no face to train on (${describeLeftOut(set.targets.leftOut)}); import a dataset first`);
  if (o.maxSamples && o.maxSamples < set.train.ids.length) set = subsetTrainingSet(set, capRows(Int32Array.from({ length: set.train.ids.length }, (_, i) => i), o.maxSamples, o.seed));
  const { train } = set;
  const valid = loadTrainingMatrix(db, { split: 'valid', labels: 'current', onlyClassLabels: true });
  const softRows = set.soft ? countSoftRows(set.soft) : 0;
  return {
    data: {
      x: pixelMatrix(train),
      y: train.y,
      soft: softRows > 0 ? set.soft : null,
      valid: valid.ids.length > 0 ? { x: pixelMatrix(valid), y: valid.y } : null,
      height: train.height,
      width: train.width,
    },
    trainIds: train.ids,
    softRows,
    reviewerRows: set.source.filter((s) => s === TARGET_FROM_REVIEWER).length,
    voteOnlyRows: set.source.filter((s) => s === TARGET_FROM_VOTES_ONLY).length,
  };
}

export { capRows };

export function countSoftRows(soft: Float32Array): number {
  let n = 0;
  for (let r = 0; r < soft.length / NUM_CLASSES; r++) if (soft[r * NUM_CLASSES] >= 0) n++;
  return n;
}

export function describeLeftOut(leftOut: Record<string, number>): string {
  const parts = Object.entries(leftOut).map(([k, v]) => `${v} ${k}`);
  return parts.length ? `left out: ${parts.join(', ')}` : 'no faces';
}
