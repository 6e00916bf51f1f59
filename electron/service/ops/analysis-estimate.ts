/**
 * How long a k-fold analysis of a model will take, before it starts, from the model's own
 * training run: each fold repeats the parent's configuration on (k-1)/k of the train faces
 * (capped like the parent by maxSamples), and an epoch's time scales with the faces it
 * trains on, so a fold costs the parent's recorded training time times the ratio of faces;
 * k folds cost k of those. Early stopping makes a fold stop near where the parent stopped,
 * so the parent's recorded epochs (not its planned maximum) are the better guess. Scoring,
 * annotator statistics and grouping take seconds next to that and are left out. A model
 * without recorded epochs (imported, or trained before epochs were kept) has no estimate.
 * Folds an interrupted analysis finished (fold-checkpoints.ts) on today's labels are not
 * trained again, so they are taken off the estimate and named in its basis.
 */
import type { AnalysableModel, AnalysisEstimate, StoredModelKind } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { DEFAULT_FOLDS } from '../../../core/analysis/kfold.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getModel } from '../../../db/model-store.ts';
import { labelVersion } from '../../../db/relabel-store.ts';
import { getRun, listEpochs } from '../../../db/run-store.ts';
import { peekFoldCheckpoint } from './fold-checkpoints.ts';
import { latestRun, parentModels } from './relearn-jobs.ts';

export interface EstimateInput {
  folds: number;
  /** Seconds of every epoch the parent's run recorded (all phases). */
  epochSeconds: readonly number[];
  /** Faces one epoch of the parent trained on (its largest recorded epoch). */
  parentFaces: number;
  /** Train faces the analysis draws its folds from. */
  trainFaces: number;
  maxSamples?: number;
}

/** Estimated seconds of the fold training, or null without recorded epochs; 0 for folds = 1 (in-sample, no training). */
export function analysisSeconds(i: EstimateInput): number | null {
  if (i.folds <= 1) return 0;
  if (i.epochSeconds.length === 0 || i.parentFaces <= 0) return null;
  const total = i.epochSeconds.reduce((a, b) => a + b, 0);
  const foldFaces = Math.min(i.maxSamples ?? Infinity, Math.floor((i.trainFaces * (i.folds - 1)) / i.folds));
  return i.folds * total * (foldFaces / i.parentFaces);
}

/** The estimate for `analysis.estimate`, with the figures it rests on in words. */
export function estimateAnalysis(db: ProjectDb, modelId: ModelId | number, folds = DEFAULT_FOLDS): AnalysisEstimate {
  const model = getModel(db, modelId);
  if (!model) throw new Error(`no model ${modelId} in this project`);
  const id = model.id;
  if (folds <= 1) return { modelId: id, folds, seconds: 0, basis: 'in-sample: no model is trained, the faces are scored with the model itself' };
  const run = model.runId === null ? null : getRun(db, model.runId);
  const epochs = run ? listEpochs(db, run.id) : [];
  if (!run || epochs.length === 0) return { modelId: id, folds, seconds: null, basis: 'the model has no recorded training epochs to estimate from' };
  const options = (run.config as { options?: { maxSamples?: number } }).options ?? {};
  const trainFaces = db.stmt<[], number>("SELECT count(*) FROM samples WHERE split = 'train'", 'pluck').get() ?? 0;
  const parentFaces = Math.max(...epochs.map((e) => e.samples)) || Math.min(options.maxSamples ?? Infinity, trainFaces);
  const full = analysisSeconds({ folds, epochSeconds: epochs.map((e) => e.seconds), parentFaces, trainFaces, maxSamples: options.maxSamples });
  const total = epochs.reduce((a, e) => a + e.seconds, 0);
  let basis = `${folds} folds, each like the model's own training run (${epochs.length} epochs in ${inWords(total)}) on ${folds - 1}/${folds} of the train faces`;
  const cp = peekFoldCheckpoint(db.modelsDir, id, folds);
  const reused = cp && cp.labelVersion === labelVersion(db) ? Math.min(cp.done, folds) : 0;
  if (reused) basis += `; ${reused} of them finished by an interrupted analysis, reused`;
  return { modelId: id, folds, seconds: full === null ? null : (full * (folds - reused)) / folds, basis };
}

/** Parent models with their latest analysis and the estimate of a new one (default k), newest first. */
export function analysableModels(db: ProjectDb): AnalysableModel[] {
  return parentModels(db)
    .sort((a, b) => b - a)
    .map((id) => {
      const m = getModel(db, id)!;
      const run = latestRun(db, 'analyze', 'modelId', id);
      const latest = run ? { runId: run.id, folds: Number((run.config as { folds?: number }).folds ?? 0), finishedAt: run.finishedAt } : null;
      return { modelId: id, name: m.name, kind: m.kind as StoredModelKind, latest, estimate: estimateAnalysis(db, id) };
    });
}

/** "42 s", "7 min", "1 h 20 min": the basis line's precision. */
function inWords(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const min = Math.round(seconds / 60);
  return min < 60 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`;
}
