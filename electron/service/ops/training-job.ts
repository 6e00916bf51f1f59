/**
 * One training run, start to finish, in whatever thread calls it (the worker of
 * electron/workers/training-worker.ts for the app, the main thread for the CLI): pick the
 * backend, load the project's data, create or restore the trainer, run the shared training
 * loop with a checkpoint after every epoch, then save the model beside the project, store its
 * predictions for every face and evaluate it on valid and test. Every epoch, structure event
 * and status change is written to the project database as it happens, so a killed run can be
 * resumed from its last checkpoint and the UI can be rebuilt from the database alone.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord, ModelKind, StructureEvent, TrainingOptions, TrainingProgressEvent } from '../../../api/contract.ts';
import { SPLITS, type ModelId, type RunId } from '../../../api/domain.ts';
import { initBackend } from '../../../core/backend/init-backend.ts';
import { registerCnnTrainerKind } from '../../../core/models/cnn/index.ts';
import { createTrainer, restoreTrainer } from '../../../core/train/create-trainer.ts';
import { runTraining } from '../../../core/train/run-training.ts';
import { loadSnapshot, saveSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ModelTrainer } from '../../../core/train/types.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { finishRun, getRun, recordEpoch, setRunCheckpoint, startRun } from '../../../db/run-store.ts';
import { loadTrainingMatrix } from '../../../db/training-matrix.ts';
import { evaluateModel } from './evaluation.ts';
import { loadProjectTrainingData } from './training-data.ts';
import { DEFAULT_SEED, plannedEpochs, trainerConfig } from './training-config.ts';
import { runEtaSeconds } from './training-eta.ts';

/** What a run stores as its config: enough to resume it exactly. */
export interface StoredRunConfig {
  modelKind: ModelKind;
  options: TrainingOptions;
  trainer: Record<string, unknown>;
  seed: number;
}

export type TrainingJobEvent =
  | { type: 'progress'; payload: TrainingProgressEvent }
  | { type: 'epoch'; payload: { runId: RunId; epoch: EpochRecord } }
  | { type: 'structure'; payload: { runId: RunId; event: StructureEvent } }
  | { type: 'backend'; payload: { runId: RunId; name: string; reason: string } };

export interface TrainingJobResult {
  status: 'done' | 'cancelled' | 'failed';
  modelId: ModelId | null;
  error: string | null;
}

export function runConfig(modelKind: ModelKind, options: TrainingOptions): StoredRunConfig {
  return { modelKind, options, trainer: trainerConfig(modelKind, options), seed: options.seed ?? DEFAULT_SEED };
}

class Cancelled extends Error {}

let cnnRegistered = false;

export async function runTrainingJob(
  projectPath: string,
  runId: RunId,
  ctx: { resume?: boolean; signal?: AbortSignal; onEvent?: (e: TrainingJobEvent) => void; shouldCancel?: () => boolean },
): Promise<TrainingJobResult> {
  const cancelled = () => ctx.signal?.aborted === true || ctx.shouldCancel?.() === true;
  const db = openProject(projectPath);
  let trainer: ModelTrainer | null = null;
  try {
    const run = getRun(db, runId);
    if (!run) throw new Error(`no training run ${runId} in ${projectPath}`);
    const cfg = run.config as unknown as StoredRunConfig;
    const backend = await initBackend();
    ctx.onEvent?.({ type: 'backend', payload: { runId, name: backend.name, reason: backend.reason } });
    if (!cnnRegistered) {
      registerCnnTrainerKind();
      cnnRegistered = true;
    }
    startRun(db, runId, backend.name);
    const { data } = loadProjectTrainingData(db, { useSoftTargets: cfg.options.softTargets ?? true, maxSamples: cfg.options.maxSamples, seed: cfg.seed });
    const checkpointPath = join(db.modelsDir, `run-${runId}.checkpoint`);
    mkdirSync(db.modelsDir, { recursive: true });
    if (ctx.resume && run.checkpointPath && existsSync(run.checkpointPath)) {
      trainer = restoreTrainer(await loadSnapshot(run.checkpointPath), data);
    } else {
      trainer = createTrainer(cfg.modelKind, cfg.trainer, data, cfg.seed);
    }
    const planned = plannedEpochs(cfg.modelKind, cfg.options);
    const epochSeconds: number[] = [];
    let lastProgress = 0;
    let epochInProgress = -1;
    let epochStarted = Date.now();
    const result = await runTraining({
      trainer,
      signal: ctx.signal,
      checkpoint: async (snap) => {
        await saveSnapshot(checkpointPath, snap);
        setRunCheckpoint(db, runId, checkpointPath);
      },
      onBatch: (p) => {
        if (cancelled()) throw new Cancelled();
        const now = Date.now();
        if (p.epoch !== epochInProgress) {
          epochInProgress = p.epoch;
          epochStarted = now;
        }
        if (now - lastProgress < 200 && p.batch < p.batches) return;
        lastProgress = now;
        const eta = runEtaSeconds({ epoch: p.epoch, batch: p.batch, batches: p.batches, planned, epochSeconds, epochElapsed: (now - epochStarted) / 1000 });
        ctx.onEvent?.({ type: 'progress', payload: { runId, phase: p.phase, epoch: p.epoch, plannedEpochs: planned, batch: p.batch, batches: p.batches, samplesPerSecond: p.samplesPerSecond, etaSeconds: eta } });
      },
      onEpoch: (r) => {
        epochSeconds.push(r.seconds);
        const record = { epoch: r.epoch, phase: r.phase, metrics: r.metrics, units: r.units, seconds: r.seconds, samples: r.samples };
        recordEpoch(db, runId, record, r.events);
        ctx.onEvent?.({ type: 'epoch', payload: { runId, epoch: record } });
        for (const e of r.events) ctx.onEvent?.({ type: 'structure', payload: { runId, event: e } });
      },
    }).catch((e) => {
      if (e instanceof Cancelled) return { status: 'cancelled' as const, reports: [] };
      throw e;
    });
    if (result.status === 'cancelled') {
      finishRun(db, runId, 'cancelled');
      return { status: 'cancelled', modelId: null, error: null };
    }
    const modelId = await saveModel(db, runId, cfg, trainer);
    finishRun(db, runId, 'done');
    return { status: 'done', modelId, error: null };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    try {
      finishRun(db, runId, 'failed', message);
    } catch {
      // the database itself failed; the caller still gets the error
    }
    return { status: 'failed', modelId: null, error: message };
  } finally {
    trainer?.dispose();
    db.close();
  }
}

/** Saves the trained model beside the project, predicts every face, evaluates valid and test. */
async function saveModel(db: ProjectDb, runId: RunId, cfg: StoredRunConfig, trainer: ModelTrainer): Promise<ModelId> {
  const snap = trainer.snapshot();
  const file = join(db.modelsDir, `model-run-${runId}.arsnap`);
  await saveSnapshot(file, snap);
  const units = Array.isArray(snap.meta.units) ? (snap.meta.units as number[]) : [];
  const modelId = createModel(db, {
    runId,
    kind: cfg.modelKind,
    name: `${cfg.modelKind.toUpperCase()} run ${runId}`,
    filePath: file,
    inputSize: getProjectInfo(db).inputSize,
    structure: { units, meta: snap.meta },
  });
  await predictAll(db, modelId, trainer);
  for (const split of ['valid', 'test'] as const) {
    try {
      await evaluateModel(db, modelId, split);
    } catch {
      // a split without faces has nothing to evaluate
    }
  }
  return modelId;
}

/** Plain (not out-of-fold) predictions for every face of every split, in chunks to bound memory. */
export async function predictAll(db: ProjectDb, modelId: ModelId, model: Pick<ModelTrainer, 'predict'>): Promise<number> {
  let n = 0;
  for (const split of SPLITS) {
    const m = loadTrainingMatrix(db, { split, labels: 'current', onlyClassLabels: false });
    const size = m.height * m.width;
    const chunk = 2048;
    for (let start = 0; start < m.ids.length; start += chunk) {
      const rows = Math.min(chunk, m.ids.length - start);
      const probs = model.predict({ data: m.x.subarray(start * size, (start + rows) * size), rows, cols: size });
      writePredictions(db, modelId, { sampleIds: m.ids.subarray(start, start + rows), probs });
      n += rows;
    }
  }
  return n;
}
