import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../backend/init-backend.ts';
import { dense, growChildTopLayer, topLayerAsRbm } from './child-generation.ts';
import { createDbnTrainer, restoreDbnTrainer } from './dbn-factory.ts';
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

// Faces the parent never saw (its training faces with every pixel inverted) make the top
// layer's parameters keep walking under CD-1, so the walking-distance rule must split units
// (measured: 2 for seeds 1-3). Fewer faces than one minibatch (64) give a single update per
// epoch, whose spread is zero, so nothing may split.
test('neuron generation splits units on unfamiliar faces, twins share the outgoing weights, and the output barely moves', async () => {
  await initBackend();
  const t = createDbnTrainer('adbn', { initialUnits: 12, maxEpochsPerLayer: 3, fineTuneEpochs: 3, rules: { maxLayers: 1 } }, data, 2);
  while (!t.done) await t.step();
  const snap = t.snapshot();
  const inverted = { ...data.x, data: data.x.data.map((v) => 1 - v) };
  const g = growChildTopLayer(snap, inverted, { epochs: 3, seed: 1 });
  const hidden = g.unitsBefore;
  assert.equal(hidden, (snap.meta.units as number[])[0]);
  assert.ok(g.unitsAfter > hidden, `no unit split on unfamiliar faces (${hidden} -> ${g.unitsAfter})`);
  assert.ok(g.events.length >= 1 && g.events.every((e) => e.kind === 'generation' && e.layer === 0));
  assert.equal(g.events.reduce((a, e) => a + e.unitsAfter - e.unitsBefore, 0), g.unitsAfter - hidden, 'the events add up to the growth');
  // Each twin copies a unit's bias and incoming weights (plus small noise) and takes half of its
  // outgoing weights, the original keeping the other half.
  const p = snap.tensors;
  const c = g.snapshot.tensors;
  const J = g.unitsAfter;
  const inputs = data.x.cols;
  for (let k = hidden; k < J; k++) {
    let twin = -1;
    let best = Infinity;
    for (let j = 0; j < hidden; j++) {
      let d = 0;
      for (let i = 0; i < inputs; i++) d = Math.max(d, Math.abs(c['mlp0.w'].data[i * J + k] - p['mlp0.w'].data[i * hidden + j]));
      if (d < best) [best, twin] = [d, j];
    }
    assert.ok(best < 0.1, `new unit ${k} copies no parent unit (closest ${twin}, max weight difference ${best})`);
    assert.equal(c['mlp0.b'].data[k], p['mlp0.b'].data[twin]);
    for (let o = 0; o < 8; o++) {
      const half = p['mlp1.w'].data[twin * 8 + o] / 2;
      assert.ok(Math.abs(c['mlp1.w'].data[k * 8 + o] - half) < 1e-6 && Math.abs(c['mlp1.w'].data[twin * 8 + o] - half) < 1e-6, `unit ${twin} and its twin ${k} share output ${o}`);
    }
  }
  // The grown network (restored through the trainer, not these arrays) answers almost as the parent.
  const child = restoreDbnTrainer(g.snapshot, data);
  const before = t.predict(data.valid!.x);
  const after = child.predict(data.valid!.x);
  let maxDiff = 0;
  for (let i = 0; i < before.length; i++) maxDiff = Math.max(maxDiff, Math.abs(before[i] - after[i]));
  console.log(`child generation on inverted faces: ${hidden} -> ${J} units, largest valid probability change ${maxDiff.toFixed(4)}`);
  assert.ok(maxDiff < 0.01, `largest probability change ${maxDiff}`);
  child.dispose();
  t.dispose();

  const few = { data: data.x.data.slice(0, 50 * inputs), rows: 50, cols: inputs };
  const none = growChildTopLayer(snap, few, { epochs: 3, seed: 1 });
  assert.equal(none.unitsAfter, hidden, 'one minibatch per epoch has no walking distance to measure');
  assert.deepEqual(none.events, []);
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
