import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from './init-backend.ts';

test('picks wasm here and records why the native backends were skipped', async () => {
  delete process.env.AFFECT_RELEARN_BACKEND;
  const choice = await initBackend();
  // tfjs-node(-gpu) are not installed on this machine; when they are, this test says so.
  if (choice.name === 'wasm') {
    assert.deepEqual(choice.skipped.map((s) => s.name), ['tensorflow-gpu', 'tensorflow']);
    assert.match(choice.reason, /tensorflow-gpu skipped/);
  }
  assert.equal(tf.getBackend(), choice.name === 'tensorflow-gpu' ? 'tensorflow' : choice.name);
  const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])));
  assert.deepEqual(Array.from(y.dataSync()), [11]);
  y.dispose();
});

test('a forced backend is used and named as forced; a bad env value is rejected', async () => {
  const cpu = await initBackend({ prefer: 'cpu' });
  assert.equal(cpu.name, 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.match(cpu.reason, /forced by option/);
  process.env.AFFECT_RELEARN_BACKEND = 'tpu';
  await assert.rejects(initBackend(), /AFFECT_RELEARN_BACKEND=tpu/);
  process.env.AFFECT_RELEARN_BACKEND = 'wasm';
  const w = await initBackend();
  assert.equal(w.name, 'wasm');
  assert.match(w.reason, /forced by AFFECT_RELEARN_BACKEND/);
  delete process.env.AFFECT_RELEARN_BACKEND;
});
