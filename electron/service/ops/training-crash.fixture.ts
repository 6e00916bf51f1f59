// Run as a child process by training-crash.test.ts: trains run argv[3] of project argv[2] and
// kills itself with SIGKILL (no cleanup, no finally) at the point argv[4] names, like a crash:
//   checkpoint-K  just after the K-th epoch's checkpoint file is written, before its epoch record;
//   saving        just after the model row is written, before its predictions.
import type { RunId } from '../../../api/domain.ts';
import { runTrainingJob } from './training-job.ts';

const [path, runId, killAt] = [process.argv[2], Number(process.argv[3]) as RunId, process.argv[4]];
let checkpoints = 0;
const result = await runTrainingJob(path, runId, {
  onEvent: (e) => {
    if (e.type === 'checkpoint-written' && killAt === `checkpoint-${++checkpoints}`) process.kill(process.pid, 'SIGKILL');
    if (e.type === 'saving' && killAt === 'saving') process.kill(process.pid, 'SIGKILL');
  },
});
process.stderr.write(`the run ended without reaching ${killAt}: ${JSON.stringify(result)}\n`);
process.exit(3);
