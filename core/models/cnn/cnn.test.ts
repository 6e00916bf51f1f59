/**
 * The CNN baseline on the wasm backend: the hand-written backward pass against finite
 * differences, learning a planted 8-class shape task well above chance, bit-identical resume
 * from a snapshot, and no tensor leaks.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../../backend/init-backend.ts';
import type { TrainingData } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';
import { resolveCnnConfig } from './cnn-config.ts';
import { forwardBackward, initParams, initRunningStats } from './cnn-net.ts';
import { decodeSnapshot, encodeSnapshot } from '../../train/snapshot-file.ts';
import { createCnnTrainer, restoreCnnTrainer } from './cnn-trainer.ts';
import { plantedShapes } from './planted-shapes.ts';

before(async () => {
  await initBackend({ prefer: 'wasm' });
  assert.equal(tf.getBackend(), 'wasm');
});

function dataset(nTrain: number, nValid: number, size: number, seed: number): TrainingData {
  const tr = plantedShapes(nTrain, size, seed);
  const va = plantedShapes(nValid, size, seed + 1);
  return {
    x: { data: tr.x, rows: nTrain, cols: size * size }, y: tr.y, soft: null,
    valid: { x: { data: va.x, rows: nValid, cols: size * size }, y: va.y }, height: size, width: size,
  };
}

test('backward pass matches central finite differences (eps 1e-3, tolerance 5% relative + 2e-3 absolute, 19 of 21 probes)', () => {
  const cfg = resolveCnnConfig({ filters: [3, 4, 4], denseUnits: 6 });
  const rng = new Rng(5);
  const params = initParams(cfg, 8, 8, rng);
  const running = initRunningStats(cfg);
  const b = 4;
  const xs = new Float32Array(b * 64).map(() => rng.next());
  const tg = new Float32Array(b * 8);
  const lb = new Int32Array([1, 3, 5, 7]);
  lb.forEach((c, i) => (tg[i * 8 + c] = 1));
  const lossAt = (p: typeof params): number => tf.tidy(() => {
    const r = forwardBackward(cfg, p, running, tf.tensor4d(xs, [b, 8, 8, 1]), tf.tensor2d(tg, [b, 8]), tf.ones([b]) as tf.Tensor1D, null, tf.tensor1d(lb, 'int32'));
    return r.lossSum.dataSync()[0] / b;
  });
  const grads = tf.tidy(() => {
    const r = forwardBackward(cfg, params, running, tf.tensor4d(xs, [b, 8, 8, 1]), tf.tensor2d(tg, [b, 8]), tf.ones([b]) as tf.Tensor1D, null, tf.tensor1d(lb, 'int32'));
    return Object.fromEntries(Object.entries(r.grads).map(([k, g]) => [k, g.dataSync().slice() as Float32Array]));
  });
  const eps = 1e-3;
  let checked = 0;
  const mismatches: string[] = [];
  for (const name of ['conv0/w', 'conv3/w', 'conv5/w', 'bn1/gamma', 'bn4/beta', 'dense0/w', 'dense1/b']) {
    const base = params[name].dataSync().slice() as Float32Array;
    for (const idx of [0, Math.floor(base.length / 2), base.length - 1]) {
      const probe = (delta: number): number => {
        const d = base.slice();
        d[idx] += delta;
        const p = { ...params, [name]: tf.tensor(d, params[name].shape) };
        const l = lossAt(p);
        p[name].dispose();
        return l;
      };
      const numeric = (probe(eps) - probe(-eps)) / (2 * eps);
      const analytic = grads[name][idx];
      if (!(Math.abs(numeric - analytic) <= 0.05 * Math.abs(numeric) + 2e-3)) mismatches.push(`${name}[${idx}]: analytic ${analytic} vs numeric ${numeric}`);
      checked++;
    }
  }
  assert.equal(checked, 21);
  // A probe may straddle a ReLU or max-pool switch (tiny net, batch of 4), where the loss has
  // a kink and the difference quotient is not the derivative; allow two such probes.
  assert.ok(mismatches.length <= 2, mismatches.join('; '));
  tf.dispose([Object.values(params), Object.values(running)]);
});

test('learns planted shapes: loss halves and validation accuracy > 0.9 (chance 0.125) after 2 epochs', async () => {
  const data = dataset(256, 160, 24, 21);
  // 16 Adam steps in all: the default 100-step warm-up would keep them at a fraction of the rate.
  const trainer = createCnnTrainer({ batchSize: 32, maxShift: 1, horizontalFlip: false, maxEpochs: 2, warmupSteps: 0 }, data, 7);
  const before = tf.memory().numTensors;
  const reports = [];
  let batchesSeen = 0;
  while (!trainer.done) reports.push(await trainer.step(() => batchesSeen++));
  assert.equal(reports.length, 2);
  assert.equal(batchesSeen, 2 * 8);
  assert.equal(tf.memory().numTensors, before, 'tensor leak across epochs');
  assert.ok(reports[1].metrics.loss < reports[0].metrics.loss * 0.5, `loss ${reports.map((r) => r.metrics.loss.toFixed(3)).join(' -> ')}`);
  assert.ok(reports[1].metrics.valid_accuracy > 0.9, `valid accuracy ${reports[1].metrics.valid_accuracy}`);
  const p = trainer.predict(data.valid!.x);
  assert.equal(p.length, 160 * 8);
  for (let i = 0; i < 160; i++) {
    const s = p.subarray(i * 8, i * 8 + 8).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s - 1) < 1e-4, `row ${i} sums to ${s}`);
  }
  assert.equal(tf.memory().numTensors, before, 'tensor leak in predict');
  trainer.dispose();
  assert.ok(tf.memory().numTensors < before, 'dispose frees the trainer tensors');
});

test('snapshot -> file encoding -> restore -> continue equals uninterrupted training bit for bit', async () => {
  const data = dataset(96, 32, 16, 3);
  data.soft = new Float32Array(96 * 8).fill(NaN);
  for (let i = 0; i < 48; i++) for (let c = 0; c < 8; c++) data.soft[i * 8 + c] = c === data.y[i] ? 0.7 : 0.3 / 7;
  const cfg = { batchSize: 32, filters: [4, 8, 8] as [number, number, number], denseUnits: 16, maxEpochs: 5, classWeights: 'balanced' as const };
  const start = tf.memory().numTensors;
  const a = createCnnTrainer(cfg, data, 99);
  await a.step();
  // Through the real checkpoint encoding (JSON meta turns Infinity into null, etc.).
  const snap = decodeSnapshot(encodeSnapshot(a.snapshot()));
  await a.step();
  await a.step();
  const b = restoreCnnTrainer(snap, data);
  await b.step();
  await b.step();
  const sa = a.snapshot(), sb = b.snapshot();
  assert.deepEqual(sb.meta, sa.meta);
  assert.deepEqual(Object.keys(sb.tensors).sort(), Object.keys(sa.tensors).sort());
  let differs = 0;
  for (const k of Object.keys(sa.tensors)) assert.deepEqual(sb.tensors[k].data, sa.tensors[k].data, k);
  // And training moved the weights at all (so the equality above is not vacuous).
  for (const k of Object.keys(snap.tensors)) if (k.startsWith('param/') && snap.tensors[k].data.some((v, i) => v !== sa.tensors[k].data[i])) differs++;
  assert.ok(differs > 10, `${differs} parameter tensors changed`);
  a.dispose();
  b.dispose();
  assert.equal(tf.memory().numTensors, start, 'tensor leak after dispose');
});

test('early stopping: stops when validation loss stops improving and restores the best weights', async () => {
  const data = dataset(128, 64, 16, 8);
  // Validation labels that contradict the training task: the better the fit, the worse the
  // validation loss, so it must stop well before maxEpochs.
  data.valid!.y = data.valid!.y.map((c) => (c + 3) % 8);
  const trainer = createCnnTrainer({ batchSize: 32, filters: [4, 8, 8], denseUnits: 16, maxEpochs: 12, patience: 2 }, data, 5);
  const reports = [];
  while (!trainer.done) reports.push(await trainer.step());
  assert.ok(reports.length < 12, `ran ${reports.length} epochs`);
  const losses = reports.map((r) => r.metrics.valid_loss);
  const bestAt = losses.indexOf(Math.min(...losses));
  assert.equal(reports.length, bestAt + 1 + 2, `valid losses ${losses.map((l) => l.toFixed(3)).join(' ')}`);
  const { loss } = trainer.evaluate(data.valid!.x, data.valid!.y);
  assert.ok(Math.abs(loss - losses[bestAt]) < 1e-9, `restored weights give ${loss}, best was ${losses[bestAt]}`);
  trainer.dispose();
});
