import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { majorityConsensus } from './annotators.ts';
import { dawidSkene } from './dawid-skene.ts';
import type { DawidSkeneInput } from './dawid-skene.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);

function input(rows: number[][], numItems: number, numAnnotators: number, numCategories: number): DawidSkeneInput {
  return {
    item: Int32Array.from(rows, (r) => r[0]),
    annotator: Int32Array.from(rows, (r) => r[1]),
    label: Int32Array.from(rows, (r) => r[2]),
    numItems,
    numAnnotators,
    numCategories,
  };
}

// item0: both say 0; item1: both say 1; item2: a0 says 0, a1 says 1; item3: only a0, says 0; item4: nobody.
const HAND = input([[0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 1], [2, 0, 0], [2, 1, 1], [3, 0, 0]], 5, 2, 2);

test('one EM step from the majority initialisation matches the hand computation', () => {
  const r = dawidSkene(HAND, { smoothing: 0, priorSmoothing: 0, maxIterations: 1 });
  // Init T = vote proportions: [1,0], [0,1], [.5,.5], [1,0]. M-step:
  // a0: row0 = [2.5, 0] -> [1, 0]; row1 = [0.5, 1] -> [1/3, 2/3]
  // a1: row0 = [1, 0.5] -> [2/3, 1/3]; row1 = [0, 1.5] -> [0, 1]; priors [2.5, 1.5] / 4
  const th = Array.from(r.confusion);
  [1, 0, 1 / 3, 2 / 3, 2 / 3, 1 / 3, 0, 1].forEach((v, i) => close(th[i], v));
  close(r.priors[0], 5 / 8);
  // E-step: item2 -> [5/8 * 1 * 1/3, 3/8 * 1/3 * 1] = [5/24, 3/24] -> [5/8, 3/8]; item3 -> [5/8, 1/8] -> [5/6, 1/6]
  close(r.posteriors[2 * 2], 5 / 8);
  close(r.posteriors[3 * 2], 5 / 6);
  assert.deepEqual(Array.from(r.posteriors.slice(0, 4)), [1, 0, 0, 1]);
  // A face without labels gets the prior and no consensus.
  close(r.posteriors[4 * 2], 5 / 8);
  assert.deepEqual(Array.from(r.consensus), [0, 1, 0, 0, -1]);
  close(r.logLikelihood[0], Math.log(5 / 12) + Math.log(1 / 4) + Math.log(1 / 3) + Math.log(3 / 4));
  // reliability = sum_j prior_j theta[j][j]: a0 5/8 + 3/8 * 2/3 = 7/8; a1 5/8 * 2/3 + 3/8 = 19/24
  close(r.reliability[0], 7 / 8);
  close(r.reliability[1], 19 / 24);
});

test('EM objective never decreases and the run converges', () => {
  const r = dawidSkene(HAND, { maxIterations: 500 });
  assert.ok(r.converged, `not converged after ${r.iterations}`);
  for (let i = 1; i < r.objective.length; i++) assert.ok(r.objective[i] >= r.objective[i - 1] - 1e-9, `objective fell at ${i}`);
  // The disputed face goes to the annotator who never says 1 for a 0.
  assert.equal(r.consensus[2], 0);
  for (let i = 0; i < 5; i++) close(r.posteriors[2 * i] + r.posteriors[2 * i + 1], 1, 1e-12);
});

test('simulated crowd: recovers the planted confusion matrices and beats majority vote', () => {
  const K = 4;
  const N = 3000;
  const A = 6;
  const rng = new Rng(7);
  // a0: expert (0.9 right); a1, a2: good but say 1 for most 0s; a3..a5: noisy (0.55 right).
  const planted = (a: number) =>
    Array.from({ length: K }, (_, j) => {
      if (a >= 1 && a <= 2 && j === 0) return [0.35, 0.55, 0.05, 0.05];
      const right = a >= 3 ? 0.55 : 0.9;
      return Array.from({ length: K }, (_, l) => (l === j ? right : (1 - right) / (K - 1)));
    });
  const conf = Array.from({ length: A }, (_, a) => planted(a));
  const prior = [0.3, 0.3, 0.2, 0.2];
  const draw = (p: number[]) => {
    let u = rng.next();
    for (let i = 0; i < p.length; i++) if ((u -= p[i]) < 0) return i;
    return p.length - 1;
  };
  const truth = new Int32Array(N);
  const rows: number[][] = [];
  for (let i = 0; i < N; i++) {
    truth[i] = draw(prior);
    const who = rng.shuffle([0, 1, 2, 3, 4, 5]).slice(0, 3) as number[];
    for (const a of who) rows.push([i, a, draw(conf[a][truth[i]])]);
  }
  const data = input(rows, N, A, K);
  const r = dawidSkene(data);
  assert.ok(r.converged);
  for (let i = 1; i < r.objective.length; i++) assert.ok(r.objective[i] >= r.objective[i - 1] - 1e-9);

  // Each row of a confusion matrix rests on ~150-450 labels: sampling error ~0.03, so 0.12 is ~4 sigma.
  let maxErr = 0;
  let sumErr = 0;
  for (let a = 0; a < A; a++)
    for (let j = 0; j < K; j++)
      for (let l = 0; l < K; l++) {
        const e = Math.abs(r.confusion[(a * K + j) * K + l] - conf[a][j][l]);
        maxErr = Math.max(maxErr, e);
        sumErr += e;
      }
  assert.ok(maxErr < 0.12, `max confusion error ${maxErr}`);
  assert.ok(sumErr / (A * K * K) < 0.035, `mean confusion error ${sumErr / (A * K * K)}`);
  prior.forEach((p, j) => close(r.priors[j], p, 0.04));
  assert.ok(r.reliability[0] > r.reliability[1] && r.reliability[1] > r.reliability[3], 'expert > biased > noisy');

  // Majority vote with ties broken at random (expected accuracy) versus Dawid-Skene.
  const mv = majorityConsensus({ item: data.item, annotator: data.annotator, label: data.label, numItems: N, numAnnotators: A });
  const counts = new Int32Array(N * K);
  rows.forEach(([i, , l]) => counts[i * K + l]++);
  let mvAcc = 0;
  let dsAcc = 0;
  for (let i = 0; i < N; i++) {
    if (r.consensus[i] === truth[i]) dsAcc++;
    if (mv[i] >= 0) mvAcc += mv[i] === truth[i] ? 1 : 0;
    else {
      const top = Math.max(...counts.subarray(i * K, i * K + K));
      const tied = counts.subarray(i * K, i * K + K).filter((c) => c === top).length;
      if (counts[i * K + truth[i]] === top) mvAcc += 1 / tied;
    }
  }
  assert.ok(dsAcc / N > mvAcc / N + 0.03, `Dawid-Skene ${dsAcc / N} vs majority ${mvAcc / N}`);
});

test('options are validated', () => {
  assert.throws(() => dawidSkene(HAND, { maxIterations: 0 }), /maxIterations/);
  assert.throws(() => dawidSkene({ ...HAND, numItems: 2 }), /item\[4\] = 2/);
});
