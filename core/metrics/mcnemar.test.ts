// McNemar's test against hand-computed values; the chi-square p-values were computed
// independently with SciPy (scipy.stats.chi2.sf) and Python's math module.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { erfc, mcnemar } from './mcnemar.ts';

const close = (actual: number, expected: number, rel = 1e-6) => assert.ok(Math.abs(actual - expected) <= rel * Math.max(Math.abs(expected), 1e-300), `${actual} vs ${expected}`);

test('few discordant faces: the exact two-sided binomial test', () => {
  // b=1, c=6, n=7: 2 * (C(7,0) + C(7,1)) / 2^7 = 2 * 8 / 128.
  let r = mcnemar(1, 6);
  assert.equal(r.method, 'exact binomial');
  assert.equal(r.statistic, null);
  assert.equal(r.pValue, 0.125);
  // b=3, c=12, n=15: 2 * (1 + 15 + 105 + 455) / 32768 = 1152 / 32768.
  assert.equal(mcnemar(3, 12).pValue, 1152 / 32768);
  // Symmetric in b and c, capped at 1 (b = c), and 1 with no discordant face.
  assert.equal(mcnemar(12, 3).pValue, 1152 / 32768);
  assert.equal(mcnemar(5, 5).pValue, 1);
  assert.equal(mcnemar(0, 0).pValue, 1);
  // n=24, the largest exact case: 2 * (1 + 24 + 276) / 2^24.
  assert.equal(mcnemar(2, 22).pValue, 602 / 2 ** 24);
});

test('from 25 discordant faces: chi-square with continuity correction', () => {
  // (|10-30| - 1)^2 / 40 = 361 / 40 = 9.025; P(chi2_1 > 9.025) = 0.002663119259138558.
  let r = mcnemar(10, 30);
  assert.equal(r.method, 'chi-square with continuity correction');
  assert.equal(r.statistic, 9.025);
  close(r.pValue, 0.002663119259138558);
  // (20 - 1)^2 / 100 = 3.61; p = 0.05743311963200335.
  r = mcnemar(40, 60);
  assert.equal(r.statistic, 3.61);
  close(r.pValue, 0.05743311963200335);
  // (60 - 1)^2 / 240; p = 0.0001398498746272035.
  close(mcnemar(150, 90).pValue, 0.0001398498746272035);
  // |b - c| = 1 at n = 25: the correction makes the statistic 0, p = 1.
  r = mcnemar(13, 12);
  assert.equal(r.statistic, 0);
  assert.equal(r.pValue, 1);
});

test('erfc agrees with Python math.erfc', () => {
  // math.erfc(0.5), math.erfc(2.0), math.erfc(-1.0)
  close(erfc(0.5), 0.4795001221869535, 2e-7);
  close(erfc(2), 0.004677734981047266, 2e-7);
  close(erfc(-1), 1.8427007929497148, 2e-7);
});

test('counts must be non-negative integers', () => {
  assert.throws(() => mcnemar(-1, 3), /b=-1/);
  assert.throws(() => mcnemar(1.5, 3), /integers/);
});
