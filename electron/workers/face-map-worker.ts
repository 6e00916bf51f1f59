// Worker-thread entry of the face-map job (ops/face-map.ts): its own connection to the
// project, progress posted as it goes, the stored map's size and time as the result. The
// layout never yields to the event loop, so the service cancels by terminating the thread;
// the map is written in one statement at the end, so nothing half-written can remain.
import { parentPort, workerData } from 'node:worker_threads';
import type { ModelId } from '../../api/domain.ts';
import { openProject } from '../../db/connection.ts';
import { chooseRuntime } from '../service/ops/engine-runtime.ts';
import { computeFaceMap } from '../service/ops/face-map.ts';

const input = workerData as { projectPath: string; modelId: ModelId | null; seed: number };
try {
  // Only a model's features need the engine; the pixel map is plain arithmetic.
  if (input.modelId !== null) await chooseRuntime();
  const db = openProject(input.projectPath);
  try {
    const result = await computeFaceMap(db, input, (p) => parentPort?.postMessage({ type: 'progress', progress: p }));
    parentPort?.postMessage({ type: 'result', result });
  } finally {
    db.close();
  }
} catch (e) {
  parentPort?.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) });
}
