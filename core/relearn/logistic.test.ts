// The gate's logistic regression recovers the weights of a planted model (the oracle is the
// generating weights themselves), and its regularisation shrinks all but the intercept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { fitLogistic, logisticProbability } from './logistic.ts';

function planted(n: number, w: number[], seed: number) {
  const d = w.length;
  const rng = new Rng(seed);
  const x = new Float64Array(n * d);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d - 1; j++) x[i * d + j] = rng.normal();
    x[i * d + d - 1] = 1;
    y[i] = rng.next() < logisticProbability(x, d, i, w) ? 1 : 0;
  }
  return { x, y, d };
}

test('fitLogistic recovers planted weights (20,000 rows, 3 features + intercept)', () => {
  const truth = [1.5, -2, 0.5, -0.3];
  const { x, y, d } = planted(20_000, truth, 7);
  const fit = fitLogistic(x, y, d, { lambda: 0 });
  // Standard error of each weight here is ~0.02-0.03; 0.1 is > 3 standard errors.
  fit.w.forEach((v, j) => assert.ok(Math.abs(v - truth[j]) < 0.1, `w[${j}] = ${v.toFixed(3)}, planted ${truth[j]}`));
  assert.ok(fit.iterations < 20, `${fit.iterations} Newton iterations`);
});

test('fitLogistic: a strong L2 penalty shrinks the features but not the intercept', () => {
  const truth = [1.5, -2, 0.5, 1];
  const { x, y, d } = planted(5_000, truth, 11);
  const free = fitLogistic(x, y, d, { lambda: 0 }).w;
  const shrunk = fitLogistic(x, y, d, { lambda: 1e5 }).w;
  for (let j = 0; j < d - 1; j++) assert.ok(Math.abs(shrunk[j]) < 0.1 * Math.abs(free[j]), `w[${j}] ${shrunk[j]} vs ${free[j]}`);
  // With the features silenced, the intercept is the log-odds of the base rate.
  const rate = y.reduce((a, b) => a + b, 0) / y.length;
  assert.ok(Math.abs(shrunk[d - 1] - Math.log(rate / (1 - rate))) < 0.05, `intercept ${shrunk[d - 1]} vs log-odds ${Math.log(rate / (1 - rate))}`);
});

test('fitLogistic names a shape mismatch', () => {
  assert.throws(() => fitLogistic(new Float64Array(5), new Float64Array(2), 3, { lambda: 1 }), /X has 5 values, expected 2 x 3/);
});
