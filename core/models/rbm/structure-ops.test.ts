import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng.ts';
import { removeUnits, splitUnits, type LayerParams } from './structure-ops.ts';

function layer(): LayerParams {
  // 2 visible x 3 hidden.
  return {
    visible: 2,
    hidden: 3,
    w: Float32Array.from([1, 2, 3, 4, 5, 6]),
    b: Float32Array.from([0.1, 0.2]),
    c: Float32Array.from([-1, -2, -3]),
    incW: Float32Array.from([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]),
    incB: Float32Array.from([0, 0]),
    incC: Float32Array.from([0.01, 0.02, 0.03]),
  };
}

test('splitUnits appends noisy twins with zero momentum and leaves the originals untouched', () => {
  const p = splitUnits(layer(), [1], 0.01, new Rng(1));
  assert.equal(p.hidden, 4);
  assert.deepEqual(Array.from(p.w.filter((_, k) => k % 4 !== 3)), [1, 2, 3, 4, 5, 6]);
  assert.ok(Math.abs(p.w[3] - 2) < 0.05 && p.w[3] !== 2);
  assert.ok(Math.abs(p.w[7] - 5) < 0.05 && p.w[7] !== 5);
  assert.ok(Math.abs(p.c[3] + 2) < 0.05);
  assert.equal(p.incW[3], 0);
  assert.equal(p.incC[3], 0);
  assert.ok(Math.abs(p.incC[1] - 0.02) < 1e-7);
});

test('removeUnits drops the named columns with their momentum', () => {
  const p = removeUnits(layer(), [0, 2]);
  assert.equal(p.hidden, 1);
  assert.deepEqual(Array.from(p.w), [2, 5]);
  assert.deepEqual(Array.from(p.c), [-2]);
  assert.deepEqual(Array.from(p.incW).map((x) => +x.toFixed(3)), [0.2, 0.5]);
  assert.deepEqual(Array.from(p.b).map((x) => +x.toFixed(3)), [0.1, 0.2]);
});
