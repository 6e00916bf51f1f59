import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balancedClassWeights, classRowWeights, sqrtClassWeights } from './class-weights.ts';

const round = (a: ArrayLike<number>) => Array.from(a, (v) => +v.toFixed(6));

test("'balanced' is n / (K n_c) over the classes present, computed by hand", () => {
  // 6 rows: class 0 x3, class 1 x2, class 3 x1; K = 3 present of 4.
  const y = [0, 0, 0, 1, 1, 3];
  // w_0 = 6 / (3 * 3) = 2/3, w_1 = 6 / (3 * 2) = 1, w_2 = 0 (absent), w_3 = 6 / (3 * 1) = 2
  assert.deepEqual(round(balancedClassWeights(y, 4)), [0.666667, 1, 0, 2]);
  // The rows' weights average exactly 1: 3 * 2/3 + 2 * 1 + 1 * 2 = 6.
  const onehot = new Float32Array(24);
  y.forEach((c, r) => (onehot[r * 4 + c] = 1));
  const rows = classRowWeights('balanced', y, onehot, 4)!;
  assert.deepEqual(round(rows), [0.666667, 0.666667, 0.666667, 1, 1, 2]);
  assert.ok(Math.abs(rows.reduce((a, b) => a + b, 0) - 6) < 1e-5);
});

test('a soft target mixes the class weights of its classes; none gives no weights', () => {
  const y = [0, 1];
  const targets = new Float32Array([0.5, 0.5, 0, 1]);
  assert.deepEqual(round(classRowWeights([2, 4], y, targets, 2)!), [3, 4]);
  assert.equal(classRowWeights('none', y, targets, 2), null);
  assert.throws(() => balancedClassWeights([0, 7], 2), /row 1 has label 7/);
  assert.throws(() => sqrtClassWeights([0, 7], 2), /row 1 has label 7/);
});

test("'sqrt' is the square root of 'balanced', rescaled so the rows again average 1, computed by hand", () => {
  // 5 rows: class 0 x4, class 1 x1, class 2 absent. balanced: 5/8 and 5/2, whose square roots
  // stand 1 : 2. With w_1 = 2 w_0 and 4 w_0 + 1 w_1 = 5: w_0 = 5/6, w_1 = 5/3.
  const y = [0, 0, 0, 0, 1];
  assert.deepEqual(round(sqrtClassWeights(y, 3)), [0.833333, 1.666667, 0]);
  const onehot = new Float32Array(15);
  y.forEach((c, r) => (onehot[r * 3 + c] = 1));
  const rows = classRowWeights('sqrt', y, onehot, 3)!;
  assert.ok(Math.abs(rows.reduce((a, b) => a + b, 0) - 5) < 1e-5);
  // Softer than balanced: the rare class gains less, the common class loses less.
  const b = balancedClassWeights(y, 3);
  assert.ok(rows[4] < b[1] && rows[0] > b[0]);
  assert.throws(() => classRowWeights('inverse' as never, y, onehot, 3), /unknown weighting "inverse", expected none, balanced, sqrt/);
});
