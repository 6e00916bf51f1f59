// Test support: a temporary demo project and a parent trained on it by a stored training run,
// as the app trains one (the run's configuration is what k-fold, children and simulations repeat).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ModelId } from '../../../api/domain.ts';
import type { ModelKind, TrainingOptions } from '../../../api/contract.ts';
import { openProject } from '../../../db/connection.ts';
import { createRun } from '../../../db/run-store.ts';
import { createDemoProject } from './project.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

/** The demo project in a new temporary folder; `cleanup` removes the folder. */
export async function tempDemoProject(prefix: string): Promise<{ dir: string; project: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const project = join(dir, 'demo.arproj');
  await createDemoProject(project);
  return { dir, project, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Trains a parent of this kind and options through a stored training run; fails the test unless it finishes. */
export async function trainParent(project: string, kind: ModelKind, options: TrainingOptions): Promise<ModelId> {
  const db = openProject(project);
  const runId = createRun(db, { kind: 'train', modelKind: kind, config: runConfig(kind, options) as unknown as Record<string, unknown> });
  db.close();
  const r = await runTrainingJob(project, runId, {});
  assert.equal(r.status, 'done', r.error ?? '');
  return r.modelId!;
}
