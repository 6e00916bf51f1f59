import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classificationReport, confusionMatrix } from './classification.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('accuracy, confusion (rows true, columns predicted), per-class and macro metrics by hand', () => {
  const y = [0, 0, 1, 1, 2, -1];
  const p = [0, 1, 1, 1, 0, 2]; // the unlabelled face's prediction must not count
  const r = classificationReport(y, p);
  assert.equal(r.n, 5);
  assert.equal(r.correct, 3);
  close(r.accuracy, 0.6);
  assert.equal(r.confusion[0 * 8 + 1], 1, 'true 0 predicted 1');
  assert.equal(r.confusion[2 * 8 + 0], 1, 'true 2 predicted 0');
  assert.equal(r.confusion[1 * 8 + 1], 2);
  assert.equal(r.confusion.reduce((s, v) => s + v, 0), 5);
  close(r.perClass[0].precision, 0.5);
  close(r.perClass[0].recall, 0.5);
  close(r.perClass[1].precision, 2 / 3);
  close(r.perClass[1].recall, 1);
  close(r.perClass[1].f1, 0.8);
  assert.deepEqual(r.perClass[2], { precision: 0, recall: 0, f1: 0, support: 1 });
  assert.equal(r.perClass[5].support, 0);
  // Macro over the classes that occur (0, 1, 2), not all 8.
  close(r.macro.precision, (0.5 + 2 / 3 + 0) / 3);
  close(r.macro.recall, 0.5);
  close(r.macro.f1, (0.5 + 0.8) / 3);
});

test('edge cases: nothing labelled, bad predictions', () => {
  const r = classificationReport([-1, 9], [0, 1]);
  assert.equal(r.n, 0);
  assert.ok(Number.isNaN(r.accuracy) && Number.isNaN(r.macro.f1));
  assert.throws(() => confusionMatrix([0], [8]), /prediction 0 is 8/);
  assert.throws(() => confusionMatrix([0, 1], [0]), /2 labels but 1/);
});
