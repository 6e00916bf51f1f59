/** channelSum on the wasm heap against tf.sum on the cpu backend (odd row count, 5 channels). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initBackend } from '../../backend/init-backend.ts';
import { Rng } from '../../util/rng.ts';
import { channelSum } from './channel-stats.ts';

test('channelSum (and the product form) equals tf.sum over n, h, w within 1e-5 relative', async () => {
  const rng = new Rng(4);
  const shape: [number, number, number, number] = [3, 7, 5, 5];
  const size = 3 * 7 * 5 * 5;
  const a = new Float32Array(size).map(() => rng.next() - 0.3), b = new Float32Array(size).map(() => rng.next());
  await tf.setBackend('cpu');
  const ref = [tf.sum(tf.tensor4d(a, shape), [0, 1, 2]).dataSync(), tf.sum(tf.mul(tf.tensor4d(a, shape), tf.tensor4d(b, shape)), [0, 1, 2]).dataSync()];
  await initBackend({ prefer: 'wasm' });
  assert.equal(tf.getBackend(), 'wasm');
  const before = tf.memory().numTensors;
  const got = tf.tidy(() => [channelSum(tf.tensor4d(a, shape)).dataSync(), channelSum(tf.tensor4d(a, shape), tf.tensor4d(b, shape)).dataSync()]);
  assert.equal(tf.memory().numTensors, before);
  for (let j = 0; j < 2; j++) {
    for (let k = 0; k < 5; k++) assert.ok(Math.abs(got[j][k] - ref[j][k]) <= 1e-5 * (1 + Math.abs(ref[j][k])), `${j}/${k}: ${got[j][k]} vs ${ref[j][k]}`);
  }
});
