// The analysis estimate scales the parent's recorded training time by folds and faces.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { createModel } from '../../../db/model-store.ts';
import { createRun, finishRun, recordEpoch, startRun } from '../../../db/run-store.ts';
import { analysableModels, analysisSeconds, estimateAnalysis } from './analysis-estimate.ts';

test('k folds of (k-1)/k of the faces: k-1 times the parent training time when uncapped', () => {
  // 3 epochs of 10 + 20 + 30 s on 1000 faces; 5 folds train on 800 faces each: 5 * 60 * 0.8.
  assert.equal(analysisSeconds({ folds: 5, epochSeconds: [10, 20, 30], parentFaces: 1000, trainFaces: 1000 }), 240);
  // 10 folds: 10 * 60 * 0.9.
  assert.equal(analysisSeconds({ folds: 10, epochSeconds: [10, 20, 30], parentFaces: 1000, trainFaces: 1000 }), 540);
});

test('a maxSamples cap limits the fold faces as it limited the parent', () => {
  // Parent capped at 500 of 10,000 faces; each fold draws 8,000 and is capped at 500 too: 5 * 60.
  assert.equal(analysisSeconds({ folds: 5, epochSeconds: [30, 30], parentFaces: 500, trainFaces: 10_000, maxSamples: 500 }), 300);
  // A cap above (k-1)/k of the faces does not bind: 5 * 60 * 400/500.
  assert.equal(analysisSeconds({ folds: 5, epochSeconds: [60], parentFaces: 500, trainFaces: 500, maxSamples: 600 }), 240);
});

test('in-sample costs no training; no recorded epochs, no estimate', () => {
  assert.equal(analysisSeconds({ folds: 1, epochSeconds: [10], parentFaces: 10, trainFaces: 10 }), 0);
  assert.equal(analysisSeconds({ folds: 5, epochSeconds: [], parentFaces: 10, trainFaces: 10 }), null);
});

test('the estimate reads the model run\'s epochs and the project\'s train faces', (t) => {
  const p = tempProject();
  t.after(() => p.remove());
  const { db } = p;
  insertSampleBatch(db, Array.from({ length: 50 }, (_, i) => makeRecord({ index: i, split: i < 40 ? 'train' : 'valid' })));
  const run = createRun(db, { kind: 'train', modelKind: 'cnn', config: { options: {} } });
  startRun(db, run, 'test');
  for (const [epoch, seconds] of [[1, 4], [2, 6]] as const) recordEpoch(db, run, { epoch, phase: 'supervised', metrics: {}, units: [], seconds, samples: 40 });
  finishRun(db, run, 'done');
  const model = createModel(db, { runId: run, kind: 'cnn', name: 'cnn', filePath: 'm.bin', inputSize: { height: 8, width: 8 } });
  const bare = createModel(db, { runId: null, kind: 'dbn', name: 'imported', filePath: 'n.bin', inputSize: { height: 8, width: 8 } });
  // 4 folds of 30 of the 40 train faces, 10 s each epoch pair: 4 * 10 * 30/40.
  const e = estimateAnalysis(db, model, 4);
  assert.equal(e.seconds, 30);
  assert.match(e.basis, /2 epochs in 10 s/);
  assert.equal(estimateAnalysis(db, bare, 5).seconds, null);
  assert.equal(estimateAnalysis(db, model, 1).seconds, 0);
  const list = analysableModels(db);
  assert.deepEqual(list.map((m) => [m.modelId, m.latest, m.estimate.folds]), [[bare, null, 5], [model, null, 5]]);
  // Default k = 5: 5 * 10 * 32/40.
  assert.equal(list[1].estimate.seconds, 40);
});
