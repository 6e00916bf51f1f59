/**
 * Creates a worker thread for an entry module, whether the app runs from TypeScript sources
 * (through tsx, which must then be registered inside the worker) or from a JavaScript bundle.
 */
import { Worker } from 'node:worker_threads';

export function spawnWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./ts-bootstrap.mjs', import.meta.url), { workerData: { ...workerData, __entry: entry.href } });
  }
  return new Worker(entry, { workerData });
}
