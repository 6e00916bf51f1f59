import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../backend/init-backend.ts';
import { Rng } from '../../util/rng.ts';
import { DEFAULT_RBM_OPTIONS, Rbm } from './rbm.ts';

/** Binary patterns: each row is one of 4 prototypes (16 pixels) with 5% of pixels flipped. */
function patterns(n: number, rng: Rng) {
  const protos = [0x00ff, 0xff00, 0x0f0f, 0xf0f0];
  const data = new Float32Array(n * 16);
  for (let r = 0; r < n; r++) {
    const p = protos[rng.int(4)];
    for (let i = 0; i < 16; i++) {
      let bit = (p >> i) & 1;
      if (rng.next() < 0.05) bit = 1 - bit;
      data[r * 16 + i] = bit;
    }
  }
  return { data, rows: n, cols: 16 };
}

test('CD-1 lowers the reconstruction error and the free energy of the data, without leaking tensors', async () => {
  await initBackend();
  const rng = new Rng(7);
  const x = patterns(512, rng);
  const before = tf.memory().numTensors;
  const rbm = Rbm.create(16, 8, { ...DEFAULT_RBM_OPTIONS, batchSize: 32, learningRate: 0.1 }, rng);
  const first = rbm.trainEpoch(x, rng);
  let last = first;
  for (let e = 0; e < 14; e++) last = rbm.trainEpoch(x, rng);
  assert.equal(tf.memory().numTensors, before);
  assert.ok(last.reconError < 0.6 * first.reconError, `recon ${first.reconError} -> ${last.reconError}`);
  assert.ok(last.freeEnergy < first.freeEnergy, `free energy ${first.freeEnergy} -> ${last.freeEnergy}`);
  assert.equal(last.wdC.length, 8);
  assert.ok(last.wdW.every((v) => v > 0 && Number.isFinite(v)));
  assert.ok(last.meanActivation.every((v) => v > 0 && v < 1));
  const ph = rbm.hiddenProbabilities(x);
  assert.equal(ph.length, 512 * 8);
  assert.equal(tf.memory().numTensors, before);
});

test('the hand-laid CD-1 step matches a plain formula on a tiny case', async () => {
  await initBackend();
  const rng = new Rng(3);
  const rbm = Rbm.create(3, 2, { ...DEFAULT_RBM_OPTIONS, batchSize: 2, weightDecay: 0, momentumStart: 0 }, rng);
  const w0 = rbm.params.w.slice();
  const x = { data: Float32Array.from([1, 0, 1, 0, 1, 1]), rows: 2, cols: 3 };
  // Replay the same random stream by hand: shuffle, then uniforms for sampling h0 (row-major, like ph0).
  const replay = new Rng(99);
  const order = replay.shuffle(Int32Array.from([0, 1])) as Int32Array;
  const u = [replay.next(), replay.next(), replay.next(), replay.next()];
  rbm.trainEpoch(x, new Rng(99));
  const sig = (z: number) => 1 / (1 + Math.exp(-z));
  const g = new Float64Array(6);
  for (let r = 0; r < 2; r++) {
    const v = [0, 1, 2].map((i) => x.data[order[r] * 3 + i]);
    const ph0 = [0, 1].map((j) => sig(v[0] * w0[j] + v[1] * w0[2 + j] + v[2] * w0[4 + j]));
    const h0 = ph0.map((p, j) => (u[r * 2 + j] < p ? 1 : 0));
    const pv1 = [0, 1, 2].map((i) => sig(w0[i * 2] * h0[0] + w0[i * 2 + 1] * h0[1]));
    const ph1 = [0, 1].map((j) => sig(pv1[0] * w0[j] + pv1[1] * w0[2 + j] + pv1[2] * w0[4 + j]));
    for (let i = 0; i < 3; i++) for (let j = 0; j < 2; j++) g[i * 2 + j] += v[i] * ph0[j] - pv1[i] * ph1[j];
  }
  for (let k = 0; k < 6; k++) {
    const expected = w0[k] + (0.05 / 2) * g[k];
    assert.ok(Math.abs(rbm.params.w[k] - expected) < 1e-6, `w[${k}] ${rbm.params.w[k]} vs ${expected}`);
  }
});
