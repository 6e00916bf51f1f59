/**
 * Import jobs and the writer that turns an importer's stream into stored samples. Items are
 * written in batches, each batch (its samples, annotations, votes, issues and the job's
 * counters) in one transaction, so a crash leaves whole batches and a consistent job row. A
 * re-run of the same import skips faces already stored (INSERT OR IGNORE on source_ref) and
 * so resumes without duplicates. In strict mode the first issue stops the import: everything
 * before it is kept, the job is marked aborted.
 */
import type { ImportIssue, ImportItem, ImportProgress, SampleRecord } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { ownerAlive, THIS_HOST } from './process-liveness.ts';
import { getProjectInfo } from './project-store.ts';
import { insertSampleBatch, type InsertBatchOptions } from './sample-store.ts';
import { findSampleProblem } from './sample-validation.ts';

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export type ImportStatus = 'running' | 'done' | 'failed' | 'aborted';

export interface ImportJobSpec {
  kind: string;
  /** The file or folder imported; issues without a file of their own name it. */
  path: string;
  options?: Record<string, unknown>;
}

export interface WriteImportOptions {
  batchSize?: number;
  /** Stop at the first issue (status aborted), keeping what was written before it. */
  strict?: boolean;
  onProgress?: (p: ImportProgress) => void;
  /** Cancels between items (status aborted, earlier batches kept). */
  signal?: AbortSignal;
  annotatorKind?: InsertBatchOptions['annotatorKind'];
}

export interface ImportReport {
  jobId: number;
  accepted: number;
  skippedExisting: number;
  rejected: number;
  issues: ImportIssue[];
  status: Exclude<ImportStatus, 'running'>;
  /** Why the job failed (the importer threw), or null. */
  error: string | null;
}

export interface ImportJob {
  id: number;
  kind: string;
  path: string;
  options: Record<string, unknown>;
  status: ImportStatus;
  accepted: number;
  skippedExisting: number;
  rejected: number;
  total: number | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

export async function writeImport(db: ProjectDb, job: ImportJobSpec, items: AsyncIterable<ImportItem> | Iterable<ImportItem>, options: WriteImportOptions = {}): Promise<ImportReport> {
  const batchSize = Math.max(1, options.batchSize ?? 500);
  const inputSize = getProjectInfo(db).inputSize;
  const jobId = Number(
    db
      .stmt(`INSERT INTO import_jobs (kind, path, options, status, owner_pid, owner_host, heartbeat_at) VALUES (?, ?, ?, 'running', ?, ?, ${NOW})`)
      .run(job.kind, job.path, JSON.stringify(job.options ?? {}), process.pid, THIS_HOST).lastInsertRowid,
  );
  const report: ImportReport = { jobId, accepted: 0, skippedExisting: 0, rejected: 0, issues: [], status: 'done', error: null };
  let pendingSamples: SampleRecord[] = [];
  let pendingIssues: ImportIssue[] = [];
  let done = 0;
  let total: number | null = null;

  const flush = () => {
    if (pendingSamples.length === 0 && pendingIssues.length === 0) return;
    const samples = pendingSamples;
    const issues = pendingIssues;
    pendingSamples = [];
    pendingIssues = [];
    db.write(() => {
      const r = insertSampleBatch(db, samples, { importJobId: jobId, annotatorKind: options.annotatorKind });
      const insertIssue = db.stmt('INSERT INTO import_issues (job_id, file, line, field, message) VALUES (?, ?, ?, ?, ?)');
      for (const i of issues) insertIssue.run(jobId, i.file, i.line, i.field, i.message);
      db.stmt(`UPDATE import_jobs SET n_accepted = n_accepted + ?, n_skipped_existing = n_skipped_existing + ?, n_rejected = n_rejected + ?, n_total = ?, heartbeat_at = ${NOW} WHERE id = ?`)
        .run(r.inserted, r.skipped, issues.length, total, jobId);
      report.accepted += r.inserted;
      report.skippedExisting += r.skipped;
      report.rejected += issues.length;
      report.issues.push(...issues);
    });
    options.onProgress?.({ done, total, accepted: report.accepted, rejected: report.rejected });
  };
  const addIssue = (issue: ImportIssue): boolean => {
    pendingIssues.push(issue);
    return !options.strict;
  };

  try {
    for await (const item of items) {
      if (options.signal?.aborted) {
        report.status = 'aborted';
        break;
      }
      let keepGoing = true;
      if (item.kind === 'sample') {
        done++;
        const problem = findSampleProblem(item.record, inputSize);
        if (problem) {
          keepGoing = addIssue({ file: item.record.originalPath ?? job.path, line: null, field: problem.field, message: `${item.record.sourceRef}: ${problem.message}` });
        } else pendingSamples.push(item.record);
      } else if (item.kind === 'issue') {
        done++;
        keepGoing = addIssue(item.issue);
      } else {
        done = item.done;
        total = item.total;
        // Reported at once: on a resume the importer may skip thousands of stored faces
        // without yielding a sample, and the UI should still see it move.
        options.onProgress?.({ done, total, accepted: report.accepted, rejected: report.rejected });
      }
      if (!keepGoing) {
        report.status = 'aborted';
        break;
      }
      if (pendingSamples.length + pendingIssues.length >= batchSize) flush();
    }
    flush();
  } catch (err) {
    report.status = 'failed';
    report.error = err instanceof Error ? err.message : String(err);
    // The faces read before the failure are valid: keep them, so a re-run has less to do.
    try {
      flush();
    } catch {
      // The DB itself failed; the job row below may fail too and then the error surfaces.
    }
  }
  db.stmt("UPDATE import_jobs SET status = ?, error = ?, finished_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?").run(report.status, report.error, jobId);
  return report;
}

interface ImportJobRow {
  id: number;
  kind: string;
  path: string;
  options: string;
  status: ImportStatus;
  n_accepted: number;
  n_skipped_existing: number;
  n_rejected: number;
  n_total: number | null;
  error: string | null;
  started_at: string;
  finished_at: string | null;
}

function toJob(r: ImportJobRow): ImportJob {
  return {
    id: r.id,
    kind: r.kind,
    path: r.path,
    options: JSON.parse(r.options),
    status: r.status,
    accepted: r.n_accepted,
    skippedExisting: r.n_skipped_existing,
    rejected: r.n_rejected,
    total: r.n_total,
    error: r.error,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function listImportJobs(db: ProjectDb): ImportJob[] {
  return db.stmt<[], ImportJobRow>('SELECT * FROM import_jobs ORDER BY id').all().map(toJob);
}

export function getImportJob(db: ProjectDb, id: number): ImportJob | null {
  const r = db.stmt<[number], ImportJobRow>('SELECT * FROM import_jobs WHERE id = ?').get(id);
  return r ? toJob(r) : null;
}

export function listImportIssues(db: ProjectDb, jobId: number, page: { limit?: number; offset?: number } = {}): ImportIssue[] {
  return db
    .stmt<[number, number, number], ImportIssue>('SELECT file, line, field, message FROM import_issues WHERE job_id = ? ORDER BY id LIMIT ? OFFSET ?')
    .all(jobId, page.limit ?? -1, page.offset ?? 0);
}

/** An import whose process shows no sign of life for this long is taken as dead (a batch commits every few seconds). */
export const IMPORT_STALE_MS = 10 * 60_000;
export const INTERRUPTED_MESSAGE = 'interrupted (the process stopped during the import)';

/**
 * Marks as failed ("interrupted") the jobs left 'running' by a process that died: on this host
 * its pid is gone, anywhere its heartbeat is older than IMPORT_STALE_MS. An import alive in
 * another process (or another thread of this one) is left alone. Runs when a project opens.
 */
export function markInterruptedImports(db: ProjectDb, now = Date.now()): number {
  const dead = db
    .stmt<[], { id: number; pid: number | null; host: string | null; heartbeatAt: string | null }>(
      "SELECT id, owner_pid AS pid, owner_host AS host, COALESCE(heartbeat_at, started_at) AS heartbeatAt FROM import_jobs WHERE status = 'running'",
    )
    .all()
    .filter((j) => !ownerAlive(j, IMPORT_STALE_MS, now));
  if (dead.length === 0) return 0; // the common case takes no write lock
  // A heartbeat that moved since the read above means the owner is alive after all.
  const mark = db.stmt(`UPDATE import_jobs SET status = 'failed', error = ?, finished_at = ${NOW} WHERE id = ? AND status = 'running' AND COALESCE(heartbeat_at, started_at) IS ?`);
  return db.write(() => dead.reduce((n, j) => n + mark.run(INTERRUPTED_MESSAGE, j.id, j.heartbeatAt).changes, 0));
}
