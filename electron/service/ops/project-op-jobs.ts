/**
 * Runs an import or the demo generation in a worker thread and resolves with the same result
 * as the in-process op, so the service keeps answering while thousands of faces are decoded
 * and written. Cancelling the caller's signal cancels the worker's import between faces.
 */
import type { ImportProgressEvent, ImportReport, ImportStartParams, ProjectProgress } from '../../../api/contract.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { spawnWorker, workerEntry } from '../../workers/spawn-worker.ts';

const WORKER_URL = workerEntry('project-op-worker');

function runInWorker<T, P>(data: Record<string, unknown>, onProgress: ((p: P) => void) | undefined, signal?: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const worker = spawnWorker(WORKER_URL, data);
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => worker.postMessage('cancel');
    signal?.addEventListener('abort', onAbort);
    worker.on('message', (m: { type: 'progress'; progress: P } | { type: 'result'; result: T } | { type: 'error'; message: string }) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'result') settle(() => resolve(m.result));
      else settle(() => reject(new Error(m.message)));
    });
    worker.on('error', (e) => settle(() => reject(e)));
    worker.on('exit', (code) => settle(() => reject(new Error(`the worker stopped (exit code ${code}) before it finished`))));
  });
}

/** importDataset (ops/import.ts) in a worker thread with its own connection to the project file. */
export function importDatasetInWorker(
  db: ProjectDb,
  req: ImportStartParams,
  ctx: { onProgress?: (p: Partial<ImportProgressEvent>) => void; signal?: AbortSignal } = {},
): Promise<Omit<ImportReport, 'jobId'> & { jobId?: string }> {
  return runInWorker({ op: 'import', projectPath: db.path, req }, ctx.onProgress, ctx.signal);
}

/** createDemoProject (ops/project.ts) in a worker thread. */
export function createDemoProjectInWorker(path: string, opts: { onProgress?: (p: ProjectProgress) => void } = {}): Promise<void> {
  return runInWorker<null, ProjectProgress>({ op: 'demo', projectPath: path }, opts.onProgress).then(() => undefined);
}
