/**
 * One training run, start to finish, in whatever thread calls it (the worker of
 * electron/workers/training-worker.ts for the app, the main thread for the CLI): pick the
 * backend, load the project's data, create or restore the trainer, run the shared training
 * loop with a checkpoint after every epoch, then save the model beside the project, store its
 * predictions for every face and evaluate it on valid and test. Every epoch, structure event
 * and status change is written to the project database as it happens, so a killed run can be
 * resumed from its last checkpoint and the UI can be rebuilt from the database alone.
 *
 * Crash safety: the job owns its run through a lease (db/run-lease.ts) and refuses a run alive
 * in another process. Each epoch's checkpoint goes to a new file, and the epoch record and the
 * run's checkpoint path are committed in one transaction after it; the previous checkpoint is
 * removed only then. A crash at any point leaves a recorded epoch count and a checkpoint that
 * match. The model row is written only after its weights file, and a model row left by a crash
 * during saving (its run never reached 'done') is deleted before the run saves again.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { EpochRecord, ModelKind, StructureEvent, TrainingOptions, TrainingProgressEvent } from '../../../api/contract.ts';
import type { ModelId, RunId } from '../../../api/domain.ts';
import { chooseRuntime } from './engine-runtime.ts';
import { registerCnnTrainerKind } from '../../../core/models/cnn/index.ts';
import { createTrainer, restoreTrainer } from '../../../core/train/create-trainer.ts';
import { runTraining } from '../../../core/train/run-training.ts';
import { loadSnapshot, saveSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ModelTrainer } from '../../../core/train/types.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createModel, deleteUnfinishedRunModels } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { claimRun, leaseHeartbeat, renewRunLease, RUN_HEARTBEAT_MS, RunningElsewhereError } from '../../../db/run-lease.ts';
import { finishRun, getRun, listEpochs, recordEpoch, setRunCheckpoint, startRun } from '../../../db/run-store.ts';
import { readPixelBlock } from '../../../db/training-matrix.ts';
import { evaluateModel } from './evaluation.ts';
import { loadProjectTrainingData } from './training-data.ts';
import { effectiveMethodOptions } from './method-config.ts';
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
  | { type: 'backend'; payload: { runId: RunId; name: string; reason: string } }
  /** An epoch's checkpoint file is written, and its epoch record not yet committed. */
  | { type: 'checkpoint-written'; payload: { runId: RunId; file: string } }
  /** The model row is written; its predictions and evaluations follow. */
  | { type: 'saving'; payload: { runId: RunId; modelId: ModelId } };

export interface TrainingJobResult {
  status: 'done' | 'cancelled' | 'failed';
  modelId: ModelId | null;
  error: string | null;
}

/** The run's record: its options with every METHOD constant of its kind filled in, so the run shows what it ran with. */
export function runConfig(modelKind: ModelKind, options: TrainingOptions): StoredRunConfig {
  const full: TrainingOptions = { ...options, method: effectiveMethodOptions(modelKind, options.method) };
  return { modelKind, options: full, trainer: trainerConfig(modelKind, full), seed: options.seed ?? DEFAULT_SEED };
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
  let heartbeatTimer: ReturnType<typeof setInterval> | null = null;
  try {
    const run = getRun(db, runId);
    if (!run) throw new Error(`no training run ${runId} in ${projectPath}`);
    claimRun(db, runId);
    // Renewed from the training callbacks (the timer cannot fire while a batch computes).
    const beat = leaseHeartbeat(db, runId);
    heartbeatTimer = setInterval(() => renewRunLease(db, runId), RUN_HEARTBEAT_MS);
    heartbeatTimer.unref();
    const cfg = run.config as unknown as StoredRunConfig;
    const backend = await chooseRuntime({ runtime: cfg.options.runtime, threads: cfg.options.threads });
    ctx.onEvent?.({ type: 'backend', payload: { runId, name: backend.name, reason: backend.reason } });
    if (!cnnRegistered) {
      registerCnnTrainerKind();
      cnnRegistered = true;
    }
    startRun(db, runId, backend.name);
    const { data } = loadProjectTrainingData(db, { useSoftTargets: cfg.options.softTargets ?? true, reviewedTarget: cfg.options.reviewedTarget, maxSamples: cfg.options.maxSamples, seed: cfg.seed });
    mkdirSync(db.modelsDir, { recursive: true });
    const resumeFrom = ctx.resume && run.checkpointPath && existsSync(run.checkpointPath) ? run.checkpointPath : null;
    removeStaleCheckpoints(db.modelsDir, runId, resumeFrom);
    let epochsRecorded = resumeFrom ? listEpochs(db, runId).length : 0;
    trainer = resumeFrom ? restoreTrainer(await loadSnapshot(resumeFrom), data) : createTrainer(cfg.modelKind, cfg.trainer, data, cfg.seed);
    let committedCheckpoint = resumeFrom;
    let writtenCheckpoint: string | null = null;
    const planned = plannedEpochs(cfg.modelKind, cfg.options);
    const epochSeconds: number[] = [];
    let lastProgress = 0;
    let epochInProgress = -1;
    let epochStarted = Date.now();
    const result = await runTraining({
      trainer,
      signal: ctx.signal,
      checkpoint: async (snap) => {
        // A new file per epoch: the committed checkpoint stays intact until its successor is committed.
        writtenCheckpoint = join(db.modelsDir, `run-${runId}.epoch-${epochsRecorded + 1}.checkpoint`);
        await saveSnapshot(writtenCheckpoint, snap);
        ctx.onEvent?.({ type: 'checkpoint-written', payload: { runId, file: writtenCheckpoint } });
      },
      onBatch: (p) => {
        if (cancelled()) throw new Cancelled();
        beat();
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
        const checkpoint = writtenCheckpoint;
        db.write(() => {
          recordEpoch(db, runId, record, r.events);
          if (checkpoint) setRunCheckpoint(db, runId, checkpoint);
        });
        epochsRecorded++;
        if (checkpoint && committedCheckpoint && committedCheckpoint !== checkpoint) rmSync(committedCheckpoint, { force: true });
        committedCheckpoint = checkpoint ?? committedCheckpoint;
        writtenCheckpoint = null;
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
    const modelId = await saveModel(db, runId, cfg, trainer, beat, (id) => ctx.onEvent?.({ type: 'saving', payload: { runId, modelId: id } }));
    finishRun(db, runId, 'done');
    return { status: 'done', modelId, error: null };
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    // Another process's run is not ours to mark.
    if (!(e instanceof RunningElsewhereError)) {
      try {
        finishRun(db, runId, 'failed', message);
      } catch {
        // the database itself failed; the caller still gets the error
      }
    }
    return { status: 'failed', modelId: null, error: message };
  } finally {
    if (heartbeatTimer) clearInterval(heartbeatTimer);
    trainer?.dispose();
    db.close();
  }
}

/** Checkpoint files of this run other than the one to resume from: left by a crash between a checkpoint and its commit, or before its predecessor's removal. */
function removeStaleCheckpoints(modelsDir: string, runId: RunId, keep: string | null): void {
  const prefix = `run-${runId}.`;
  for (const name of readdirSync(modelsDir)) {
    const file = join(modelsDir, name);
    if (name.startsWith(prefix) && /\.checkpoint(\.tmp-\d+)?$/.test(name) && file !== keep) rmSync(file, { force: true });
  }
}

/**
 * Saves the trained model beside the project, predicts every face, evaluates valid and test.
 * The run is 'done' only after all of it, so a model row of a run that is not done is the
 * remains of a crash inside this function: it is deleted (with its predictions) first.
 */
async function saveModel(db: ProjectDb, runId: RunId, cfg: StoredRunConfig, trainer: ModelTrainer, beat: () => void, onRow: (id: ModelId) => void): Promise<ModelId> {
  deleteUnfinishedRunModels(db, runId);
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
  onRow(modelId);
  await predictAll(db, modelId, trainer, beat);
  for (const split of ['valid', 'test'] as const) {
    try {
      await evaluateModel(db, modelId, split, 'model', { hashMissing: false });
    } catch {
      // a split without faces has nothing to evaluate
    }
  }
  return modelId;
}

/** Faces predicted per block: 2,048 faces of 48x48 are 4.7 MB of bytes (plus one inference batch as float). */
export const PREDICT_BLOCK = 2048;

/**
 * Plain (not out-of-fold) predictions for every face of every split, a block of faces at a
 * time read from the project file in id order, so memory is one block whatever the project's size.
 */
export async function predictAll(db: ProjectDb, modelId: ModelId, model: Pick<ModelTrainer, 'predict'>, beat: () => void = () => {}): Promise<number> {
  const { height, width } = getProjectInfo(db).inputSize;
  let n = 0;
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const block = readPixelBlock(db, after, PREDICT_BLOCK);
    const rows = block.ids.length;
    if (rows === 0) break;
    const probs = model.predict({ data: block.x, rows, cols: height * width });
    writePredictions(db, modelId, { sampleIds: block.ids, probs });
    n += rows;
    after = block.ids[rows - 1];
    beat();
  }
  return n;
}
