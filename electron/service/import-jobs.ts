/**
 * In-memory bookkeeping of import jobs: a job id, a live report updated from progress, an
 * abort controller for cancel, and the final report once the op resolves. The rows themselves
 * are written by the op into the project database, so a lost job record costs nothing but its
 * report (a re-run skips faces already imported).
 */
import { randomBytes } from 'node:crypto';
import { ApiError, type ImportReport, type ImportStartParams } from '../../api/contract.ts';
import type { ProjectDb } from '../../db/connection.ts';
import { loadOp, type Emit } from './ops-loader.ts';

interface ImportJob {
  report: ImportReport;
  controller: AbortController;
  finished: Promise<void>;
}

export class ImportJobs {
  private readonly jobs = new Map<string, ImportJob>();

  constructor(private readonly emit: Emit) {}

  /** Loads the op first, so a missing op fails the call itself rather than a job. */
  async start(db: ProjectDb, req: ImportStartParams): Promise<{ jobId: string }> {
    const importDataset = await loadOp('project-op-jobs.ts', 'importDatasetInWorker', 'importing a dataset');
    const jobId = `import-${randomBytes(6).toString('hex')}`;
    const controller = new AbortController();
    const report: ImportReport = {
      jobId,
      kind: req.kind,
      path: req.path,
      status: 'running',
      accepted: 0,
      skippedExisting: 0,
      rejected: 0,
      issues: [],
      startedAt: new Date().toISOString(),
      finishedAt: null,
      error: null,
    };
    const onProgress = (p: { done?: number; total?: number | null; accepted?: number; rejected?: number; skippedExisting?: number }) => {
      if (p.accepted !== undefined) report.accepted = p.accepted;
      if (p.rejected !== undefined) report.rejected = p.rejected;
      if (p.skippedExisting !== undefined) report.skippedExisting = p.skippedExisting;
      this.emit('import:progress', {
        jobId,
        done: p.done ?? 0,
        total: p.total ?? null,
        accepted: report.accepted,
        rejected: report.rejected,
        skippedExisting: report.skippedExisting,
      });
    };
    const finished = (async () => {
      try {
        const result = await importDataset(db, req, { onProgress, signal: controller.signal });
        Object.assign(report, result, { jobId, finishedAt: result.finishedAt ?? new Date().toISOString() });
        if (report.status === 'running') report.status = controller.signal.aborted ? 'cancelled' : 'done';
      } catch (e) {
        report.status = controller.signal.aborted ? 'cancelled' : 'failed';
        report.error = e instanceof Error ? e.message : String(e);
        report.finishedAt = new Date().toISOString();
        if (report.status === 'failed') this.emit('job:error', { jobId, kind: 'import', message: report.error });
      }
      this.emit('import:done', { ...report, issues: [...report.issues] });
    })();
    this.jobs.set(jobId, { report, controller, finished });
    return { jobId };
  }

  report(jobId: string): ImportReport {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('not_found', `imports.report: no import job ${JSON.stringify(jobId)} in this session`);
    return { ...job.report, issues: [...job.report.issues] };
  }

  list(): ImportReport[] {
    return [...this.jobs.values()].map((j) => ({ ...j.report, issues: [...j.report.issues] }));
  }

  cancel(jobId: string): { cancelled: boolean } {
    const job = this.jobs.get(jobId);
    if (!job) throw new ApiError('not_found', `imports.cancel: no import job ${JSON.stringify(jobId)} in this session`);
    if (job.report.status !== 'running') return { cancelled: false };
    job.controller.abort();
    return { cancelled: true };
  }

  /** Aborts running jobs and waits for them to settle (before the project closes). */
  async stopAll(): Promise<void> {
    for (const job of this.jobs.values()) if (job.report.status === 'running') job.controller.abort();
    await Promise.all([...this.jobs.values()].map((j) => j.finished));
  }
}
