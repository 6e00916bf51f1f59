import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { auroc, averagePrecision, precisionAtK } from './ranking.ts';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('AUROC on hand cases', () => {
  // positives 0.9 and 0.7; negatives 0.8 and 0.6: 3 of 4 pairs ordered right
  assert.equal(auroc([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]), 0.75);
  assert.equal(auroc([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 'lower'), 0.25);
  assert.equal(auroc([3, 2, 1], [true, false, false]), 1);
  assert.equal(auroc([1, 2, 3], [true, false, false]), 0);
});

test('AUROC ties count one half; a constant score gives exactly 0.5', () => {
  assert.equal(auroc([1, 1, 0], [1, 0, 0]), 0.75);
  assert.equal(auroc([0.3, 0.3, 0.3, 0.3, 0.3], [1, 0, 0, 1, 0]), 0.5);
});

test('AUROC: NaN scores skipped; undefined without both classes', () => {
  assert.equal(auroc([0.9, Number.NaN, 0.1], [1, 1, 0]), 1);
  assert.ok(Number.isNaN(auroc([1, 2], [0, 0])));
  assert.ok(Number.isNaN(auroc([1, 2], [1, 1])));
});

test('AUROC equals the brute-force pair count on random data with ties', () => {
  const rng = new Rng(5);
  const n = 300;
  const s = Array.from({ length: n }, () => rng.int(20) / 20);
  const y = Array.from({ length: n }, (_, i) => (rng.next() < 0.3 + s[i] * 0.4 ? 1 : 0));
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++)
      if (y[i] === 1 && y[j] === 0) {
        den++;
        num += s[i] > s[j] ? 1 : s[i] === s[j] ? 0.5 : 0;
      }
  close(auroc(s, y), num / den, 1e-12);
});

test('precision@k, with tied scores at the cut counted by their expected share', () => {
  assert.equal(precisionAtK([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 1), 1);
  assert.equal(precisionAtK([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 2), 0.5);
  close(precisionAtK([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 3), 2 / 3);
  assert.equal(precisionAtK([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 1, 'lower'), 0);
  // Three faces tie at the top, one of them positive: any k inside the tie gives 1/3.
  close(precisionAtK([1, 1, 1, 0], [1, 0, 0, 1], 1), 1 / 3);
  close(precisionAtK([1, 1, 1, 0], [1, 0, 0, 1], 2), 1 / 3);
  close(precisionAtK([0, 1, 1, 1], [1, 0, 0, 1], 2), 1 / 3, 1e-12);
  assert.equal(precisionAtK([1, 1, 1, 0], [1, 0, 0, 1], 10), 0.5, 'k capped at the number of faces');
  assert.throws(() => precisionAtK([1], [1], 0), /positive integer/);
});

test('average precision on hand cases, ties as one threshold (as scikit-learn)', () => {
  // Ranked: +, -, +, -: precision 1 at the first positive, 2/3 at the second: (1 + 2/3) / 2.
  close(averagePrecision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0]), 5 / 6);
  // 'lower': ranked 0.6(-), 0.7(+), 0.8(-), 0.9(+): (1/2 + 2/4) / 2.
  close(averagePrecision([0.9, 0.8, 0.7, 0.6], [1, 0, 1, 0], 'lower'), 0.5);
  assert.equal(averagePrecision([3, 2, 1], [1, 0, 0]), 1);
  // A positive tied with a negative at the top: the group has precision 1/2 and brings all recall.
  assert.equal(averagePrecision([1, 1, 0], [1, 0, 0]), 0.5);
  // Tie group {0.5: +, +, -} after a clear positive at 0.9: 1/3 * 1 + 2/3 * (3/4).
  close(averagePrecision([0.9, 0.5, 0.5, 0.5, 0.1], [1, 1, 0, 1, 0]), 1 / 3 + (2 / 3) * (3 / 4));
  // A constant score: the base rate.
  close(averagePrecision([2, 2, 2, 2, 2], [1, 0, 0, 1, 0]), 2 / 5);
  assert.ok(Number.isNaN(averagePrecision([1, 2], [0, 0])));
  assert.equal(averagePrecision([1, Number.NaN, 0], [1, 1, 0]), 1, 'NaN scores left out');
});

test('average precision equals a brute-force mean of precision at each positive, on random data without ties', () => {
  const rng = new Rng(11);
  const n = 200;
  const s = Array.from({ length: n }, () => rng.next());
  const y = Array.from({ length: n }, (_, i) => (rng.next() < 0.2 + s[i] * 0.5 ? 1 : 0));
  const order = s.map((_, i) => i).sort((a, b) => s[b] - s[a]);
  let tp = 0;
  let sum = 0;
  order.forEach((idx, rank) => {
    if (y[idx]) {
      tp++;
      sum += tp / (rank + 1);
    }
  });
  close(averagePrecision(s, y), sum / tp, 1e-12);
});
