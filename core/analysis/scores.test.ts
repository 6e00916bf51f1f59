import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SCORE_DIRECTIONS, computeScores, defaultQueueOrder, confidentLearning, defaultQueueScore, margin, maxSoftmax, misclassified, suspicionOrder, voteEntropy } from './scores.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const row = (m: Record<number, number>, len = 8) => Array.from({ length: len }, (_, c) => m[c] ?? 0);
const rows = (...r: Record<number, number>[]) => Float64Array.from(r.flatMap((m) => row(m)));
const voteRows = (...r: Record<number, number>[]) => r.flatMap((m) => row(m, 12));

test('vote entropy is normalised to [0, 1] over the chosen categories', () => {
  const h = voteEntropy(voteRows({ 1: 5, 2: 5 }, { 3: 10 }, { 0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 1, 6: 1, 7: 1 }, { 11: 4 }, {}));
  close(h[0], Math.LN2 / Math.log(8)); // = 1/3
  close(h[0], 1 / 3);
  assert.equal(h[1], 0);
  close(h[2], 1);
  assert.ok(Number.isNaN(h[3]) && Number.isNaN(h[4]), 'no class votes -> NaN');
  const all = voteEntropy(voteRows({ 0: 5, 11: 5 }), 'all');
  close(all[0], Math.LN2 / Math.log(12));
});

test('margin, max softmax and misclassified', () => {
  const p = rows({ 0: 0.5, 1: 0.3, 2: 0.2 }, { 3: 0.4, 4: 0.4, 5: 0.2 }, { 7: 1 });
  const m = margin(p);
  close(m[0], 0.2);
  assert.equal(m[1], 0);
  assert.equal(m[2], 1);
  assert.deepEqual(Array.from(maxSoftmax(p)), [0.5, 0.4, 1]);
  const mis = misclassified(p, [0, 4, -1]);
  assert.equal(mis[0], 0);
  assert.equal(mis[1], 1, 'ties go to the first maximum (class 3), which is not 4');
  assert.ok(Number.isNaN(mis[2]));
});

test('confident learning on a hand case (thresholds are class means of self-confidence, >= for the other class)', () => {
  const p = rows(
    { 0: 0.875, 1: 0.125 }, // y0, fine
    { 0: 0.625, 1: 0.375 }, // y0, fine
    { 0: 0.25, 1: 0.75 }, // y0: 0.25 < t0, p1 = 0.75 >= t1 = 0.75 -> issue
    { 0: 0.125, 1: 0.875 }, // y1, fine
    { 0: 0.375, 1: 0.625 }, // y1: under t1 but nothing else over its threshold -> not an issue
    { 0: 0.5, 2: 0.5 }, // y2, fine (0.5 >= t2 = 0.375)
    { 0: 0.75, 2: 0.25 }, // y2: 0.25 < t2, p0 = 0.75 >= t0 -> issue
    { 0: 1 }, // no label
    { 0: 1 }, // label 8 (none) is not a class
  );
  const cl = confidentLearning(p, [0, 0, 0, 1, 1, 2, 2, -1, 8]);
  close(cl.thresholds[0], 1.75 / 3);
  close(cl.thresholds[1], 0.75);
  close(cl.thresholds[2], 0.375);
  assert.ok(Number.isNaN(cl.thresholds[3]), 'a class no face carries has no threshold');
  assert.deepEqual(Array.from(cl.issue.slice(0, 7)), [0, 0, 1, 0, 0, 0, 1]);
  assert.ok(Number.isNaN(cl.issue[7]) && Number.isNaN(cl.issue[8]));
});

test('computeScores fills the columns its inputs allow; several children give the largest KL', () => {
  const p = rows({ 0: 0.9, 1: 0.1 }, { 1: 0.6, 2: 0.4 });
  const noVotes = computeScores({ probs: p, givenLabels: [0, 2] });
  assert.equal(noVotes.kl_annotator, null);
  assert.equal(noVotes.kl_parent_child, null);
  assert.equal(noVotes.misclassified![1], 1);
  assert.equal(defaultQueueScore(noVotes), 'margin');

  const c1 = rows({ 0: 0.9, 1: 0.1 }, { 1: 0.5, 2: 0.5 });
  const c2 = rows({ 0: 0.5, 1: 0.5 }, { 1: 0.6, 2: 0.4 });
  const s = computeScores({ probs: p, givenLabels: [0, 2], childProbs: [c1, c2], votes: voteRows({ 11: 10 }, { 2: 10 }) });
  close(s.kl_parent_child![0], 0.9 * Math.log(0.9 / 0.5) + 0.1 * Math.log(0.1 / 0.5), 1e-6);
  close(s.kl_parent_child![1], 0.6 * Math.log(0.6 / 0.5) + 0.4 * Math.log(0.4 / 0.5), 1e-6);
  assert.ok(Number.isNaN(s.kl_annotator![0]));
  close(s.kl_annotator![1], Math.log(1 / 0.4), 1e-6);
  assert.equal(defaultQueueScore(s), 'kl_annotator');
  // Votes present but none for a class anywhere: fall back to the child KL.
  const s2 = computeScores({ probs: p, givenLabels: [0, 2], childProbs: c1, votes: voteRows({ 11: 10 }, { 10: 10 }) });
  assert.equal(defaultQueueScore(s2), 'kl_parent_child');
  // Without votes or children the queue is by margin, smallest first.
  assert.deepEqual(defaultQueueOrder(noVotes), { score: 'margin', order: Int32Array.of(1, 0) });
  // With votes the face whose votes the model contradicts most comes first; face 0 has no class votes: last.
  assert.deepEqual(Array.from(defaultQueueOrder(s).order), [1, 0]);
});

test('suspicionOrder puts the suspicious end first, NaN last, ties by index', () => {
  const col = [0.2, Number.NaN, 0.9, 0.2, 0.5];
  assert.deepEqual(Array.from(suspicionOrder(col, 'higher')), [2, 4, 0, 3, 1]);
  assert.deepEqual(Array.from(suspicionOrder(col, 'lower')), [0, 3, 4, 2, 1]);
  assert.equal(SCORE_DIRECTIONS.margin, 'lower');
  assert.equal(SCORE_DIRECTIONS.kl_annotator, 'higher');
});
