// Worker-thread entry of the analysis and re-learning jobs. The job code lives with its
// service side in ops/relearn-jobs.ts, which runs the job when it is loaded in a worker with
// `role: 'relearn-job'`; this file gives that worker an entry of its own, so the bundle has
// one file per worker (dist/relearn-worker.mjs) like the other workers.
import '../service/ops/relearn-jobs.ts';
