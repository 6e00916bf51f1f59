/**
 * Out-of-sample predictions on the train split (METHOD.md 5): k copies of the parent's
 * configuration (same kind, trainer options and seed as its training run), each trained with
 * the shared training loop on k-1 stratified folds and predicting the fold it did not see.
 * The predictions are stored under a separate "out-of-fold" model row (structure.role =
 * 'out-of-fold', structure.ofModel = the parent) with each face's fold index, so the parent's
 * own plain predictions stay untouched; the row is stamped with the label version the folds
 * trained on once every prediction is written. The fold models are not kept: only their predictions
 * matter, and keeping k weight files per analysis would mostly fill the disk. Each fold's
 * held-out predictions are checkpointed as the fold finishes (fold-checkpoints.ts): an analysis
 * interrupted after some folds trains only the others when it is run again.
 */
import { NUM_CLASSES, type ModelId, type RunId } from '../../../api/domain.ts';
import { foldSplit, stratifiedKFold } from '../../../core/analysis/kfold.ts';
import { registerCnnTrainerKind } from '../../../core/models/cnn/index.ts';
import { createTrainer } from '../../../core/train/create-trainer.ts';
import { runTraining } from '../../../core/train/run-training.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { createModel, stampLabelVersion, type StoredModel } from '../../../db/model-store.ts';
import { labelVersion } from '../../../db/relabel-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { capRows } from '../../../core/train/sample-cap.ts';
import { sequenceHash } from '../../../core/util/sequence-hash.ts';
import { FoldCheckpoints } from './fold-checkpoints.ts';
import { loadTrainPool, subsetData, subsetX } from './analysis-data.ts';
import type { StoredRunConfig } from './training-job.ts';

export interface FoldProgress {
  stage: 'fold';
  fold: number;
  folds: number;
  epoch: number;
  /** A training phase, or 'reused': the fold was finished by an interrupted analysis and is not trained again. */
  phase: string;
  metrics: Record<string, number>;
}

export class AnalysisCancelled extends Error {
  constructor() {
    super('analysis cancelled');
  }
}

let cnnRegistered = false;
export function ensureTrainerKinds(): void {
  if (!cnnRegistered) {
    registerCnnTrainerKind();
    cnnRegistered = true;
  }
}

// The lookup lives with the models table so the review panel can use it without the engine.
export { findOutOfFoldModel } from '../../../db/model-store.ts';

export async function trainOutOfFold(
  db: ProjectDb,
  parent: StoredModel,
  cfg: StoredRunConfig,
  o: { folds: number; runId: RunId | number; signal?: AbortSignal; onProgress?: (p: FoldProgress | { stage: 'checkpoint'; message: string }) => void },
): Promise<ModelId> {
  ensureTrainerKinds();
  // Read before the labels are loaded: a decision made in between makes the stamp older than
  // the labels, which can only cause a needless recomputation, never a stale set passing as fresh.
  const version = labelVersion(db);
  const pool = loadTrainPool(db, { useSoftTargets: cfg.options.softTargets ?? true, reviewedTarget: cfg.options.reviewedTarget });
  const n = pool.train.ids.length;
  const folds = stratifiedKFold(pool.train.y, { k: o.folds, seed: cfg.seed });
  const probs = new Float32Array(n * NUM_CLASSES);
  const checkpoints = new FoldCheckpoints(db.modelsDir, parent.id, o.folds, { labelVersion: version, facesHash: sequenceHash(pool.train.ids), foldsHash: sequenceHash(folds) });
  if (checkpoints.setAside) o.onProgress?.({ stage: 'checkpoint', message: `${checkpoints.file}: ${checkpoints.setAside.reason}; moved to ${checkpoints.setAside.to}, training every fold` });
  for (let f = 0; f < o.folds; f++) {
    if (o.signal?.aborted) throw new AnalysisCancelled();
    const { train, heldOut } = foldSplit(folds, f);
    const finished = checkpoints.get(f, heldOut.length);
    if (finished) {
      heldOut.forEach((row, i) => probs.set(finished.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES), row * NUM_CLASSES));
      o.onProgress?.({ stage: 'fold', fold: f, folds: o.folds, epoch: 0, phase: 'reused', metrics: {} });
      continue;
    }
    const rows = capRows(train, cfg.options.maxSamples, cfg.seed + f);
    const trainer = createTrainer(cfg.modelKind, cfg.trainer, subsetData(pool, rows), cfg.seed);
    try {
      const r = await runTraining({
        trainer,
        signal: o.signal,
        onEpoch: (e) => o.onProgress?.({ stage: 'fold', fold: f, folds: o.folds, epoch: e.epoch, phase: e.phase, metrics: e.metrics }),
      });
      if (r.status === 'cancelled') throw new AnalysisCancelled();
      const p = trainer.predict(subsetX(pool.train, heldOut));
      checkpoints.put(f, p);
      heldOut.forEach((row, i) => probs.set(p.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES), row * NUM_CLASSES));
    } finally {
      trainer.dispose();
    }
  }
  const oofId = createModel(db, {
    runId: o.runId,
    kind: parent.kind,
    name: `out-of-fold (${o.folds}-fold) of model ${parent.id}`,
    // No weights of its own: the row only carries the fold models' predictions.
    filePath: parent.filePath,
    inputSize: parent.inputSize,
    structure: { role: 'out-of-fold', ofModel: parent.id, folds: o.folds, seed: cfg.seed, maxSamples: cfg.options.maxSamples ?? null },
  });
  writePredictions(db, oofId, { sampleIds: pool.train.ids, probs, folds });
  stampLabelVersion(db, oofId, version);
  checkpoints.remove();
  return oofId;
}
