/**
 * Importing a dataset into the open project: the reader of core/datasets streams faces and
 * rejected rows, the db import writer stores them in batched transactions. Faces already in
 * the project are skipped before decoding, so a re-run after a crash or kill resumes.
 */
import type { ImportProgressEvent, ImportReport, ImportStartParams } from '../../../api/contract.ts';
import type { ImportItem } from '../../../api/domain.ts';
import { demoImportItems } from '../../../core/datasets/demo/index.ts';
import { readDataset, type ImportableKind } from '../../../core/datasets/read-dataset.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { listImportJobs, writeImport } from '../../../db/import-store.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { existingSourceRefs } from '../../../db/sample-store.ts';

export interface ImportContext {
  onProgress?: (p: Partial<ImportProgressEvent>) => void;
  signal?: AbortSignal;
}

export async function importDataset(db: ProjectDb, req: ImportStartParams, ctx: ImportContext = {}): Promise<Omit<ImportReport, 'jobId'> & { jobId?: string }> {
  const startedAt = new Date().toISOString();
  const { inputSize } = getProjectInfo(db);
  const size = req.options?.size ?? inputSize.height;
  if (size !== inputSize.height || size !== inputSize.width) {
    throw new Error(`import size ${size} differs from the project's input size ${inputSize.width}x${inputSize.height}; every face of a project has one size`);
  }
  const votes = req.options?.votesPerFace;
  if (votes !== undefined && req.kind !== 'ferplus') throw new Error(`--votes-per-face applies to FER+ imports only (this is ${req.kind}): other datasets carry no 10-vote counts to draw from`);
  assertSameVoteDraw(db, req);
  const existing = existingSourceRefs(db);
  const skip = (ref: string) => existing.has(ref);
  let items: AsyncIterable<ImportItem>;
  if (req.kind === 'demo') items = demoImportItems({ size });
  else items = readDataset(req.kind as ImportableKind, req.path, { size: { width: inputSize.width, height: inputSize.height }, skip, votesPerFace: votes, voteSeed: req.options?.voteSeed });

  let total: number | null = null;
  let done = 0;
  let yielded = 0;
  let dropped = 0;
  // Readers skip known faces before decoding and only count them in their progress items;
  // faces a reader still yields although they exist (the demo generator) are dropped here.
  async function* tap(): AsyncGenerator<ImportItem> {
    for await (const item of items) {
      if (item.kind === 'progress') {
        total = item.total;
        done = item.done;
      } else if (item.kind === 'sample' && existing.has(item.record.sourceRef)) {
        dropped++;
        continue;
      } else {
        yielded++;
      }
      yield item;
    }
  }
  const report = await writeImport(db, { kind: req.kind, path: req.path, options: { ...req.options } }, tap(), {
    strict: req.options?.strict ?? false,
    signal: ctx.signal,
    annotatorKind: () => (req.kind === 'demo' ? 'simulated' : req.kind === 'multi' ? 'person' : 'dataset'),
    onProgress: (p) => ctx.onProgress?.({ done: Math.max(done, p.done), total: total ?? p.total, accepted: p.accepted, rejected: p.rejected, skippedExisting: dropped + Math.max(0, done - yielded) }),
  });
  const status = report.status === 'aborted' ? (ctx.signal?.aborted ? 'cancelled' : 'failed') : report.status;
  return {
    jobId: `import-${report.jobId}`,
    kind: req.kind,
    path: req.path,
    status,
    accepted: report.accepted,
    skippedExisting: report.skippedExisting + dropped + Math.max(0, done - yielded),
    rejected: report.rejected,
    issues: report.issues,
    startedAt,
    finishedAt: new Date().toISOString(),
    error: report.error ?? (report.status === 'aborted' && !ctx.signal?.aborted ? 'strict import stopped at the first rejected row' : null),
  };
}

/**
 * A project holds one vote draw: resuming or adding FER+ faces with another --votes-per-face or
 * --vote-seed would mix faces with K votes and faces with another K under one analysis.
 */
function assertSameVoteDraw(db: ProjectDb, req: ImportStartParams): void {
  if (req.kind !== 'ferplus') return;
  const want = { votesPerFace: req.options?.votesPerFace ?? null, voteSeed: req.options?.votesPerFace === undefined ? null : (req.options?.voteSeed ?? 1) };
  for (const job of listImportJobs(db)) {
    if (job.kind !== 'ferplus' || job.accepted === 0) continue;
    const o = job.options as { votesPerFace?: number; voteSeed?: number };
    const had = { votesPerFace: o.votesPerFace ?? null, voteSeed: o.votesPerFace === undefined ? null : (o.voteSeed ?? 1) };
    if (had.votesPerFace !== want.votesPerFace || had.voteSeed !== want.voteSeed) {
      const say = (d: typeof had) => (d.votesPerFace === null ? 'all votes' : `--votes-per-face ${d.votesPerFace} --vote-seed ${d.voteSeed}`);
      throw new Error(`this project's FER+ faces were imported with ${say(had)} (import job ${job.id}); importing with ${say(want)} would mix two vote draws: use a new project`);
    }
  }
}
