// A training run end to end on a real project file: recorded epochs and structure events,
// the model file beside the project, predictions for every face, evaluations, and a run
// cancelled mid-way that resumes from its checkpoint to the same result as an uninterrupted one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { TrainingProgressEvent } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { listEvaluations } from '../../../db/evaluation-store.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { createRun, getRun, listEpochs, listStructureEvents } from '../../../db/run-store.ts';
import { createDemoProject } from './project.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

let dir: string;
let project: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-train-'));
  project = join(dir, 'demo.arproj');
  await createDemoProject(project);
});
after(() => rmSync(dir, { recursive: true, force: true }));

const OPTIONS = { pretrainEpochs: 2, epochs: 3, hiddenUnits: [24], maxLayers: 2, maxSamples: 600, seed: 3 };

function newRun(): number {
  const db = openProject(project);
  try {
    return createRun(db, { kind: 'train', modelKind: 'adbn', config: runConfig('adbn', OPTIONS) as unknown as Record<string, unknown> });
  } finally {
    db.close();
  }
}

test('an Adaptive DBN run records its epochs and structure, saves the model and predicts every face', async () => {
  const runId = newRun();
  const events: string[] = [];
  const progress: TrainingProgressEvent[] = [];
  const result = await runTrainingJob(project, runId as never, {
    onEvent: (e) => {
      events.push(e.type);
      if (e.type === 'progress') progress.push(e.payload);
    },
  });
  assert.equal(result.status, 'done', result.error ?? '');
  assert.ok(events.includes('backend') && events.includes('epoch') && events.includes('progress'));
  // Progress is of the whole run: every event names the planned epochs (2 layers x 2 + 3), and
  // the first epoch already has an ETA from its batches (before any epoch had finished).
  assert.ok(progress.every((p) => p.plannedEpochs === 7));
  assert.ok(progress.some((p) => p.epoch === 1 && p.etaSeconds !== null && p.etaSeconds > 0), 'an estimate during the first epoch');
  const db = openProject(project);
  try {
    const run = getRun(db, runId)!;
    assert.equal(run.status, 'done');
    assert.ok(run.backend, 'the backend is recorded with the run');
    const epochs = listEpochs(db, runId);
    assert.ok(epochs.some((e) => e.phase.startsWith('pretrain')) && epochs.some((e) => e.phase === 'finetune'));
    assert.ok(listStructureEvents(db, runId).length >= 1, 'the adaptive DBN changed its structure at least once');
    const model = getModel(db, result.modelId!)!;
    assert.ok(existsSync(join(db.modelsDir, model.filePath)) || existsSync(model.filePath));
    for (const split of ['train', 'valid', 'test'] as const) {
      const p = readPredictions(db, result.modelId as ModelId, split);
      assert.equal(p.ids.length, split === 'train' ? 2400 : 600, `predictions for every ${split} face`);
      for (let i = 0; i < 8 * 5; i += 8) assert.ok(Math.abs(p.probs.subarray(i, i + 8).reduce((a, b) => a + b, 0) - 1) < 1e-4);
    }
    const evals = listEvaluations(db, { modelId: result.modelId! });
    assert.deepEqual(evals.map((e) => e.split).sort(), ['test', 'valid']);
    assert.equal(evals[0].result.n_evaluated, 600);
  } finally {
    db.close();
  }
});

test('a run cancelled after its first epoch resumes from the checkpoint to the uninterrupted result', async () => {
  const straight = newRun();
  const r1 = await runTrainingJob(project, straight as never, {});
  assert.equal(r1.status, 'done', r1.error ?? '');

  const interrupted = newRun();
  const controller = new AbortController();
  const r2 = await runTrainingJob(project, interrupted as never, {
    signal: controller.signal,
    onEvent: (e) => {
      if (e.type === 'epoch' && e.payload.epoch.epoch === 2) controller.abort();
    },
  });
  assert.equal(r2.status, 'cancelled');
  const db = openProject(project);
  try {
    const run = getRun(db, interrupted)!;
    assert.equal(run.status, 'cancelled');
    assert.ok(run.checkpointPath && existsSync(run.checkpointPath));
  } finally {
    db.close();
  }
  const r3 = await runTrainingJob(project, interrupted as never, { resume: true });
  assert.equal(r3.status, 'done', r3.error ?? '');

  const db2 = openProject(project);
  try {
    const a = listEpochs(db2, straight);
    const b = listEpochs(db2, interrupted);
    assert.equal(b.length, a.length);
    assert.deepEqual(b.map((e) => e.metrics), a.map((e) => e.metrics));
    const pa = readPredictions(db2, r1.modelId as ModelId, 'valid');
    const pb = readPredictions(db2, r3.modelId as ModelId, 'valid');
    assert.deepEqual(Array.from(pb.probs), Array.from(pa.probs));
  } finally {
    db2.close();
  }
});
