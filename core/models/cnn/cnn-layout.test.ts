/**
 * The checkpoint <-> engine layout conversion, element by element on a non-square case (so that
 * neither permutation is its own inverse), and back again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCnnConfig } from './cnn-config.ts';
import { fromCheckpointLayout, toCheckpointLayout } from './cnn-layout.ts';

test('HWIO filters become OIHW and NHWC-ordered dense rows become NCHW-ordered, and back', () => {
  // 16x24 input -> 2x3 after three pools, 5 channels, 2 dense units.
  const cfg = resolveCnnConfig({ filters: [2, 3, 5], denseUnits: 2 });
  const cin = 2, cout = 3; // conv2: block 1 reads 2 channels, writes 3
  const hwio = Float32Array.from({ length: 9 * cin * cout }, (_, i) => i);
  const dense = Float32Array.from({ length: 2 * 3 * 5 * 2 }, (_, i) => i);
  const eng = fromCheckpointLayout(cfg, 16, 24, { 'conv2/w': hwio, 'dense0/w': dense, 'dense0/b': Float32Array.of(7, 8) });
  for (const [ky, kx, c, o] of [[0, 0, 0, 0], [1, 2, 1, 0], [2, 1, 0, 2], [2, 2, 1, 2]]) {
    assert.equal(eng['conv2/w'][((o * cin + c) * 3 + ky) * 3 + kx], hwio[((ky * 3 + kx) * cin + c) * cout + o], `filter [${ky},${kx},${c},${o}]`);
  }
  for (const [y, x, c, u] of [[0, 0, 1, 0], [1, 2, 4, 1], [0, 2, 3, 1], [1, 0, 0, 0]]) {
    assert.equal(eng['dense0/w'][((c * 2 + y) * 3 + x) * 2 + u], dense[((y * 3 + x) * 5 + c) * 2 + u], `dense row (${y},${x},${c}) unit ${u}`);
  }
  assert.deepEqual(eng['dense0/b'], Float32Array.of(7, 8));
  const back = toCheckpointLayout(cfg, 16, 24, eng);
  assert.deepEqual(back['conv2/w'], hwio);
  assert.deepEqual(back['dense0/w'], dense);
});
