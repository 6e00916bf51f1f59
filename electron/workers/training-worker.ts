// Worker-thread entry of a training run: the UI thread never trains. Receives the project
// path and run id, forwards the run's events to the parent, and stops after the current
// batch when the parent posts 'cancel'.
import { parentPort, workerData } from 'node:worker_threads';
import { runTrainingJob } from '../service/ops/training-job.ts';

interface Input {
  projectPath: string;
  runId: number;
  resume: boolean;
  /** Int32 flag the parent sets to 1 to cancel: a batch never yields to the event loop, so a message could wait. */
  cancelFlag?: SharedArrayBuffer;
}

const input = workerData as Input;
const controller = new AbortController();
parentPort?.on('message', (m) => {
  if (m === 'cancel') controller.abort();
});
const flag = input.cancelFlag ? new Int32Array(input.cancelFlag) : null;
const result = await runTrainingJob(input.projectPath, input.runId as never, {
  resume: input.resume,
  signal: controller.signal,
  shouldCancel: () => flag !== null && Atomics.load(flag, 0) === 1,
  onEvent: (e) => parentPort?.postMessage({ type: 'event', event: e }),
});
parentPort?.postMessage({ type: 'result', result });
