// Worker-thread entry for the app's project operations that read or generate many faces
// (importing a dataset, creating the demo project), so the thread answering the UI only
// forwards their progress. Imports are asynchronous (image decoding), so a posted 'cancel'
// arrives between faces.
import { parentPort, workerData } from 'node:worker_threads';
import type { ImportStartParams } from '../../api/contract.ts';
import { openProject } from '../../db/connection.ts';
import { importDataset } from '../service/ops/import.ts';
import { createDemoProject } from '../service/ops/project.ts';

type Input = { op: 'import'; projectPath: string; req: ImportStartParams } | { op: 'demo'; projectPath: string };

const input = workerData as Input;
const controller = new AbortController();
parentPort?.on('message', (m) => {
  if (m === 'cancel') controller.abort();
});
const progress = (p: unknown) => parentPort?.postMessage({ type: 'progress', progress: p });
try {
  if (input.op === 'demo') {
    await createDemoProject(input.projectPath, { onProgress: progress });
    parentPort?.postMessage({ type: 'result', result: null });
  } else {
    const db = openProject(input.projectPath);
    try {
      const result = await importDataset(db, input.req, { onProgress: progress, signal: controller.signal });
      parentPort?.postMessage({ type: 'result', result });
    } finally {
      db.close();
    }
  }
} catch (e) {
  parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
