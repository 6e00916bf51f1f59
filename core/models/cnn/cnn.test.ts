/**
 * The CNN trainer on the engine's default runtime (ONNX Runtime where it loads): learning a
 * planted 8-class shape task well above chance, bit-identical resume from a snapshot, and
 * early stopping with the best weights restored. The step graph's gradients are checked in
 * cnn-graphs.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TrainingData } from '../../train/types.ts';
import { decodeSnapshot, encodeSnapshot } from '../../train/snapshot-file.ts';
import { createCnnTrainer, restoreCnnTrainer } from './cnn-trainer.ts';
import { plantedShapes } from './planted-shapes.ts';

function dataset(nTrain: number, nValid: number, size: number, seed: number): TrainingData {
  const tr = plantedShapes(nTrain, size, seed);
  const va = plantedShapes(nValid, size, seed + 1);
  return {
    x: { data: tr.x, rows: nTrain, cols: size * size }, y: tr.y, soft: null,
    valid: { x: { data: va.x, rows: nValid, cols: size * size }, y: va.y }, height: size, width: size,
  };
}

test('learns planted shapes: loss halves and validation accuracy > 0.9 (chance 0.125) after 2 epochs', async () => {
  const data = dataset(256, 160, 24, 21);
  // 16 Adam steps in all: the default 100-step warm-up would keep them at a fraction of the rate.
  const trainer = createCnnTrainer({ batchSize: 32, maxShift: 1, horizontalFlip: false, maxEpochs: 2, warmupSteps: 0 }, data, 7);
  const reports = [];
  let batchesSeen = 0;
  while (!trainer.done) reports.push(await trainer.step(() => batchesSeen++));
  assert.equal(reports.length, 2);
  assert.equal(batchesSeen, 2 * 8);
  assert.ok(reports[1].metrics.loss < reports[0].metrics.loss * 0.5, `loss ${reports.map((r) => r.metrics.loss.toFixed(3)).join(' -> ')}`);
  assert.ok(reports[1].metrics.valid_accuracy > 0.9, `valid accuracy ${reports[1].metrics.valid_accuracy}`);
  const p = trainer.predict(data.valid!.x);
  assert.equal(p.length, 160 * 8);
  for (let i = 0; i < 160; i++) {
    const s = p.subarray(i * 8, i * 8 + 8).reduce((a, b) => a + b, 0);
    assert.ok(Math.abs(s - 1) < 1e-4, `row ${i} sums to ${s}`);
  }
  trainer.dispose();
});

test('snapshot -> file encoding -> restore -> continue equals uninterrupted training bit for bit', async () => {
  const data = dataset(96, 32, 16, 3);
  data.soft = new Float32Array(96 * 8).fill(NaN);
  for (let i = 0; i < 48; i++) for (let c = 0; c < 8; c++) data.soft[i * 8 + c] = c === data.y[i] ? 0.7 : 0.3 / 7;
  const cfg = { batchSize: 32, filters: [4, 8, 8] as [number, number, number], denseUnits: 16, maxEpochs: 5, classWeights: 'balanced' as const };
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
