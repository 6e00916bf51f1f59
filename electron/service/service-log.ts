/**
 * What the service writes to the app's log (app-log.ts): the start of the process, every job's
 * start (from the `*.start` request that began it) and end (from its done event, with the tfjs
 * backend a training run used), failed requests and failed jobs. Kept out of app-service.ts so
 * that file stays about dispatching requests.
 */
import type { EventName, Events, RequestName, TransportKind } from '../../api/contract.ts';
import type { AppLog } from './app-log.ts';

/** Requests that start a background job: their results name the job. */
const JOB_STARTS: readonly RequestName[] = ['imports.start', 'training.start', 'training.resume', 'analysis.start', 'relearn.start'];

export function logStartup(log: AppLog, transport: TransportKind, version: string): void {
  const electron = process.versions.electron ? `, Electron ${process.versions.electron}` : '';
  log.info(`affect-relearn ${version} started (${transport}; Node ${process.versions.node}${electron}; ${process.platform}-${process.arch})`);
}

export function logRequestOutcome(log: AppLog, method: string, params: unknown, outcome: { result: unknown } | { error: { code: string; message: string } }): void {
  if ('error' in outcome) {
    log.error(`${method} failed (${outcome.error.code}): ${outcome.error.message}`);
    return;
  }
  if ((JOB_STARTS as readonly string[]).includes(method)) log.info(`${method} ${JSON.stringify(params)} -> ${JSON.stringify(outcome.result)}`);
}

/** A log line for the events that end a job; null for the others. `backendOf` names a training run's backend. */
export async function jobEndLine<E extends EventName>(name: E, payload: Events[E], backendOf: (runId: number) => Promise<string | null>): Promise<string | null> {
  switch (name) {
    case 'training:done': {
      const p = payload as Events['training:done'];
      const backend = await backendOf(p.runId).catch(() => null);
      return `training run ${p.runId} ended: ${p.status}${p.modelId ? `, model ${p.modelId}` : ''}${backend ? `, runtime ${backend}` : ''}${p.error ? `: ${p.error}` : ''}`;
    }
    case 'import:done': {
      const p = payload as Events['import:done'];
      return `import ${p.jobId} ended: ${p.status}, ${p.accepted} accepted, ${p.rejected} rejected`;
    }
    case 'analysis:done': {
      const p = payload as Events['analysis:done'];
      return `analysis ${p.jobId} of model ${p.modelId} ended: ${p.status}${p.runId ? `, run ${p.runId}` : ''}${p.error ? `: ${p.error}` : ''}`;
    }
    case 'relearn:done': {
      const p = payload as Events['relearn:done'];
      return `re-learning ${p.jobId} of model ${p.parentModelId} ended: ${p.status}${p.runId ? `, run ${p.runId}` : ''}${p.error ? `: ${p.error}` : ''}`;
    }
    case 'job:error': {
      const p = payload as Events['job:error'];
      return `${p.kind} job ${p.jobId} failed: ${p.message}`;
    }
    default:
      return null;
  }
}
