import assert from 'node:assert/strict';
import { renameSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openProject } from './connection.ts';
import { createChildGroup, getChildGroup, listChildGroups, updateChildGroup } from './child-group-store.ts';
import { addEvaluation, latestEvaluation, listEvaluations } from './evaluation-store.ts';
import { createModel, getModel, listModels, updateModel } from './model-store.ts';
import { deleteReviewQueue, getReviewQueue, listReviewQueues, saveReviewQueue } from './review-queue-store.ts';
import { createRun, finishRun, getRun, listEpochs, listRuns, listStructureEvents, recordEpoch, setRunCheckpoint, startRun } from './run-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

test('a run records its lifecycle, epochs and structure events; a replayed epoch is not doubled', () => {
  const p = tempProject();
  try {
    const run = createRun(p.db, { kind: 'train', modelKind: 'adbn', config: { lr: 0.05, seed: 1 } });
    assert.equal(getRun(p.db, run)!.status, 'queued');
    startRun(p.db, run, 'wasm');
    const started = getRun(p.db, run)!;
    assert.equal(started.status, 'running');
    assert.equal(started.backend, 'wasm');
    recordEpoch(p.db, run, { epoch: 1, phase: 'rbm-0', metrics: { recon_error: 0.5 }, units: [100], seconds: 1.5, samples: 1000 }, [
      { epoch: 1, layer: 0, kind: 'generation', unitsBefore: 100, unitsAfter: 108 },
    ]);
    recordEpoch(p.db, run, { epoch: 2, phase: 'rbm-0', metrics: { recon_error: 0.4 }, units: [108], seconds: 1.4, samples: 1000 });
    // Resumed from the checkpoint of epoch 1: epoch 2 is recorded again with its event.
    recordEpoch(p.db, run, { epoch: 2, phase: 'rbm-0', metrics: { recon_error: 0.39 }, units: [104], seconds: 1.3, samples: 1000 }, [
      { epoch: 2, layer: 0, kind: 'annihilation', unitsBefore: 108, unitsAfter: 104 },
    ]);
    recordEpoch(p.db, run, { epoch: 2, phase: 'rbm-0', metrics: { recon_error: 0.39 }, units: [104], seconds: 1.3, samples: 1000 }, [
      { epoch: 2, layer: 0, kind: 'annihilation', unitsBefore: 108, unitsAfter: 104 },
    ]);
    const epochs = listEpochs(p.db, run);
    assert.deepEqual(epochs.map((e) => [e.epoch, e.metrics.recon_error, e.units]), [[1, 0.5, [100]], [2, 0.39, [104]]]);
    assert.deepEqual(listStructureEvents(p.db, run).map((e) => [e.epoch, e.kind, e.unitsAfter]), [[1, 'generation', 108], [2, 'annihilation', 104]]);

    setRunCheckpoint(p.db, run, join(p.db.modelsDir, 'run-1', 'checkpoint.bin'));
    assert.equal(p.db.sqlite.prepare('SELECT checkpoint_path FROM runs WHERE id = ?').pluck().get(run), 'run-1/checkpoint.bin', 'stored relative');
    assert.equal(getRun(p.db, run)!.checkpointPath, join(p.db.modelsDir, 'run-1', 'checkpoint.bin'));
    assert.throws(() => setRunCheckpoint(p.db, run, '/elsewhere/ckpt.bin'), /inside the project's models directory/);
    assert.throws(() => setRunCheckpoint(p.db, run, '../escape.bin'), /inside the project's models directory/);

    finishRun(p.db, run, 'failed', 'out of memory');
    startRun(p.db, run);
    assert.equal(getRun(p.db, run)!.startedAt, started.startedAt, 'a resume keeps the first start time');
    assert.equal(getRun(p.db, run)!.error, null);
    finishRun(p.db, run, 'done');
    const other = createRun(p.db, { kind: 'analyze' });
    assert.deepEqual(listRuns(p.db, { status: 'done' }).map((r) => r.id), [run]);
    assert.deepEqual(listRuns(p.db, { kind: 'analyze' }).map((r) => r.id), [other]);
    assert.equal(listRuns(p.db).length, 2);
    assert.throws(() => startRun(p.db, 999), /run 999 does not exist/);
  } finally {
    p.remove();
  }
});

test('models, child groups and evaluations link up; paths stay relative when the project moves', () => {
  const p = tempProject();
  try {
    const run = createRun(p.db, { kind: 'train', modelKind: 'cnn' });
    const parent = createModel(p.db, { runId: run, kind: 'cnn', name: 'parent', filePath: join(p.db.modelsDir, 'parent', 'weights.bin'), inputSize: { height: 48, width: 48 }, structure: { blocks: [32, 64, 128] } });
    const relearn = createRun(p.db, { kind: 'relearn', config: { nMin: 30 } });
    const g1 = createChildGroup(p.db, { relearnRunId: relearn, parentModelId: parent, givenLabel: 5, predictedLabel: 6, nCases: 40 });
    const g2 = createChildGroup(p.db, { relearnRunId: relearn, parentModelId: parent, givenLabel: 6, predictedLabel: 5, nCases: 55, status: 'selected' });
    assert.deepEqual(listChildGroups(p.db, { parentModelId: parent }).map((g) => g.id), [g2, g1], 'largest group first');
    const child = createModel(p.db, { runId: relearn, kind: 'cnn', name: 'child 5->6', filePath: 'children/g1.bin', inputSize: { height: 48, width: 48 }, parentModelId: parent, childGroupId: g1 });
    updateChildGroup(p.db, g1, { status: 'trained', childModelId: child, tau: 0.12 });
    assert.deepEqual(
      (({ status, childModelId, tau, nCases }) => ({ status, childModelId, tau, nCases }))(getChildGroup(p.db, g1)!),
      { status: 'trained', childModelId: child, tau: 0.12, nCases: 40 },
    );
    updateChildGroup(p.db, g1, { tau: null });
    assert.equal(getChildGroup(p.db, g1)!.tau, null);
    assert.equal(getChildGroup(p.db, g1)!.childModelId, child, 'untouched fields are kept');

    assert.deepEqual(listModels(p.db, { parentModelId: parent }).map((m) => m.id), [child]);
    assert.deepEqual(listModels(p.db, { parentModelId: null }).map((m) => m.id), [parent]);
    updateModel(p.db, child, { status: 'adopted' });
    assert.deepEqual(listModels(p.db, { status: 'adopted' }).map((m) => m.name), ['child 5->6']);
    assert.throws(() => createModel(p.db, { kind: 'cnn', name: 'x', filePath: 'x.bin', inputSize: { height: 48, width: 48 }, parentModelId: 999 }), /FOREIGN KEY/);

    const result = { accuracy: 0.61, per_class: [], confusion: [[1]], n_evaluated: 100, n_excluded: 3 };
    addEvaluation(p.db, { modelId: parent, split: 'test', label: 'parent', result });
    addEvaluation(p.db, { modelId: parent, split: 'test', label: 'parent+children', result: { ...result, accuracy: 0.64 } });
    addEvaluation(p.db, { modelId: parent, split: 'valid', label: 'parent', result: { ...result, accuracy: 0.6 } });
    assert.equal(latestEvaluation(p.db, parent, 'test', 'parent+children')!.result.accuracy, 0.64);
    assert.equal(listEvaluations(p.db, { modelId: parent, split: 'test' }).length, 2);
    assert.equal(latestEvaluation(p.db, child, 'test', 'parent'), null);

    // Move the whole project (file + models dir) elsewhere: model paths follow.
    const file = p.db.path;
    p.db.close();
    const moved = p.tmp.file('moved.sqlite');
    renameSync(file, moved);
    renameSync(file.replace(/\.sqlite$/, '.models'), moved.replace(/\.sqlite$/, '.models'));
    const db2 = openProject(moved);
    try {
      const m = getModel(db2, parent)!;
      assert.equal(m.filePath, 'parent/weights.bin');
      assert.equal(m.absolutePath, join(db2.modelsDir, 'parent', 'weights.bin'));
      assert.deepEqual(m.structure, { blocks: [32, 64, 128] });
    } finally {
      db2.close();
    }
  } finally {
    p.remove();
  }
});

test('a review queue remembers its filter and where the person stopped, across a reopen', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const [a, b] = insertSampleBatch(p.db, [makeRecord({ index: 0, size: 4 }), makeRecord({ index: 1, size: 4 })]).ids;
    saveReviewQueue(p.db, 'kl-train', { filter: { sortBy: 'kl_annotator', split: 'train' }, lastSampleId: a, lastIndex: 0 });
    saveReviewQueue(p.db, 'kl-train', { filter: { sortBy: 'kl_annotator', split: 'train' }, lastSampleId: b, lastIndex: 1 });
    saveReviewQueue(p.db, 'margin', { filter: { sortBy: 'margin' } });
    const file = p.db.path;
    p.db.close();
    const db = openProject(file);
    try {
      const q = getReviewQueue(db, 'kl-train')!;
      assert.deepEqual([q.filter, q.lastSampleId, q.lastIndex], [{ sortBy: 'kl_annotator', split: 'train' }, b, 1]);
      assert.equal(listReviewQueues(db).length, 2);
      assert.ok(deleteReviewQueue(db, 'margin'));
      assert.equal(getReviewQueue(db, 'margin'), null);
    } finally {
      db.close();
    }
  } finally {
    p.remove();
  }
});
