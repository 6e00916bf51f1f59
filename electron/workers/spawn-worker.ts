/**
 * Creates a worker thread for an entry module, whether the app runs from TypeScript sources
 * (through tsx, which must then be registered inside the worker) or from the JavaScript bundle
 * (scripts/build.mjs writes each entry of WORKER_NAMES to dist/<name>.mjs, next to the bundle
 * that holds this code, so the same relative URL finds it).
 */
import { Worker } from 'node:worker_threads';

/** Every worker entry (electron/workers/<name>.ts); the build bundles each one. */
export const WORKER_NAMES = ['training-worker', 'project-op-worker', 'relearn-worker', 'face-map-worker'] as const;
export type WorkerName = (typeof WORKER_NAMES)[number];

/** The entry of a worker: its TypeScript source when this module runs from sources, else the bundled file. */
export function workerEntry(name: WorkerName, moduleUrl: string = import.meta.url): URL {
  const fromSources = moduleUrl.endsWith('.ts');
  return new URL(fromSources ? `./${name}.ts` : `./${name}.mjs`, moduleUrl);
}

export function spawnWorker(entry: URL, workerData: Record<string, unknown>): Worker {
  if (entry.pathname.endsWith('.ts')) {
    return new Worker(new URL('./ts-bootstrap.mjs', import.meta.url), { workerData: { ...workerData, __entry: entry.href } });
  }
  return new Worker(entry, { workerData });
}
