// Evaluation against published and current labels side by side, on a real project file: a
// reviewer's relabel moves the current-label figures and never the published ones, and
// faces marked ambiguous or not a face leave the current figures with their reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { ferPlusMajority } from '../../../core/datasets/label-names.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { recordDecision } from '../../../db/relabel-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { evaluateModel } from './evaluation.ts';

const votes = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);

test('relabelling a valid face changes current-label accuracy; published labels stay', async () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    // Valid faces: 0-3 voted happy (8 of 10), 4 without a majority, 5-7 labelled sad without votes.
    const specs = [
      ...[0, 1, 2, 3].map((i) => ({ index: i, votes: votes({ 1: 8, 0: 2 }) })),
      { index: 4, votes: votes({ 0: 5, 1: 5 }) },
      ...[5, 6, 7].map((i) => ({ index: i, votes: null, givenLabel: 2 })),
    ];
    const recs = specs.map((s) => makeRecord({ index: s.index, size: 4, split: 'valid', votes: s.votes, givenLabel: s.votes ? ferPlusMajority(s.votes) : s.givenLabel }));
    const ids = insertSampleBatch(p.db, recs).ids.map((id) => id!);
    const model = createModel(p.db, { kind: 'cnn', name: 'fixed', filePath: 'none.arsnap', inputSize: { height: 4, width: 4 } });
    // The model answers anger for face 0, happy for 1-4, sad for 5-6 and neutral for 7.
    const answer = [6, 1, 1, 1, 1, 2, 2, 0];
    const probs = new Float32Array(ids.length * NUM_CLASSES);
    answer.forEach((c, i) => (probs[i * NUM_CLASSES + c] = 1));
    writePredictions(p.db, model, { sampleIds: ids, probs });

    const before = await evaluateModel(p.db, model as ModelId, 'valid');
    // Published: faces 0-3 happy (1-3 right), 4 left out (no majority), 5-7 sad (5-6 right): 5 of 7.
    assert.equal(before.n_evaluated, 7);
    assert.equal(before.accuracy, 5 / 7);
    assert.deepEqual(before.excluded_by_reason, { 'no majority': 1 });
    assert.deepEqual({ acc: before.current!.accuracy, n: before.current!.n_evaluated }, { acc: 5 / 7, n: 7 }, 'nothing reviewed: current = published');
    assert.equal(before.n_label_changes, 0);

    recordDecision(p.db, { sampleId: ids[0], action: 'relabel', label: 6, reviewer: 'ana' }); // the model was right: anger
    recordDecision(p.db, { sampleId: ids[7], action: 'not_face', reviewer: 'ana' });
    recordDecision(p.db, { sampleId: ids[1], action: 'ambiguous', reviewer: 'ana' });
    recordDecision(p.db, { sampleId: ids[4], action: 'relabel', label: 1, reviewer: 'ana' }); // a reviewer settles the tie: happy
    const after = await evaluateModel(p.db, model as ModelId, 'valid');
    assert.equal(after.accuracy, 5 / 7, 'published figures do not move');
    assert.equal(after.n_evaluated, 7);
    // Current: 0 anger (right), 1 out, 2-3 happy (right), 4 happy (right), 5-6 sad (right), 7 out: 6 of 6.
    assert.equal(after.current!.n_evaluated, 6);
    assert.equal(after.current!.accuracy, 1);
    assert.deepEqual(after.current!.excluded_by_reason, { 'marked ambiguous by a reviewer': 1, 'marked not a face by a reviewer': 1 });
    assert.equal(after.current!.confusion[6][6], 1);
    assert.equal(after.n_label_changes, 4);
  } finally {
    p.remove();
  }
});

test('leak-free test figures leave out test faces with an exact twin in train or valid', async () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    // Test faces 0-5 labelled happy; 0 has a twin in train, 1 a twin in valid, 2 a copy inside test only.
    const recs = [0, 1, 2, 3, 4, 5].map((i) => makeRecord({ index: i, size: 4, split: 'test', votes: null, givenLabel: 1 }));
    const train = makeRecord({ index: 10, size: 4, split: 'train', votes: null, givenLabel: 1 });
    train.pixels = Uint8Array.from(recs[0].pixels);
    const valid = makeRecord({ index: 11, size: 4, split: 'valid', votes: null, givenLabel: 1 });
    valid.pixels = Uint8Array.from(recs[1].pixels);
    recs[3].pixels = Uint8Array.from(recs[2].pixels);
    const ids = insertSampleBatch(p.db, [...recs, train, valid]).ids.map((id) => id!);
    const model = createModel(p.db, { kind: 'cnn', name: 'fixed', filePath: 'none.arsnap', inputSize: { height: 4, width: 4 } });
    // Right (happy) on the two leaked faces, wrong (sad) on faces 2 and 3, right on 4 and 5.
    const answer = [1, 1, 2, 2, 1, 1, 1, 1];
    const probs = new Float32Array(ids.length * NUM_CLASSES);
    answer.forEach((c, i) => (probs[i * NUM_CLASSES + c] = 1));
    writePredictions(p.db, model, { sampleIds: ids, probs });

    const r = await evaluateModel(p.db, model as ModelId, 'test');
    assert.equal(r.accuracy, 4 / 6, 'plain: 4 of 6');
    assert.ok(r.leakFree);
    assert.equal(r.leakFree.twins, 2);
    assert.equal(r.leakFree.published.n_evaluated, 4);
    assert.equal(r.leakFree.published.accuracy, 2 / 4, 'leak-free: the two leaked faces were right, so the figure drops');
    assert.deepEqual(r.leakFree.current.excluded_by_reason, { 'exact twin in an earlier split': 2 });
    // Valid: its face 11 has no twin in train (its twin is in test, a later split).
    assert.equal((await evaluateModel(p.db, model as ModelId, 'valid')).leakFree!.twins, 0);
    assert.equal((await evaluateModel(p.db, model as ModelId, 'train')).leakFree, null);
  } finally {
    p.remove();
  }
});

test('with hashMissing false, leak-free figures wait for a complete hash cache', async () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const ids = insertSampleBatch(p.db, [makeRecord({ index: 0, size: 4, split: 'train', votes: null }), makeRecord({ index: 1, size: 4, split: 'test', votes: null })]).ids.map((id) => id!);
    const model = createModel(p.db, { kind: 'cnn', name: 'fixed', filePath: 'none.arsnap', inputSize: { height: 4, width: 4 } });
    writePredictions(p.db, model, { sampleIds: ids, probs: new Float32Array(2 * NUM_CLASSES).fill(1 / NUM_CLASSES) });
    assert.equal((await evaluateModel(p.db, model as ModelId, 'test', 'model', { hashMissing: false })).leakFree, null, 'nothing hashed yet');
    assert.equal((await evaluateModel(p.db, model as ModelId, 'test')).leakFree!.twins, 0, 'hashed on demand');
    assert.equal((await evaluateModel(p.db, model as ModelId, 'test', 'model', { hashMissing: false })).leakFree!.twins, 0, 'the cache is complete now');
  } finally {
    p.remove();
  }
});
