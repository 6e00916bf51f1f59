/**
 * Training data for the extra models the analysis and re-learning train: the k fold models
 * of an out-of-fold analysis and the child models. Both train on a subset of the train split
 * as `loadProjectTrainingData` builds it (the same target rule and options as the parent's
 * run: a reviewer's class authoritative, ambiguous / not-a-face left out, soft targets from
 * >= 3 annotator labels when the parent used them), with the valid
 * split for early stopping. The parent's `maxSamples` cap, when set, caps a subset too.
 */
import { NUM_CLASSES } from '../../../api/domain.ts';
import { selectRows } from '../../../core/train/matrix-rows.ts';
import type { Matrix, TrainingData } from '../../../core/train/types.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { loadTrainingMatrix, type TrainingMatrix } from '../../../db/training-matrix.ts';
import { countSoftRows, describeLeftOut, loadTrainingSet, pixelMatrix, type TargetRuleOptions } from './training-data.ts';

export { capRows } from './training-data.ts';

export interface TrainPool {
  /** Train faces the target rule trains on (loadTrainingSet), ascending id; y = each face's target class. */
  train: TrainingMatrix;
  soft: Float32Array | null;
  valid: TrainingMatrix;
}

export function loadTrainPool(db: ProjectDb, rule: TargetRuleOptions): TrainPool {
  const set = loadTrainingSet(db, rule);
  if (set.train.ids.length === 0) throw new Error(`${db.path}: the train split has no face to train on (${describeLeftOut(set.targets.leftOut)})`);
  const valid = loadTrainingMatrix(db, { split: 'valid', labels: 'current', onlyClassLabels: true });
  return { train: set.train, soft: set.soft && countSoftRows(set.soft) > 0 ? set.soft : null, valid };
}

/** TrainingData of the given pool rows; `validRows` (default all) picks the early-stopping faces. Pixels are shared, not copied. */
export function subsetData(pool: TrainPool, rows: ArrayLike<number>, validRows?: ArrayLike<number>): TrainingData {
  const { train, valid } = pool;
  const n = rows.length;
  const y = new Int32Array(n);
  const soft = pool.soft ? new Float32Array(n * NUM_CLASSES) : null;
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    y[i] = train.y[r];
    if (soft && pool.soft) soft.set(pool.soft.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), i * NUM_CLASSES);
  }
  let v: TrainingData['valid'] = null;
  if (valid.ids.length > 0) {
    if (validRows) {
      const vy = Int32Array.from(validRows, (r) => valid.y[r]);
      v = vy.length > 0 ? { x: subsetX(valid, validRows), y: vy } : null;
    } else {
      v = { x: pixelMatrix(valid), y: valid.y };
    }
  }
  return { x: subsetX(train, rows), y, soft, valid: v, height: train.height, width: train.width };
}

/** Inputs of the given pool rows as a Matrix over the pool's bytes (for predicting held-out faces). */
export function subsetX(m: TrainingMatrix, rows: ArrayLike<number>): Matrix {
  return selectRows(pixelMatrix(m), rows);
}
