import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { crowdStatistics, dawidSkeneFromTable, dawidSkeneFromVotes } from './crowd-statistics.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);
const row = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);

test('crowd statistics on hand vote counts', () => {
  // A: 10 neutral; B: 5 happy / 5 sad; C: 6 neutral / 4 happy; D: only unknown
  const votes = [row({ 0: 10 }), row({ 1: 5, 2: 5 }), row({ 0: 6, 1: 4 }), row({ 11: 10 })].flat();
  const s = crowdStatistics(votes);
  assert.equal(s.faces, 4);
  assert.equal(s.facesWithVotes, 3);
  // Leave-one-out: A 10/10; B each vote's others favour the other class, 0/10; C neutral 6 agree, happy 4 do not.
  close(s.majorityAgreement, 16 / 30);
  close(s.majorityShare, (1 + 0.6) / 2);
  // P_i = [1, 40/90, 42/90], p = [16, 9, 5] / 30
  const pBar = 172 / 270;
  const pe = 362 / 900;
  close(s.fleiss.kappa, (pBar - pe) / (1 - pe));
  close(s.fleiss.kappa, 0.3928129, 1e-6);
  close(s.meanVoteEntropy, 0.2189945, 1e-6);
  // With all codes as categories, face D counts: perfect agreement on `unknown`.
  assert.equal(crowdStatistics(votes, 'all').fleiss.itemsUsed, 4);
});

test('pooled-crowd Dawid-Skene recovers the crowd confusion matrix from vote counts', () => {
  const rng = new Rng(11);
  const K = 3;
  const crowd = [
    [0.7, 0.2, 0.1],
    [0.1, 0.8, 0.1],
    [0.25, 0.05, 0.7],
  ];
  const n = 1500;
  const votes: number[] = [];
  const truth: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = rng.int(K);
    truth.push(z);
    const r = row({});
    for (let v = 0; v < 10; v++) {
      let u = rng.next();
      let l = 0;
      while (l < K - 1 && (u -= crowd[z][l]) >= 0) l++;
      r[l]++;
    }
    votes.push(...r);
  }
  const ds = dawidSkeneFromVotes(votes);
  assert.equal(ds.confusion.length, 64, 'one pooled annotator over the 8 classes');
  for (let j = 0; j < K; j++) for (let l = 0; l < K; l++) close(ds.confusion[j * 8 + l], crowd[j][l], 0.04);
  let right = 0;
  for (let i = 0; i < n; i++) if (ds.consensus[i] === truth[i]) right++;
  assert.ok(right / n > 0.95, `pooled Dawid-Skene accuracy ${right / n}`);
});

test('dawidSkeneFromTable adapts an identified-annotator table', () => {
  const t = { item: Int32Array.of(0, 0, 1), annotator: Int32Array.of(0, 1, 1), label: Int32Array.of(3, 3, 9), numItems: 2, numAnnotators: 2 };
  const ds = dawidSkeneFromTable(t);
  assert.equal(ds.consensus[0], 3);
  assert.equal(ds.consensus[1], -1, 'the uncertain label is not a class: face 1 has no labels');
  // With every label code a category it is a label (one step: on two faces EM may merge the classes).
  const all = dawidSkeneFromTable(t, { categories: 'all', maxIterations: 1 });
  assert.equal(all.k, 12);
  assert.equal(all.consensus[1], 9);
});
