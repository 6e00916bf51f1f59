// The penultimate features the face map lays out: the output layer applied to them by hand
// (plain float64 softmax of features · W + b) must give the model's own predictions, for the
// CNN and the DBN, so the features are exactly the layer under the classifier.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { plantedShapes } from './cnn/planted-shapes.ts';
import { createCnnTrainer } from './cnn/cnn-trainer.ts';
import { createDbnTrainer } from './dbn/dbn-factory.ts';
import { plantedTrainingData } from './dbn/planted-data.ts';
import type { Matrix, ModelTrainer } from '../train/types.ts';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OrtRuntime } from '../runtime/ort-runtime.ts';
import type { Feed } from '../runtime/runtime.ts';
import { TfjsRuntime } from '../runtime/tfjs-runtime.ts';
import { Rng } from '../util/rng.ts';
import { resolveCnnConfig } from './cnn/cnn-config.ts';
import { cnnFeaturesGraph, featureWeightNames, inferenceWeightShape } from './cnn/cnn-graphs.ts';
import { mlpHiddenGraph } from './mlp/mlp-graphs.ts';

/** softmax(f · w + b) per row, in float64. */
function outputLayer(f: Matrix, w: Float32Array, b: Float32Array, classes: number): Float64Array {
  const out = new Float64Array(f.rows * classes);
  for (let r = 0; r < f.rows; r++) {
    const z = Array.from({ length: classes }, (_, k) => {
      let s = b[k];
      for (let i = 0; i < f.cols; i++) s += f.data[r * f.cols + i] * w[i * classes + k];
      return s;
    });
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((a, c) => a + c, 0);
    e.forEach((v, k) => (out[r * classes + k] = v / sum));
  }
  return out;
}

function assertMatches(trainer: ModelTrainer, x: Matrix, w: Float32Array, b: Float32Array, units: number): void {
  const f = trainer.features!(x);
  assert.equal(f.rows, x.rows);
  assert.equal(f.cols, units);
  assert.ok(f.data.some((v) => v !== f.data[0]), 'features are not constant');
  const want = trainer.predict(x);
  const got = outputLayer(f, w, b, 8);
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-4, `probability ${i}: ${got[i]} from the features vs ${want[i]} predicted`);
}

test('CNN: the hidden dense layer (after ReLU) through the output layer gives predict()', async () => {
  const size = 24;
  const tr = plantedShapes(96, size, 3);
  const data = { x: { data: tr.x, rows: 96, cols: size * size }, y: tr.y, soft: null, valid: null, height: size, width: size };
  const trainer = createCnnTrainer({ batchSize: 32, filters: [4, 8, 8], denseUnits: 16, maxEpochs: 1, warmupSteps: 0 }, data, 5);
  await trainer.step();
  const snap = trainer.snapshot();
  const w = snap.tensors['param/dense1/w'];
  assert.deepEqual(w.shape, [16, 8]);
  assertMatches(trainer, { data: tr.x.subarray(0, 20 * size * size), rows: 20, cols: size * size }, w.data, snap.tensors['param/dense1/b'].data, 16);
});

test('DBN: the top hidden layer through the softmax layer gives predict()', async () => {
  const data = plantedTrainingData(120, 40, 8, 4);
  const trainer = createDbnTrainer('dbn', { hiddenUnits: [24, 12], maxEpochsPerLayer: 1, fineTuneEpochs: 1 }, data, 2);
  while (!trainer.done) await trainer.step();
  const mlp = (trainer as unknown as { mlp: { layers: { w: Float32Array; b: Float32Array; outputs: number }[] } }).mlp;
  const last = mlp.layers[mlp.layers.length - 1];
  assertMatches(trainer, data.x, last.w, last.b, 12);
});

test('the features graphs give the same numbers on ONNX Runtime and on the tfjs interpreter', async () => {
  await tf.setBackend('cpu');
  const rng = new Rng(8);
  const r = (dims: number[], scale = 0.3) => ({ data: Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => scale * rng.normal()), dims });
  const cfg = resolveCnnConfig({ filters: [4, 8, 8], denseUnits: 16 });
  const cnnFeeds: Record<string, Feed> = { x: { data: Float32Array.from({ length: 3 * 24 * 24 }, () => rng.next()), dims: [3, 1, 24, 24] } };
  for (const name of featureWeightNames()) cnnFeeds[name] = r(inferenceWeightShape(cfg, 24, 24, name));
  const mlpFeeds: Record<string, Feed> = { x: r([5, 10], 1), w0: r([10, 7]), b0: r([7]), w1: r([7, 6]), b1: r([6]) };
  for (const [graph, feeds, out] of [[cnnFeaturesGraph(cfg, 24, 24), cnnFeeds, 'features'], [mlpHiddenGraph(3), mlpFeeds, 'hidden']] as const) {
    const a = new OrtRuntime(1).compile(graph).run(feeds)[out];
    const b = new TfjsRuntime('tfjs-cpu').compile(graph).run(feeds)[out];
    assert.deepEqual(a.dims, b.dims);
    assert.ok(a.data.some((v) => v > 0), `${out}: all zero`);
    for (let i = 0; i < a.data.length; i++) assert.ok(Math.abs(a.data[i] - b.data[i]) <= 1e-4 * (1 + Math.abs(b.data[i])), `${out}[${i}]: ${a.data[i]} vs ${b.data[i]}`);
  }
});
