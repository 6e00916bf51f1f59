import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../backend/init-backend.ts';
import { dense, growChildTopLayer, topLayerAsRbm } from './child-generation.ts';
import { createDbnTrainer } from './dbn-factory.ts';
import { plantedTrainingData } from './planted-data.ts';
import { standardiseInput } from './standardise.ts';

const data = plantedTrainingData(400, 80, 10, 5);

test("the top layer in RBM terms computes the network's own first-layer activations", async () => {
  await initBackend();
  const t = createDbnTrainer('adbn', { initialUnits: 12, maxEpochsPerLayer: 3, fineTuneEpochs: 3, rules: { maxLayers: 1 } }, data, 2);
  while (!t.done) await t.step();
  const snap = t.snapshot();
  assert.ok(snap.tensors['input.mean'], 'this parent fine-tuned on standardised pixels');
  const { input, w, c, top } = topLayerAsRbm(snap, data.valid!.x);
  assert.equal(top, 0);
  assert.equal(input, data.valid!.x, 'a Bernoulli first layer is measured on raw pixels');
  const [inputs, hidden] = (snap.meta.mlpShape as [number, number][])[0];
  const rbmTerms = dense(input, w, c, hidden);
  const netTerms = dense(standardiseInput(data.valid!.x, { mean: snap.tensors['input.mean'].data, std: snap.tensors['input.std'].data }), snap.tensors['mlp0.w'].data, snap.tensors['mlp0.b'].data, hidden);
  assert.equal(inputs, data.x.cols);
  let max = 0;
  for (let i = 0; i < rbmTerms.data.length; i++) max = Math.max(max, Math.abs(rbmTerms.data[i] - netTerms.data[i]));
  assert.ok(max < 1e-4, `max activation difference ${max}`);
});

test('growth refuses other kinds and keeps every shape consistent', async () => {
  await initBackend();
  const t = createDbnTrainer('adbn', { initialUnits: 12, maxEpochsPerLayer: 3, fineTuneEpochs: 3, rules: { maxLayers: 1 } }, data, 2);
  while (!t.done) await t.step();
  const snap = t.snapshot();
  assert.throws(() => growChildTopLayer({ ...snap, kind: 'dbn' }, data.x, { epochs: 1, seed: 1 }), /only an Adaptive DBN/);
  const g = growChildTopLayer(snap, data.x, { epochs: 3, seed: 1 });
  const J = g.unitsAfter;
  const s = g.snapshot.tensors;
  assert.deepEqual(s['mlp0.w'].shape, [data.x.cols, J]);
  assert.equal(s['mlp0.w'].data.length, data.x.cols * J);
  assert.equal(s['mlp0.b'].data.length, J);
  assert.equal(s['mlp1.w'].data.length, J * 8);
  assert.equal(s['rbm0.w'].data.length, data.x.cols * J);
  assert.deepEqual(g.snapshot.meta.units, [J]);
  assert.deepEqual(snap.meta.units, [g.unitsBefore], 'the input snapshot is not modified');
});

test("a Gaussian first layer is measured at its own learning rate, a Bernoulli one at the RBM's", async () => {
  await initBackend();
  const base = { initialUnits: 12, maxEpochsPerLayer: 2, fineTuneEpochs: 2, rules: { maxLayers: 1 }, rbm: { learningRate: 0.05 } };
  const gaussian = createDbnTrainer('adbn', { ...base, gaussianFirstLayer: true, gaussianLearningRate: 0.005 }, data, 3);
  while (!gaussian.done) await gaussian.step();
  const g = growChildTopLayer(gaussian.snapshot(), data.x, { epochs: 1, seed: 1 });
  assert.equal(g.rbmOptions.visibleType, 'gaussian');
  assert.equal(g.rbmOptions.learningRate, 0.005, 'the layer was pre-trained at gaussianLearningRate; its walking distance must be measured at that rate');
  const bernoulli = createDbnTrainer('adbn', base, data, 3);
  while (!bernoulli.done) await bernoulli.step();
  const b = growChildTopLayer(bernoulli.snapshot(), data.x, { epochs: 1, seed: 1 });
  assert.equal(b.rbmOptions.visibleType, 'bernoulli');
  assert.equal(b.rbmOptions.learningRate, 0.05);
});
