/**
 * Per-sample softmax outputs of a model: 8 float32 per face stored as a 32-byte blob (the
 * platform's little-endian layout), exact on the way back. `fold` marks k-fold out-of-sample
 * predictions (METHOD.md 5), null for a plain prediction.
 */
import { NUM_CLASSES, type ModelId, type SampleId, type Split } from '../api/domain.ts';
import { writeInChunks } from './chunked-write.ts';
import type { ProjectDb } from './connection.ts';

const BYTES_PER_ROW = NUM_CLASSES * 4;

export interface PredictionBatch {
  sampleIds: ArrayLike<number>;
  /** sampleIds.length * 8 probabilities, row-major. */
  probs: Float32Array;
  /** Fold index per row; null, or -1 in a row, for a plain prediction. */
  folds?: ArrayLike<number> | null;
}

export interface PredictionSet {
  ids: Int32Array;
  probs: Float32Array;
  /** -1 where the prediction is not out-of-fold. */
  folds: Int32Array;
}

/** Inserts or replaces a batch of predictions, in short transactions (chunked-write.ts). */
export function writePredictions(db: ProjectDb, modelId: ModelId | number, batch: PredictionBatch): number {
  const n = batch.sampleIds.length;
  if (batch.probs.length !== n * NUM_CLASSES) throw new Error(`predictions: expected ${n * NUM_CLASSES} probabilities for ${n} samples, got ${batch.probs.length}`);
  if (batch.folds && batch.folds.length !== n) throw new Error(`predictions: expected ${n} folds, got ${batch.folds.length}`);
  const bytes = new Uint8Array(batch.probs.buffer, batch.probs.byteOffset, batch.probs.byteLength);
  const insert = db.stmt('INSERT OR REPLACE INTO predictions (model_id, sample_id, probs, fold) VALUES (?, ?, ?, ?)');
  writeInChunks(db, n, (i) => {
    const fold = batch.folds ? batch.folds[i] : -1;
    // Buffer.from copies, so the caller may reuse its array.
    insert.run(modelId, batch.sampleIds[i], Buffer.from(bytes.subarray(i * BYTES_PER_ROW, (i + 1) * BYTES_PER_ROW)), fold < 0 ? null : fold);
  });
  return n;
}

function toSet(rows: [number, Buffer, number | null][]): PredictionSet {
  const n = rows.length;
  const ids = new Int32Array(n);
  const probs = new Float32Array(n * NUM_CLASSES);
  const folds = new Int32Array(n);
  // Copy bytewise: a blob's Buffer need not be 4-byte aligned.
  const out = new Uint8Array(probs.buffer);
  rows.forEach(([id, blob, fold], i) => {
    ids[i] = id;
    out.set(blob, i * BYTES_PER_ROW);
    folds[i] = fold ?? -1;
  });
  return { ids, probs, folds };
}

/** Predictions of a model, by ascending sample id; optionally only of one split. */
export function readPredictions(db: ProjectDb, modelId: ModelId | number, split?: Split): PredictionSet {
  const rows = split
    ? db.stmt<[number, string], [number, Buffer, number | null]>(
        'SELECT p.sample_id, p.probs, p.fold FROM predictions p JOIN samples s ON s.id = p.sample_id WHERE p.model_id = ? AND s.split = ? ORDER BY p.sample_id', 'raw',
      ).all(modelId, split)
    : db.stmt<[number], [number, Buffer, number | null]>('SELECT sample_id, probs, fold FROM predictions WHERE model_id = ? ORDER BY sample_id', 'raw').all(modelId);
  return toSet(rows);
}

export function getPrediction(db: ProjectDb, modelId: ModelId | number, sampleId: SampleId | number): { probs: Float32Array; fold: number | null } | null {
  const row = db.stmt<[number, number], [Buffer, number | null]>('SELECT probs, fold FROM predictions WHERE model_id = ? AND sample_id = ?', 'raw').get(modelId, sampleId);
  if (!row) return null;
  const probs = new Float32Array(NUM_CLASSES);
  new Uint8Array(probs.buffer).set(row[0]);
  return { probs, fold: row[1] };
}

/** Removes a model's predictions (before re-predicting with other folds); returns how many. */
export function deletePredictions(db: ProjectDb, modelId: ModelId | number): number {
  return db.stmt('DELETE FROM predictions WHERE model_id = ?').run(modelId).changes;
}
