// The faces of a confusion cell and the paired comparison of two models, on a real project
// file: the counts are the ones the matrices show, the pairing drops faces a model has no
// prediction for, and a reviewer's decision moves the current-label figures only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { recordDecision } from '../../../db/relabel-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { evaluateModel } from './evaluation.ts';
import { cellFaces, compareModels } from './evaluation-pairs.ts';

function project(labels: number[]) {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  const ids = insertSampleBatch(p.db, labels.map((l, i) => makeRecord({ index: i, size: 4, split: 'test', givenLabel: l as never }))).ids.map((id) => id!);
  const model = (answers: (number | null)[]) => {
    const m = createModel(p.db, { kind: 'cnn', name: 'fixed', filePath: 'none.arsnap', inputSize: { height: 4, width: 4 } });
    const rows = answers.map((c, i) => [ids[i], c] as const).filter(([, c]) => c !== null);
    const probs = new Float32Array(rows.length * NUM_CLASSES);
    rows.forEach(([, c], r) => (probs[r * NUM_CLASSES + c!] = 1));
    writePredictions(p.db, m, { sampleIds: rows.map(([id]) => id), probs });
    return m as ModelId;
  };
  return { p, ids, model };
}

test('a confusion cell lists exactly the faces it counts', async (t) => {
  // Given labels: 0 happy(1) x3, anger(6) x2, sad(2) x1.
  const { p, ids, model } = project([1, 1, 1, 6, 6, 2]);
  t.after(() => p.remove());
  const m = model([1, 6, 6, 6, 1, 2]);
  const ev = await evaluateModel(p.db, m, 'test');
  const faces = cellFaces(p.db, { modelId: m, split: 'test', labels: 'published', truth: 1, predicted: 6 });
  assert.deepEqual(faces, [ids[1], ids[2]]);
  assert.equal(faces.length, ev.confusion[1][6]);
  assert.deepEqual(cellFaces(p.db, { modelId: m, split: 'test', labels: 'published', truth: 6, predicted: 1 }), [ids[4]]);
  assert.deepEqual(cellFaces(p.db, { modelId: m, split: 'test', labels: 'published', truth: 3, predicted: 3 }), []);
  // A reviewer says face 1 is anger: it leaves the current happy→anger cell for the anger diagonal.
  recordDecision(p.db, { sampleId: ids[1], action: 'relabel', label: 6, reviewer: 'ana' });
  assert.deepEqual(cellFaces(p.db, { modelId: m, split: 'test', labels: 'current', truth: 1, predicted: 6 }), [ids[2]]);
  assert.deepEqual(cellFaces(p.db, { modelId: m, split: 'test', labels: 'current', truth: 6, predicted: 6 }), [ids[1], ids[3]]);
  assert.deepEqual(cellFaces(p.db, { modelId: m, split: 'test', labels: 'published', truth: 1, predicted: 6 }), [ids[1], ids[2]]);
});

test('two models paired face by face: the 2x2 table, points and McNemar', (t) => {
  // 30 faces, all happy. A is right on 0-19, B right on 0-9 and 20-29 and faces 28-29 have no prediction of A.
  const n = 30;
  const { p, model } = project(Array(n).fill(1));
  t.after(() => p.remove());
  const a = model(Array.from({ length: n }, (_, i) => (i >= 28 ? null : i < 20 ? 1 : 0)));
  const b = model(Array.from({ length: n }, (_, i) => (i < 10 || i >= 20 ? 1 : 0)));
  const c = compareModels(p.db, { modelId: a, otherModelId: b, split: 'test', labels: 'published' });
  // Paired faces 0-27: both right 0-9 (10), only A 10-19 (10), only B 20-27 (8), both wrong none.
  assert.deepEqual([c.n, c.bothRight, c.onlyFirstRight, c.onlyOtherRight, c.bothWrong], [28, 10, 10, 8, 0]);
  assert.equal(c.accuracy, 20 / 28);
  assert.equal(c.otherAccuracy, 18 / 28);
  assert.equal(c.differencePoints, (-2 / 28) * 100);
  // 18 discordant faces < 25: exact, 2 * sum_{k<=8} C(18,k) / 2^18 = 2 * 106,762 / 262,144 (0.81).
  assert.equal(c.test.method, 'exact binomial');
  assert.equal(c.test.pValue, (2 * 106762) / 262144);
  assert.throws(() => compareModels(p.db, { modelId: a, otherModelId: a, split: 'test', labels: 'published' }), /two different models/);
});
