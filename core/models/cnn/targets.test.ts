/** Target rows as the CNN builds them (the shared targetMatrix) and the per-row loss weights of its class-weight option. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classWeightsFor } from './targets.ts';
import { targetMatrix } from '../../train/training-targets.ts';

test('rows with votes become the normalised vote distribution; NaN or all-zero rows fall back to one-hot', () => {
  const y = new Int32Array([2, 5, 0]);
  const soft = new Float32Array(24).fill(NaN);
  soft.set([0, 0, 6, 2, 0, 0, 0, 2], 0); // 10 votes -> 0.6 / 0.2 / 0.2
  soft.set([0, 0, 0, 0, 0, 0, 0, 0], 16); // no votes at all
  const t = targetMatrix(y, soft);
  assert.deepEqual(Array.from(t.subarray(0, 8)).map((v) => +v.toFixed(6)), [0, 0, 0.6, 0.2, 0, 0, 0, 0.2]);
  assert.deepEqual(Array.from(t.subarray(8, 16)), [0, 0, 0, 0, 0, 1, 0, 0]);
  assert.deepEqual(Array.from(t.subarray(16, 24)), [1, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(targetMatrix(y, null).subarray(8, 16)), [0, 0, 0, 0, 0, 1, 0, 0]);
});

test("'balanced' weights are n / (8 n_c) of the hard label; explicit weights mix by the soft target", () => {
  const y = new Int32Array([0, 0, 0, 1]);
  const t = targetMatrix(y, null);
  assert.deepEqual(Array.from(classWeightsFor('balanced', y, t)).map((v) => +v.toFixed(6)), [0.166667, 0.166667, 0.166667, 0.5]);
  assert.deepEqual(Array.from(classWeightsFor(null, y, t)), [1, 1, 1, 1]);
  const soft = new Float32Array(32).fill(NaN);
  soft.set([1, 1, 0, 0, 0, 0, 0, 0], 0);
  const ts = targetMatrix(y, soft);
  const w = [2, 4, 1, 1, 1, 1, 1, 1];
  assert.deepEqual(Array.from(classWeightsFor(w, y, ts)), [3, 2, 2, 4]);
});
