// A training process killed (SIGKILL, no cleanup) at the two dangerous points: just after an
// epoch's checkpoint file is written and before its epoch record is committed, and just after
// the model row is written and before its predictions. The project must open consistent (the
// recorded epochs and the checkpoint agree; the run reads resumable) and a resume must finish
// with every epoch recorded exactly once and one whole model: no lost epoch, no half model row
// (opening the project removes the half row of a run whose process died).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import type { ModelId, RunId } from '../../../api/domain.ts';
import { loadSnapshot } from '../../../core/train/snapshot-file.ts';
import { openProject } from '../../../db/connection.ts';
import { getModel, listModels } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { createRun, getRun, listEpochs } from '../../../db/run-store.ts';
import { createDemoProject } from './project.ts';
import { TrainingJobs } from './training.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

const FIXTURE = join(dirname(fileURLToPath(import.meta.url)), 'training-crash.fixture.ts');
const OPTIONS = { pretrainEpochs: 2, epochs: 3, hiddenUnits: [16], maxLayers: 1, maxSamples: 300, seed: 5 };
let dir: string;
let project: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-train-crash-'));
  project = join(dir, 'demo.arproj');
  await createDemoProject(project);
});
after(() => rmSync(dir, { recursive: true, force: true }));

function newRun(): RunId {
  const db = openProject(project);
  try {
    return createRun(db, { kind: 'train', modelKind: 'dbn', config: runConfig('dbn', OPTIONS) as unknown as Record<string, unknown> }) as RunId;
  } finally {
    db.close();
  }
}

function crashAt(runId: RunId, point: string): void {
  const child = spawnSync(process.execPath, ['--import', 'tsx', FIXTURE, project, String(runId), point], { encoding: 'utf8', timeout: 300_000 });
  assert.equal(child.signal, 'SIGKILL', `the trainer should die by SIGKILL at ${point}: ${child.stderr}`);
}

test('killed between a checkpoint and its epoch record, the run resumes with every epoch recorded once', { timeout: 600_000 }, async () => {
  const reference = await runTrainingJob(project, newRun(), {});
  assert.equal(reference.status, 'done', reference.error ?? '');
  const runId = newRun();
  crashAt(runId, 'checkpoint-3');
  const db = openProject(project);
  try {
    const run = getRun(db, runId)!;
    assert.deepEqual(listEpochs(db, runId).map((e) => e.epoch), [1, 2], 'epoch 3 was not committed');
    assert.ok(run.checkpointPath && existsSync(run.checkpointPath), 'the committed checkpoint is still there');
    assert.ok(run.checkpointPath.endsWith('.epoch-2.checkpoint'), `the checkpoint matches the recorded epochs: ${run.checkpointPath}`);
    await loadSnapshot(run.checkpointPath);
    assert.equal(new TrainingJobs(db, () => {}).get(runId)!.status, 'interrupted');
  } finally {
    db.close();
  }
  const resumed = await runTrainingJob(project, runId, { resume: true });
  assert.equal(resumed.status, 'done', resumed.error ?? '');
  const db2 = openProject(project);
  try {
    const refEpochs = listEpochs(db2, getModel(db2, reference.modelId!)!.runId!).map((e) => e.epoch);
    assert.deepEqual(listEpochs(db2, runId).map((e) => e.epoch), refEpochs, 'no epoch lost or doubled');
    const leftovers = readdirSync(db2.modelsDir).filter((f) => f.startsWith(`run-${runId}.`));
    assert.deepEqual(leftovers, [getRun(db2, runId)!.checkpointPath!.split('/').pop()], 'one checkpoint file left: the last committed');
  } finally {
    db2.close();
  }
});

test('killed after the model row and before its predictions, the resume replaces the half model with a whole one', { timeout: 600_000 }, async () => {
  const runId = newRun();
  crashAt(runId, 'saving');
  // Read without openProject, which tidies: the crash left a model row without predictions.
  const raw = new Database(project, { readonly: true });
  const half = raw.prepare('SELECT id, created_at AS createdAt FROM models WHERE run_id = ?').all(runId) as { id: ModelId; createdAt: string }[];
  assert.equal(half.length, 1, 'the crash left the model row');
  assert.equal(raw.prepare('SELECT count(*) FROM predictions WHERE model_id = ?').pluck().get(half[0].id), 0, 'and none of its predictions');
  raw.close();
  const db = openProject(project);
  try {
    assert.deepEqual(listModels(db).filter((m) => m.runId === runId), [], 'opening the project removed the half model');
    assert.equal(new TrainingJobs(db, () => {}).get(runId)!.status, 'interrupted');
  } finally {
    db.close();
  }
  const resumed = await runTrainingJob(project, runId, { resume: true });
  assert.equal(resumed.status, 'done', resumed.error ?? '');
  const db2 = openProject(project);
  try {
    const models = listModels(db2).filter((m) => m.runId === runId);
    assert.deepEqual(models.map((m) => m.id), [resumed.modelId]);
    // SQLite may hand the freed id out again: the row is told apart by when it was written.
    assert.ok(getModel(db2, resumed.modelId!)!.createdAt > half[0].createdAt, 'a new model row, not the half one');
    assert.equal(readPredictions(db2, resumed.modelId!).ids.length, 3600, 'the model predicts every face');
  } finally {
    db2.close();
  }
});
