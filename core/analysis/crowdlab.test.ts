import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { crowdlab, normalizedMargin } from './crowdlab.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
/** An 8-class probability row from its first entries. */
const P = (...head: number[]) => [...head, ...new Array(8 - head.length).fill(0)];
/** A 12-code vote row from {class: count}. */
const V = (o: Record<number, number>) => Array.from({ length: 12 }, (_, c) => o[c] ?? 0);

test('CROWDLAB on a hand-computed case', () => {
  // A: 3 votes class 0; B: 2 votes class 1; C: one vote each, a tie the model breaks (class 1);
  // D: a single vote (not in M); E: no votes.
  const probs = [P(0.6, 0.4), P(0.2, 0.8), P(0.3, 0.7), P(0.9, 0.1), P(1)].flat();
  const votes = [V({ 0: 3 }), V({ 1: 2 }), V({ 0: 1, 1: 1 }), V({ 1: 1 }), V({})].flat();
  const r = crowdlab(probs, votes, [0, 1, 0, 1, 0]);
  assert.deepEqual(Array.from(r.consensus), [0, 1, 1, 1, -1]);
  // By hand, on M = {A, B, C}: CL = mean(3/3, 2/2, 1/2) = 5/6, NCL = (1/6)/7 = 1/42.
  close(r.consensusLikelihood, 5 / 6);
  // E0: consensus classes 0,1,1 -> always answering 1 errs on 1/3. Votes agreeing with the
  // face's other votes: A 3 votes x 2/2, B 2 x 1/1, C 0 -> 5 of 7 votes: A = 5/7.
  // w_A = 1 - (2/7)/(1/3) = 1/7. The model's argmax matches every consensus: e_M = 0, and the
  // mean number of votes on voted faces is (3+2+2+1)/4 = 2: w_M = sqrt(2).
  close(r.annotatorWeight, 1 / 7);
  close(r.modelWeight, Math.SQRT2);
  const wM = Math.SQRT2;
  const wA = 1 / 7;
  // A, label 0: (w_M 0.6 + w_A 3 CL) / (w_M + 3 w_A) = 0.654266...
  close(r.score[0], (wM * 0.6 + wA * 3 * (5 / 6)) / (wM + 3 * wA));
  close(r.score[0], 0.654266, 1e-6);
  // C, label 0: one vote for 0 (CL), one for 1 (NCL): 0.32161...
  close(r.score[2], (wM * 0.3 + wA * (5 / 6 + 1 / 42)) / (wM + 2 * wA));
  close(r.score[2], 0.32161, 1e-6);
  // D, label 1, its single vote agrees with the label: 0.167281...
  close(r.score[3], (wM * 0.1 + wA * (5 / 6)) / (wM + wA));
  close(r.score[3], 0.167281, 1e-6);
  assert.ok(Number.isNaN(r.score[4]), 'no votes: no score');
  // Every posterior row is a distribution (CL + 7 NCL = 1 per vote).
  for (let i = 0; i < 4; i++) close(r.posterior.subarray(i * 8, i * 8 + 8).reduce((a, b) => a + b, 0), 1);
});

test('CROWDLAB: unreliable annotators leave the model in charge, reliable ones outweigh it', () => {
  // Votes that disagree with each other as often as chance: w_A hits its floor, the posterior is p.
  const probs = [P(0.9, 0.1), P(0.1, 0.9), P(0.9, 0.1), P(0.1, 0.9)].flat();
  const noisy = crowdlab(probs, [V({ 0: 1, 1: 1 }), V({ 0: 1, 1: 1 }), V({ 0: 1, 1: 1 }), V({ 0: 1, 1: 1 })].flat(), [1, 0, 1, 0]);
  close(noisy.score[0], 0.1, 1e-5);
  // Unanimous annotators the model disagrees with on one face of four: their votes win there.
  const agree = crowdlab(probs, [V({ 0: 3 }), V({ 1: 3 }), V({ 1: 3 }), V({ 1: 3 })].flat(), [0, 1, 1, 1]);
  assert.ok(agree.score[2] > 0.5, `the annotators' class keeps ${agree.score[2]}`);
});

test('CROWDLAB with one vote per face ranks exactly as p(given label)', () => {
  const rng = new Rng(4);
  const n = 60;
  const probs: number[] = [];
  const votes: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const raw = Array.from({ length: 8 }, () => rng.next() ** 3);
    const s = raw.reduce((a, b) => a + b, 0);
    probs.push(...raw.map((x) => x / s));
    const y = rng.int(8);
    labels.push(y);
    votes.push(...V({ [y]: 1 }));
  }
  const r = crowdlab(probs, votes, labels);
  const self = labels.map((y, i) => probs[i * 8 + y]);
  const order = (a: ArrayLike<number>) => Array.from(a, (_, i) => i).sort((x, y) => a[x] - a[y]);
  assert.deepEqual(order(r.score), order(self));
  assert.ok(Number.isFinite(r.modelWeight) && Number.isFinite(r.annotatorWeight));
});

test('normalised margin of the given label', () => {
  const m = normalizedMargin([P(0.6, 0.4), P(0.6, 0.4), P(0.2, 0.3, 0.5)].flat(), [1, 0, 2]);
  close(m[0], 0.4);
  close(m[1], 0.6);
  close(m[2], 0.6);
  assert.ok(Number.isNaN(normalizedMargin(P(1), [9])[0]), 'a non-class code has no margin');
});
