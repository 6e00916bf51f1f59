// The dense target rows every trainer learns from (targetMatrix): a row of votes becomes the
// normalised vote distribution; NaN or all-zero rows fall back to one-hot on the hard label.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { targetMatrix } from './training-targets.ts';

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
  assert.throws(() => targetMatrix(new Int32Array([9]), null), /row 0 has label 9/);
});
