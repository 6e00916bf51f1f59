/**
 * `createTsWorker(url, options)`: a worker thread running a TypeScript module wherever the
 * service runs. Under `node --import tsx` a Worker on a .ts file works by inheritance, but in
 * Electron (service loaded through tsx's API, see electron/shell/load-service.ts) it fails with
 * `Unknown file extension ".ts"`; the bootstrap registers tsx inside the worker first. The
 * entry's own workerData is passed through unchanged.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const BOOT_URL = new URL('./ts-worker-boot.mjs', import.meta.url);

export function createTsWorker(entry: URL, options: WorkerOptions = {}): Worker {
  const data = options.workerData;
  if (data !== undefined && (typeof data !== 'object' || data === null || Array.isArray(data))) {
    throw new Error('createTsWorker: workerData must be a plain object (the bootstrap adds its entry to it)');
  }
  // Strip any query tsx's namespaced loader appends to import.meta.url.
  const clean = new URL(entry.href);
  clean.search = '';
  return new Worker(BOOT_URL, { ...options, workerData: { ...(data as object | undefined), __tsWorkerEntry: clean.href } });
}
