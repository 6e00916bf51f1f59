/**
 * The ambiguity analysis of a trained model (METHOD.md 5), callable from the CLI in-process
 * and from the service: k-fold out-of-sample predictions on the train split
 * (analysis-folds.ts), per-face scores in the scores table (analysis-scores.ts), annotator
 * statistics (analysis-annotators.ts) and the parent's misclassified train faces grouped by
 * confusion pair. Each analysis is an 'analyze' run; its JSON result (everything but the
 * per-face rows) is kept beside the weights (db/analysis-inputs.ts writeRunResult).
 * `folds: 1` skips the fold models and scores train on the parent's own, in-sample
 * predictions: the result then carries a warning, and re-learning refuses to use them.
 */
import type { ModelId, RunId } from '../../../api/domain.ts';
import { confusionPairName, DEFAULT_N_MIN, groupConfusions } from '../../../core/analysis/confusion-groups.ts';
import { argmaxRows } from '../../../core/analysis/scores.ts';
import { DEFAULT_FOLDS } from '../../../core/analysis/kfold.ts';
import { chooseRuntime } from './engine-runtime.ts';
import { loadSplitEvidence, writeRunResult } from '../../../db/analysis-inputs.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { getModel, type StoredModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { labelVersion } from '../../../db/relabel-store.ts';
import { createRun, finishRun, getRun, startRun } from '../../../db/run-store.ts';
import { stampScores } from '../../../db/score-versions.ts';
import { annotatorStats, type AnnotatorStatsResult } from './analysis-annotators.ts';
import { AnalysisCancelled, findOutOfFoldModel, trainOutOfFold, type FoldProgress } from './analysis-folds.ts';
import { rankingReport, type SplitRanking } from './analysis-ranking.ts';
import { scoreModel, type SplitScoreSummary } from './analysis-scores.ts';
import type { StoredRunConfig } from './training-job.ts';

export { annotatorStats } from './analysis-annotators.ts';
export type { AnnotatorStatsResult } from './analysis-annotators.ts';
export { findOutOfFoldModel } from './analysis-folds.ts';

/** Imported predictions whose maker did not declare their train part out-of-sample. */
export const IMPORTED_IN_SAMPLE_WARNING =
  'WARNING: these imported predictions were not declared out-of-sample on the TRAIN split (a model scoring faces it trained on): memorised faces look clean, so misclassified and ambiguity scores on train understate the problem. Import cross-validated predictions declared out-of-sample (import-predictions --train-predictions out-of-sample, or tick "Train rows are out-of-sample" in the Evaluation view).';

/** Imported predictions declared out-of-sample on train (cross-validated by the tool that made them). */
export function importedOutOfSample(model: { kind: string; structure: Record<string, unknown> }): boolean {
  return model.kind === 'imported' && model.structure.trainPredictions === 'out-of-sample';
}

export const IN_SAMPLE_WARNING =
  'WARNING: --folds 1 scores the TRAIN split with the parent\'s own predictions on faces it trained on (in-sample): memorised faces look clean, so misclassified and ambiguity scores on train understate the problem. Use k-fold (default 5) before picking training data.';

export type AnalyzeProgress = FoldProgress | { stage: 'backend'; name: string; reason: string } | { stage: 'scores' | 'annotators' | 'groups' | 'checkpoint'; message: string };

export interface AnalyzeOptions {
  folds?: number;
  nMin?: number;
  /** Runtime threads for the fold trainings (default: the model's training run's). */
  threads?: number;
  onProgress?: (p: AnalyzeProgress) => void;
  signal?: AbortSignal;
}

export interface ConfusionGroupSummary {
  given: number;
  predicted: number;
  name: string;
  count: number;
  /** count >= nMin: kept by `relearn --groups auto`. */
  kept: boolean;
}

export interface ConfusionGroupsResult {
  /** 'imported': another tool's train predictions, declared out-of-sample when imported. */
  source: 'out-of-fold' | 'in-sample' | 'imported';
  oofModelId: ModelId | null;
  trainFaces: number;
  misclassified: number;
  nMin: number;
  groups: ConfusionGroupSummary[];
}

export interface AnalyzeResult {
  runId: RunId;
  modelId: ModelId;
  oofModelId: ModelId | null;
  /** Label version (db/relabel-store.ts) the out-of-fold predictions and the scores were computed on. */
  labelVersion: number;
  folds: number;
  inSample: boolean;
  warnings: string[];
  scores: SplitScoreSummary[];
  annotators: AnnotatorStatsResult;
  confusionGroups: ConfusionGroupsResult;
  /** How well each score finds vote-ambiguous faces, per split (analysis-ranking.ts). */
  ranking: SplitRanking[];
}

/** The parent's train predictions the re-learning may pick cases from, aligned by face. */
export interface TrainPredictions {
  ids: Int32Array;
  /** Current label (LabelCode, -1 none). */
  labels: Int32Array;
  predicted: Int32Array;
  outOfSample: boolean;
  oofModelId: ModelId | null;
  /** Label version the out-of-fold predictions were computed on (null: in-sample). */
  labelVersion: number | null;
}

/**
 * A prediction set's train faces with their current labels and predicted classes. Every model
 * predicts the dev-test carve too; those faces are left out here, so they never count towards
 * a confusion group (which chooses what children re-learn).
 */
function trainRows(db: ProjectDb, predictionsOf: ModelId | number): { ids: Int32Array; labels: Int32Array; predicted: Int32Array } {
  const preds = readPredictions(db, predictionsOf, 'train');
  const ev = loadSplitEvidence(db, 'train');
  const labelOf = new Map<number, number>();
  ev.ids.forEach((id, i) => labelOf.set(id, ev.labels[i]));
  const predicted = argmaxRows(preds.probs);
  const rows: number[] = [];
  preds.ids.forEach((id, i) => labelOf.has(id) && rows.push(i));
  return { ids: Int32Array.from(rows, (r) => preds.ids[r]), labels: Int32Array.from(rows, (r) => labelOf.get(preds.ids[r])!), predicted: Int32Array.from(rows, (r) => predicted[r]) };
}

export function trainPredictions(db: ProjectDb, modelId: ModelId | number): TrainPredictions {
  const model = getModel(db, modelId);
  const oof = findOutOfFoldModel(db, modelId);
  const t = trainRows(db, oof ? oof.id : modelId);
  if (t.ids.length === 0) throw new Error(`model ${modelId} has no predictions on the train split`);
  return {
    ...t,
    outOfSample: oof !== null || (model !== null && importedOutOfSample(model)),
    oofModelId: oof ? oof.id : null,
    labelVersion: oof ? oof.labelVersion : null,
  };
}

/** Misclassified train faces by confusion pair (given -> predicted), largest first. */
export function confusionGroups(db: ProjectDb, modelId: ModelId | number, opts: { nMin?: number } = {}): ConfusionGroupsResult {
  const nMin = opts.nMin ?? DEFAULT_N_MIN;
  const t = trainPredictions(db, modelId);
  const groups = groupConfusions(t.labels, t.predicted, { nMin: 1 });
  return {
    source: t.oofModelId !== null ? 'out-of-fold' : t.outOfSample ? 'imported' : 'in-sample',
    oofModelId: t.oofModelId,
    trainFaces: t.ids.length,
    misclassified: groups.reduce((a, g) => a + g.count, 0),
    nMin,
    groups: groups.map((g) => ({ given: g.given, predicted: g.predicted, name: confusionPairName(g.given, g.predicted), count: g.count, kept: g.count >= nMin })),
  };
}

export async function analyzeModel(dbOrPath: ProjectDb | string, modelId: ModelId | number, opts: AnalyzeOptions = {}): Promise<AnalyzeResult> {
  const db = typeof dbOrPath === 'string' ? openProject(dbOrPath) : dbOrPath;
  const folds = opts.folds ?? DEFAULT_FOLDS;
  if (!Number.isInteger(folds) || folds < 1) throw new Error(`analyze: folds must be an integer >= 1 (got ${folds})`);
  let runId: RunId | null = null;
  try {
    const model = getModel(db, modelId);
    if (!model) throw new Error(`no model ${modelId} in ${db.path}`);
    if (model.structure.role === 'out-of-fold') throw new Error(`model ${modelId} is an out-of-fold prediction set, not a trained model; analyse model ${String(model.structure.ofModel)}`);
    if (model.kind === 'imported') return await analyzeImported(db, model, opts);
    const trainRun = model.runId === null ? null : getRun(db, model.runId);
    const cfg = trainRun?.config as unknown as StoredRunConfig | undefined;
    if (folds > 1 && (!cfg || !cfg.modelKind || !cfg.trainer)) throw new Error(`model ${modelId} has no training-run configuration to repeat for k-fold; use --folds 1 (in-sample)`);
    runId = createRun(db, { kind: 'analyze', modelKind: model.kind, config: { modelId: model.id, folds, nMin: opts.nMin ?? DEFAULT_N_MIN } });
    const warnings: string[] = [];
    let oofModelId: ModelId | null = null;
    if (folds > 1) {
      const backend = await chooseRuntime({ runtime: cfg!.options.runtime, threads: opts.threads ?? cfg!.options.threads });
      opts.onProgress?.({ stage: 'backend', name: backend.name, reason: backend.reason });
      startRun(db, runId, backend.name);
      oofModelId = await trainOutOfFold(db, model, cfg!, { folds, runId, signal: opts.signal, onProgress: opts.onProgress });
    } else {
      startRun(db, runId, null);
      warnings.push(IN_SAMPLE_WARNING);
    }
    opts.onProgress?.({ stage: 'scores', message: 'scoring every face' });
    const version = oofModelId !== null ? getModel(db, oofModelId)!.labelVersion! : labelVersion(db);
    const scores = scoreModel(db, model.id, oofModelId);
    stampScores(db, model.id, version, oofModelId);
    opts.onProgress?.({ stage: 'annotators', message: 'annotator statistics' });
    const annotators = annotatorStats(db);
    opts.onProgress?.({ stage: 'groups', message: 'confusion groups' });
    const groups = folds > 1 ? confusionGroups(db, model.id, { nMin: opts.nMin }) : inSampleGroups(db, model.id, opts.nMin);
    const ranking = rankingReport(db, model.id);
    const result: AnalyzeResult = { runId, modelId: model.id, oofModelId, labelVersion: version, folds, inSample: folds === 1, warnings, scores, annotators, confusionGroups: groups, ranking };
    writeRunResult(db, runId, result);
    finishRun(db, runId, 'done');
    return result;
  } catch (e) {
    if (runId !== null) {
      try {
        finishRun(db, runId, e instanceof AnalysisCancelled ? 'cancelled' : 'failed', e instanceof AnalysisCancelled ? null : e instanceof Error ? e.message : String(e));
      } catch {
        // the database itself failed; the caller still gets the error
      }
    }
    throw e;
  } finally {
    if (typeof dbOrPath === 'string') db.close();
  }
}

/**
 * Imported predictions are scored as given: there is no network to train in folds, so the
 * train faces' scores come from the imported train predictions, called out-of-sample only when
 * the import declared them so (else the in-sample warning applies).
 */
async function analyzeImported(db: ProjectDb, model: StoredModel, opts: AnalyzeOptions): Promise<AnalyzeResult> {
  const outOfSample = importedOutOfSample(model);
  const warnings: string[] = [];
  if (opts.folds !== undefined && opts.folds > 1) warnings.push(`--folds ${opts.folds} ignored: model ${model.id} holds imported predictions, scored as given (there is no network to train in folds)`);
  const trainFaces = trainRows(db, model.id).ids.length;
  if (trainFaces === 0) warnings.push(`model ${model.id} has no predictions for train faces: no confusion groups (they are made on train)`);
  else if (!outOfSample) warnings.push(IMPORTED_IN_SAMPLE_WARNING);
  const runId = createRun(db, { kind: 'analyze', modelKind: null, config: { modelId: model.id, folds: 1, imported: true, nMin: opts.nMin ?? DEFAULT_N_MIN } });
  try {
    startRun(db, runId, null);
    opts.onProgress?.({ stage: 'scores', message: 'scoring every face from the imported predictions' });
    const version = labelVersion(db);
    const scores = scoreModel(db, model.id, null, { trainSource: outOfSample ? 'imported (out-of-sample)' : 'in-sample' });
    stampScores(db, model.id, version, null);
    opts.onProgress?.({ stage: 'annotators', message: 'annotator statistics' });
    const annotators = annotatorStats(db);
    opts.onProgress?.({ stage: 'groups', message: 'confusion groups' });
    const groups = outOfSample && trainFaces > 0 ? confusionGroups(db, model.id, { nMin: opts.nMin }) : inSampleGroups(db, model.id, opts.nMin);
    const ranking = rankingReport(db, model.id);
    const result: AnalyzeResult = { runId, modelId: model.id, oofModelId: null, labelVersion: version, folds: 1, inSample: !outOfSample && trainFaces > 0, warnings, scores, annotators, confusionGroups: groups, ranking };
    writeRunResult(db, runId, result);
    finishRun(db, runId, 'done');
    return result;
  } catch (e) {
    finishRun(db, runId, 'failed', e instanceof Error ? e.message : String(e));
    throw e;
  }
}

/** Groups from the parent's own train predictions, even when an older out-of-fold set exists. */
function inSampleGroups(db: ProjectDb, modelId: ModelId, nMin?: number): ConfusionGroupsResult {
  const t = trainRows(db, modelId);
  const groups = groupConfusions(t.labels, t.predicted, { nMin: 1 });
  const min = nMin ?? DEFAULT_N_MIN;
  return {
    source: 'in-sample',
    oofModelId: null,
    trainFaces: t.ids.length,
    misclassified: groups.reduce((a, g) => a + g.count, 0),
    nMin: min,
    groups: groups.map((g) => ({ given: g.given, predicted: g.predicted, name: g.name, count: g.count, kept: g.count >= min })),
  };
}
