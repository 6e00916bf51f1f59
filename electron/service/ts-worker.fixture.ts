// Worker fixture for ts-worker.test.ts: proves TypeScript (a type annotation, a .ts import)
// runs inside the worker and that workerData arrives intact.
import { parentPort, workerData } from 'node:worker_threads';
import { NUM_CLASSES } from '../../api/domain.ts';

const n: number = (workerData as { n: number }).n;
parentPort!.postMessage({ product: n * NUM_CLASSES });
