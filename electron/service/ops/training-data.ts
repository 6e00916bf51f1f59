/**
 * Builds a model's training data from a project: the train split with current labels (review
 * decisions applied), soft targets from annotator votes where a face has at least
 * MIN_SOFT_LABELS class labels (METHOD.md 3.5), the valid split for early stopping, and an
 * optional seeded cap on training faces for quick runs.
 */
import { NUM_CLASSES, NUM_LABEL_CODES } from '../../../api/domain.ts';
import type { Matrix, TrainingData } from '../../../core/train/types.ts';
import { capRows } from '../../../core/train/sample-cap.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { loadTrainingMatrix, type TrainingMatrix } from '../../../db/training-matrix.ts';

/** Faces need at least this many class labels (votes or identified annotators) for a soft target. */
export const MIN_SOFT_LABELS = 3;

export interface LoadedTrainingData {
  data: TrainingData;
  trainIds: Int32Array;
  softRows: number;
}

export function softTargets(m: TrainingMatrix): { soft: Float32Array; rows: number } {
  const n = m.ids.length;
  const counts = new Float32Array(n * NUM_CLASSES);
  if (m.votes) {
    for (let i = 0; i < n; i++) for (let c = 0; c < NUM_CLASSES; c++) counts[i * NUM_CLASSES + c] += m.votes[i * NUM_LABEL_CODES + c];
  }
  const a = m.annotations;
  for (let k = 0; k < a.row.length; k++) {
    const l = a.label[k];
    if (l >= 0 && l < NUM_CLASSES && a.annotators[a.annotator[k]].kind !== 'reviewer') counts[a.row[k] * NUM_CLASSES + l] += 1;
  }
  const soft = new Float32Array(n * NUM_CLASSES).fill(Number.NaN);
  let rows = 0;
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let c = 0; c < NUM_CLASSES; c++) total += counts[i * NUM_CLASSES + c];
    if (total < MIN_SOFT_LABELS) continue;
    rows++;
    for (let c = 0; c < NUM_CLASSES; c++) soft[i * NUM_CLASSES + c] = counts[i * NUM_CLASSES + c] / total;
  }
  return { soft, rows };
}

function subsetRows(m: TrainingMatrix, keep: Int32Array): TrainingMatrix {
  const size = m.height * m.width;
  const x = new Float32Array(keep.length * size);
  const votes = m.votes ? new Float32Array(keep.length * NUM_LABEL_CODES) : null;
  const newRow = new Map<number, number>();
  keep.forEach((r, i) => {
    x.set(m.x.subarray(r * size, (r + 1) * size), i * size);
    if (votes && m.votes) votes.set(m.votes.subarray(r * NUM_LABEL_CODES, (r + 1) * NUM_LABEL_CODES), i * NUM_LABEL_CODES);
    newRow.set(r, i);
  });
  const idx: number[] = [];
  for (let k = 0; k < m.annotations.row.length; k++) if (newRow.has(m.annotations.row[k])) idx.push(k);
  return {
    ...m,
    ids: Int32Array.from(keep, (r) => m.ids[r]),
    x,
    y: Int32Array.from(keep, (r) => m.y[r]),
    votes,
    annotations: {
      annotators: m.annotations.annotators,
      row: Int32Array.from(idx, (k) => newRow.get(m.annotations.row[k])!),
      annotator: Int32Array.from(idx, (k) => m.annotations.annotator[k]),
      label: Int32Array.from(idx, (k) => m.annotations.label[k]),
    },
  };
}

export function loadProjectTrainingData(db: ProjectDb, o: { useSoftTargets: boolean; maxSamples?: number; seed: number }): LoadedTrainingData {
  let train = loadTrainingMatrix(db, { split: 'train', labels: 'current', onlyClassLabels: true, excludeAmbiguous: true });
  if (train.ids.length === 0) throw new Error(`${db.path}: the train split has no faces with a class label; import a dataset first`);
  const keep = capRows(Int32Array.from({ length: train.ids.length }, (_, i) => i), o.maxSamples, o.seed);
  if (keep.length < train.ids.length) train = subsetRows(train, keep);
  const valid = loadTrainingMatrix(db, { split: 'valid', labels: 'current', onlyClassLabels: true });
  const { soft, rows } = o.useSoftTargets ? softTargets(train) : { soft: null, rows: 0 };
  const size = train.height * train.width;
  const matrix = (x: Float32Array, rowsN: number): Matrix => ({ data: x, rows: rowsN, cols: size });
  return {
    data: {
      x: matrix(train.x, train.ids.length),
      y: train.y,
      soft: rows > 0 ? soft : null,
      valid: valid.ids.length > 0 ? { x: matrix(valid.x, valid.ids.length), y: valid.y } : null,
      height: train.height,
      width: train.width,
    },
    trainIds: train.ids,
    softRows: rows,
  };
}
