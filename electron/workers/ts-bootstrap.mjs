// Starts a TypeScript worker entry when the app runs from sources (tsx): loader hooks are
// per thread in Node, so a worker registers tsx itself before importing its entry. The
// packaged app bundles workers to JavaScript and does not use this file.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.__entry);
