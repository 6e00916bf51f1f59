// Run as a child process by run-lease.test.ts and the training tests: another process that
// owns training run argv[3] of project argv[2] (claimed and 'running', heartbeat every 100 ms)
// until it is killed.
import { openProject } from './connection.ts';
import { claimRun, renewRunLease } from './run-lease.ts';
import { startRun } from './run-store.ts';

const [file, runId] = [process.argv[2], Number(process.argv[3])];
const db = openProject(file);
claimRun(db, runId);
startRun(db, runId, 'cpu');
process.stdout.write('claimed\n');
setInterval(() => renewRunLease(db, runId), 100);
