// Worker entry that can run a TypeScript module in any host: plain Node, `node --import tsx`
// (whose loader workers inherit) and Electron's main process (where the service itself is
// loaded through tsx's API and workers inherit nothing). `--import tsx` in a Worker's execArgv
// does not take effect, so the worker registers tsx itself before importing the real entry.
import { workerData } from 'node:worker_threads';

const { __tsWorkerEntry: entry } = workerData;
const { register } = await import('tsx/esm/api');
register();
await import(entry);
