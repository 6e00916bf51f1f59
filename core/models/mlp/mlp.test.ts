import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../backend/init-backend.ts';
import { Rng } from '../../util/rng.ts';
import { DEFAULT_MLP_OPTIONS, Mlp, scoreProbabilities } from './mlp.ts';

function randomLayer(inputs: number, outputs: number, rng: Rng) {
  const w = Float32Array.from({ length: inputs * outputs }, () => 0.5 * rng.normal());
  const b = Float32Array.from({ length: outputs }, () => 0.1 * rng.normal());
  return { inputs, outputs, w, b };
}

test('hand-written backward pass matches finite differences (soft targets, row weights)', async () => {
  await initBackend();
  const rng = new Rng(5);
  const mlp = Mlp.fromPretrained([randomLayer(4, 3, rng), randomLayer(3, 3, rng)], 4, 2, { ...DEFAULT_MLP_OPTIONS, initWeightStd: 0.5 }, rng);
  const x = { data: Float32Array.from({ length: 12 }, () => rng.next()), rows: 3, cols: 4 };
  const t = Float32Array.from([0.7, 0.3, 0, 1, 0.5, 0.5]);
  const rw = Float32Array.from([1, 2, 0.5]);
  const { grads } = mlp.lossAndGradients(x, t, rw);
  const h = 1e-2;
  for (const [layer, which, k] of [[0, 'w', 5], [0, 'b', 1], [1, 'w', 7], [2, 'w', 3], [2, 'b', 0]] as const) {
    const arr = mlp.layers[layer][which];
    const saved = arr[k];
    arr[k] = saved + h;
    const up = mlp.lossAndGradients(x, t, rw).loss;
    arr[k] = saved - h;
    const down = mlp.lossAndGradients(x, t, rw).loss;
    arr[k] = saved;
    const numeric = (up - down) / (2 * h);
    const analytic = grads[2 * layer + (which === 'w' ? 0 : 1)][k];
    assert.ok(Math.abs(numeric - analytic) < 2e-3 + 0.02 * Math.abs(numeric), `layer ${layer} ${which}[${k}]: ${analytic} vs ${numeric}`);
  }
});

test('Adam training separates two Gaussian classes, without leaking tensors', async () => {
  await initBackend();
  const rng = new Rng(11);
  const n = 400;
  const x = new Float32Array(n * 10);
  const y = new Int32Array(n);
  const targets = new Float32Array(n * 2);
  for (let r = 0; r < n; r++) {
    y[r] = r % 2;
    targets[r * 2 + y[r]] = 1;
    for (let i = 0; i < 10; i++) x[r * 10 + i] = 0.5 + (y[r] ? 0.15 : -0.15) * (i < 5 ? 1 : -1) + 0.2 * rng.normal();
  }
  const data = { data: x, rows: n, cols: 10 };
  const before = tf.memory().numTensors;
  const mlp = Mlp.fromPretrained([randomLayer(10, 8, rng)], 10, 2, { ...DEFAULT_MLP_OPTIONS, learningRate: 0.01, batchSize: 32 }, rng);
  const first = scoreProbabilities(mlp.predict(data), y, 2);
  for (let e = 0; e < 15; e++) mlp.trainEpoch(data, targets, null, rng);
  const last = scoreProbabilities(mlp.predict(data), y, 2);
  assert.equal(tf.memory().numTensors, before);
  assert.ok(last.accuracy > 0.9, `accuracy ${first.accuracy} -> ${last.accuracy}`);
  assert.ok(last.loss < first.loss);
});
