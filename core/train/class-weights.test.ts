import assert from 'node:assert/strict';
import { test } from 'node:test';
import { balancedClassWeights, classRowWeights } from './class-weights.ts';

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
});
