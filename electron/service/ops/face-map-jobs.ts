/**
 * The face-map job of the open project: one at a time, in a worker thread (electron/workers/
 * face-map-worker.ts), its progress and end pushed as map:progress / map:done events.
 * Cancelling terminates the worker: the layout is one long synchronous computation, and the
 * map is only written, in one statement, when it is complete.
 */
import type { Worker } from 'node:worker_threads';
import type { MapProgressEvent, MapStartParams } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getModel } from '../../../db/model-store.ts';
import { spawnWorker, workerEntry } from '../../workers/spawn-worker.ts';
import type { Emit } from '../ops-loader.ts';

export const DEFAULT_MAP_SEED = 1;

type WorkerMessage =
  | { type: 'progress'; progress: Omit<MapProgressEvent, 'jobId' | 'modelId'> }
  | { type: 'result'; result: { faces: number; seconds: number } }
  | { type: 'error'; message: string };

export class FaceMapJobs {
  private running: { jobId: string; worker: Worker; cancel: () => void } | null = null;
  private counter = 0;

  constructor(
    private readonly db: ProjectDb,
    private readonly emit: Emit,
  ) {}

  start(p: MapStartParams): { jobId: string } {
    if (this.running) throw new Error(`a face map is being computed already (job ${this.running.jobId}); cancel it or wait`);
    const modelId = p.modelId as ModelId | null;
    if (modelId !== null && !getModel(this.db, modelId)) throw new Error(`no model ${modelId} in this project`);
    const jobId = `map-${Date.now()}-${++this.counter}`;
    const t0 = performance.now();
    const worker = spawnWorker(workerEntry('face-map-worker'), { projectPath: this.db.path, modelId, seed: p.seed ?? DEFAULT_MAP_SEED });
    let finished = false;
    const finish = (status: 'done' | 'failed' | 'cancelled', error: string | null) => {
      if (finished) return;
      finished = true;
      if (this.running?.jobId === jobId) this.running = null;
      void worker.terminate();
      this.emit('map:done', { jobId, modelId, status, error, seconds: (performance.now() - t0) / 1000 });
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') this.emit('map:progress', { jobId, modelId, ...m.progress });
      else if (m.type === 'result') finish('done', null);
      else finish('failed', m.message);
    });
    worker.on('error', (e) => finish('failed', e.message));
    worker.on('exit', () => finish('failed', 'the face-map worker stopped without a result'));
    this.running = { jobId, worker, cancel: () => finish('cancelled', null) };
    return { jobId };
  }

  cancel(jobId: string): boolean {
    if (this.running?.jobId !== jobId) return false;
    this.running.cancel();
    return true;
  }

  async dispose(): Promise<void> {
    const r = this.running;
    r?.cancel();
    if (r) await r.worker.terminate();
  }
}
