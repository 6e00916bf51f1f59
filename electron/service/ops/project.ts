/**
 * Project-level operations: creating the built-in demo project and summarising a project for
 * the Project view and `info`.
 */
import { existsSync } from 'node:fs';
import type { ProjectProgress, ProjectSummary, SplitCounts } from '../../../api/contract.ts';
import { NUM_CLASSES, SPLITS, type DatasetKind, type Split } from '../../../api/domain.ts';
import { demoDatasetSize, demoImportItems } from '../../../core/datasets/demo/index.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { writeImport } from '../../../db/import-store.ts';
import { datasetCounts, labelAgreement, voteTotals } from '../../../db/label-agreement.ts';
import { projectSummary as dbSummary } from '../../../db/project-summary.ts';
import { listModels } from '../../../db/model-store.ts';
import { listRuns } from '../../../db/run-store.ts';

/**
 * Creates (or completes) the demo project at `path`: synthetic faces with planted ambiguity,
 * simulated annotators and a few wrong given labels. Re-running on an existing demo project
 * only adds what is missing.
 */
export async function createDemoProject(path: string, opts: { onProgress?: (p: ProjectProgress) => void; seed?: number } = {}): Promise<void> {
  const db = openProject(path, { create: true, name: existsSync(path) ? undefined : 'Demo faces' });
  try {
    const total = demoDatasetSize();
    const report = await writeImport(db, { kind: 'demo', path: '(built-in demo)', options: opts.seed ? { seed: opts.seed } : {} }, demoImportItems(opts.seed ? { seed: opts.seed } : undefined), {
      annotatorKind: () => 'simulated',
      onProgress: (p) => opts.onProgress?.({ stage: 'generating demo faces', done: p.done, total }),
    });
    if (report.status !== 'done') throw new Error(`demo project: ${report.error ?? report.status}`);
    opts.onProgress?.({ stage: 'generating demo faces', done: total, total });
  } finally {
    db.close();
  }
}

export function projectSummary(db: ProjectDb): ProjectSummary {
  const s = dbSummary(db);
  const splits = {} as Record<Split, SplitCounts>;
  for (const split of SPLITS) {
    const given = s.byGivenLabel[split];
    const current = s.byCurrentLabel[split];
    const total = s.bySplit[split];
    const givenByClass = given.slice(0, NUM_CLASSES);
    const currentByClass = current.slice(0, NUM_CLASSES);
    const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
    splits[split] = { total, givenByClass, currentByClass, givenNonClass: total - sum(givenByClass), currentNonClass: total - sum(currentByClass) };
  }
  const datasets = datasetCounts(db) as { kind: DatasetKind; count: number }[];
  const votes = voteTotals(db);
  return {
    project: { path: db.path, name: s.project.name, inputSize: s.project.inputSize },
    totalSamples: s.samples,
    splits,
    datasets,
    annotators: s.annotators.filter((a) => a.kind !== 'reviewer').map((a) => ({ id: a.id, name: a.name, annotations: a.annotations })),
    facesWithVotes: votes.faces,
    totalVotes: votes.votes,
    agreement: labelAgreement(db),
    relabels: s.review.decisions,
    review: { reviewedFaces: s.review.reviewedFaces, relabelledFaces: s.review.relabeledFaces, notFaceFaces: s.review.notFaceFaces, ambiguousFaces: s.review.ambiguousFaces, auditRows: s.review.auditRows },
    runs: listRuns(db).length,
    models: listModels(db).length,
  };
}
