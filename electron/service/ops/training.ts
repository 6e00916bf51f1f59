/**
 * The app's training jobs: each run trains in its own worker thread (the thread answering the
 * UI never trains), its events are forwarded to the UI as contract events, and the run's state
 * is read back from the project database, which the worker writes as it goes. Runs left
 * 'running' by a process that died are reported as 'interrupted' and can be resumed; a run
 * alive in another process (its lease, db/run-lease.ts) is 'running-elsewhere' and is refused.
 */
import type { Worker } from 'node:worker_threads';
import type { ModelKind, TrainingOptions, TrainingRunInfo, TrainingStartParams } from '../../../api/contract.ts';
import type { ModelId, RunId } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { listModels } from '../../../db/model-store.ts';
import { runningElsewhere, RunningElsewhereError } from '../../../db/run-lease.ts';
import { createRun, finishRun, getRun, listEpochs, listRuns, listStructureEvents, type Run } from '../../../db/run-store.ts';
import type { Emit } from '../ops-loader.ts';
import { spawnWorker, workerEntry } from '../../workers/spawn-worker.ts';
import { runConfig, type StoredRunConfig, type TrainingJobEvent, type TrainingJobResult } from './training-job.ts';

const WORKER_URL = workerEntry('training-worker');

export class TrainingJobs {
  private readonly workers = new Map<number, Worker>();
  private readonly cancelFlags = new Map<number, Int32Array>();

  constructor(
    private readonly db: ProjectDb,
    private readonly emit: Emit,
    private readonly workerUrl: URL = WORKER_URL,
  ) {}

  start(spec: TrainingStartParams & { parentModelId?: ModelId }): { runId: RunId } {
    const runId = createRun(this.db, { kind: 'train', modelKind: spec.modelKind, config: runConfig(spec.modelKind, spec.options) as unknown as Record<string, unknown> });
    this.launch(runId, false);
    return { runId };
  }

  resume(runId: RunId): { runId: RunId } {
    const run = getRun(this.db, runId);
    if (!run || run.kind !== 'train') throw new Error(`no training run ${runId}`);
    if (this.workers.has(runId)) throw new Error(`run ${runId} is already running`);
    if (run.status === 'done') throw new Error(`run ${runId} already finished`);
    // Checked here for a clear answer; the worker's claim (one transaction) settles any race.
    const owner = runningElsewhere(this.db, runId);
    if (owner) throw new RunningElsewhereError(runId, owner);
    this.launch(runId, true);
    return { runId };
  }

  cancel(runId: RunId): boolean {
    const w = this.workers.get(runId);
    if (!w) return false;
    w.postMessage('cancel');
    const flag = this.cancelFlags.get(runId);
    if (flag) Atomics.store(flag, 0, 1);
    return true;
  }

  /** Every run of the project: training, analysis (its k-fold models) and re-learning (its children). */
  list(): TrainingRunInfo[] {
    return listRuns(this.db).map((r) => this.info(r));
  }

  get(runId: RunId): TrainingRunInfo | null {
    const r = getRun(this.db, runId);
    return r ? this.info(r) : null;
  }

  /** Waits for every running job to stop (used on shutdown and by tests). */
  async dispose(): Promise<void> {
    const waits = [...this.workers.entries()].map(
      ([id, w]) =>
        new Promise<void>((resolve) => {
          w.once('exit', () => resolve());
          this.cancel(id as RunId);
        }),
    );
    await Promise.all(waits);
  }

  private launch(runId: RunId, resume: boolean): void {
    const cancelFlag = new SharedArrayBuffer(4);
    const worker = spawnWorker(this.workerUrl, { projectPath: this.db.path, runId, resume, cancelFlag });
    this.workers.set(runId, worker);
    this.cancelFlags.set(runId, new Int32Array(cancelFlag));
    let result: TrainingJobResult | null = null;
    let finished = false;
    const finish = (error: string | null) => {
      if (finished) return;
      finished = true;
      this.workers.delete(runId);
      this.cancelFlags.delete(runId);
      const r = result ?? { status: 'failed' as const, modelId: null, error: error ?? 'the training worker stopped without a result' };
      // A worker that died before it could record its own end must not leave the run 'running'.
      const stored = getRun(this.db, runId);
      if (r.status === 'failed' && stored && (stored.status === 'queued' || stored.status === 'running') && !runningElsewhere(this.db, runId)) finishRun(this.db, runId, 'failed', r.error);
      if (r.status === 'failed') this.emit('job:error', { jobId: `run-${runId}`, kind: 'training', message: r.error ?? 'training failed' });
      this.emit('training:done', { runId, status: r.status, modelId: r.modelId, error: r.error });
    };
    worker.on('message', (m: { type: 'event'; event: TrainingJobEvent } | { type: 'result'; result: TrainingJobResult }) => {
      if (m.type === 'result') {
        // The wasm backend keeps a worker's event loop alive: the result is the end of the run.
        result = m.result;
        finish(null);
        void worker.terminate();
        return;
      }
      const e = m.event;
      if (e.type === 'progress') this.emit('training:progress', e.payload);
      else if (e.type === 'epoch') this.emit('training:epoch', e.payload);
      else if (e.type === 'structure') this.emit('training:structure', e.payload);
    });
    worker.on('error', (e) => finish(e.message));
    worker.on('exit', () => {
      if (this.workers.has(runId)) finish(null);
    });
  }

  private info(r: Run): TrainingRunInfo {
    const cfg = r.config as unknown as Partial<StoredRunConfig>;
    const model = listModels(this.db).find((m) => m.runId === r.id) ?? null;
    const live = this.workers.has(r.id);
    const elsewhere = r.status === 'running' && !live ? runningElsewhere(this.db, r.id) : null;
    // A live worker is the truth: a resumed run still reads 'cancelled' in the file until its
    // worker starts, and saying so made the UI offer a second Resume ("already running").
    const status = live ? (r.status === 'done' ? 'done' : 'running') : elsewhere ? 'running-elsewhere' : r.status === 'running' ? 'interrupted' : r.status === 'queued' ? 'running' : r.status;
    return {
      id: r.id,
      kind: r.kind,
      subject: runSubject(r),
      modelKind: (r.modelKind ?? cfg.modelKind ?? 'cnn') as ModelKind,
      config: (cfg.options ?? {}) as TrainingOptions,
      backend: r.backend ?? '',
      status,
      runningElsewhere: elsewhere,
      epochs: listEpochs(this.db, r.id).map((e) => ({ epoch: e.epoch, phase: e.phase, metrics: e.metrics, units: e.units, seconds: e.seconds })),
      structureEvents: listStructureEvents(this.db, r.id).map((e) => ({ epoch: e.epoch, layer: e.layer, kind: e.kind, unitsBefore: e.unitsBefore, unitsAfter: e.unitsAfter })),
      modelId: model?.id ?? null,
      parentModelId: model?.parentModelId ?? null,
      startedAt: r.startedAt ?? r.createdAt,
      finishedAt: r.finishedAt,
      error: r.error,
    };
  }
}

/** The model an analysis or re-learning run worked on, in words (their configs name it). */
function runSubject(r: Run): string | null {
  const c = r.config as Record<string, unknown>;
  if (r.kind === 'analyze') return `model #${String(c.modelId)}${Number(c.folds) > 1 ? ` · ${String(c.folds)}-fold` : ' · in-sample'}`;
  if (r.kind === 'relearn') return `children of model #${String(c.parentModelId)}`;
  return null;
}
