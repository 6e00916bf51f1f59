import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES } from '../../../api/domain.ts';
import { Rng } from '../../util/rng.ts';
import { DEMO_ANNOTATORS, annotatorLabelDistribution, drawAnnotatorLabel } from './annotators.ts';

const byId = (id: string) => DEMO_ANNOTATORS.find((a) => a.id === id)!;

test('every habit is a proper confusion matrix and ids are unique', () => {
  assert.ok(DEMO_ANNOTATORS.length >= 5 && DEMO_ANNOTATORS.length <= 7);
  assert.equal(new Set(DEMO_ANNOTATORS.map((a) => a.id)).size, DEMO_ANNOTATORS.length);
  for (const a of DEMO_ANNOTATORS) {
    assert.equal(a.confusion.length, NUM_CLASSES, a.id);
    for (const row of a.confusion) {
      assert.equal(row.length, NUM_CLASSES);
      assert.ok(row.every((p) => p >= 0), `${a.id}: negative probability`);
      assert.ok(Math.abs(row.reduce((s, p) => s + p, 0) - 1) < 1e-9, `${a.id}: row does not sum to 1`);
    }
  }
});

test('the habits are the advertised ones', () => {
  const diag = (id: string) => byId(id).confusion.map((r, i) => r[i]);
  // Careful: every class above 0.93.
  assert.ok(diag('ann-A').every((p) => p > 0.93));
  // Calls disgust (5) "anger" (6) often, fear (4) "surprise" (3) often, drifts to neutral (0).
  assert.ok(byId('ann-B').confusion[5][6] >= 0.4);
  assert.ok(byId('ann-C').confusion[4][3] >= 0.4);
  assert.ok([1, 2, 3, 4, 5, 6, 7].every((k) => byId('ann-D').confusion[k][0] >= 0.1));
  // Noisy: a quarter of labels random, spread evenly.
  assert.ok(diag('ann-E').every((p) => Math.abs(p - 0.75) < 1e-9));
  assert.ok(byId('ann-E').confusion[5].every((p, j) => j === 5 || Math.abs(p - 0.25 / 7) < 1e-9));
  // The noisy and the careful annotators differ as they should.
  assert.ok(diag('ann-A').reduce((s, p) => s + p) > diag('ann-E').reduce((s, p) => s + p) + 1.5);
});

test('sampled labels follow mix x confusion, for a clear and a blended face', () => {
  const rng = new Rng(11);
  const ann = byId('ann-B');
  for (const mix of [[0, 0, 0, 0, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0.6, 0.4, 0]]) {
    const expect = annotatorLabelDistribution(ann, mix);
    assert.ok(Math.abs(expect.reduce((s, p) => s + p) - 1) < 1e-9);
    const n = 20000;
    const counts = new Array(NUM_CLASSES).fill(0);
    for (let i = 0; i < n; i++) counts[drawAnnotatorLabel(ann, mix, rng)]++;
    for (let k = 0; k < NUM_CLASSES; k++) {
      const sd = Math.sqrt((expect[k] * (1 - expect[k])) / n);
      assert.ok(Math.abs(counts[k] / n - expect[k]) < 5 * sd + 1e-3, `class ${k}: ${counts[k] / n} vs ${expect[k]}`);
    }
  }
});
