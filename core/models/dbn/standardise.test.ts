import assert from 'node:assert/strict';
import { test } from 'node:test';
import { initBackend } from '../../backend/init-backend.ts';
import { toFloat32 } from '../../train/matrix-rows.ts';
import { Rng } from '../../util/rng.ts';
import { scoreProbabilities } from '../mlp/mlp.ts';
import { createDbnTrainer } from './dbn-factory.ts';
import { plantedTrainingData } from './planted-data.ts';
import { fitStandardiser, reexpressOnStandardised, standardiseInput } from './standardise.ts';

test('a layer re-expressed on standardised inputs computes the same pre-activations', () => {
  const rng = new Rng(4);
  const I = 7, J = 3, n = 5;
  const x = { data: Float32Array.from({ length: n * I }, () => rng.next() * (rng.next() < 0.2 ? 0 : 1)), rows: n, cols: I };
  // Column 0 constant: its std is clamped and the map must still be exact.
  for (let r = 0; r < n; r++) x.data[r * I] = 0.3;
  const layer = { inputs: I, outputs: J, w: Float32Array.from({ length: I * J }, () => rng.normal()), b: Float32Array.from({ length: J }, () => rng.normal()) };
  const st = fitStandardiser(x);
  // The standardised view, read row by row as trainers read it.
  const u = toFloat32(standardiseInput(x, st));
  const re = reexpressOnStandardised(layer, st);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < J; j++) {
      let a = layer.b[j], b = re.b[j];
      for (let i = 0; i < I; i++) {
        a += x.data[r * I + i] * layer.w[i * J + j];
        b += u[r * I + i] * re.w[i * J + j];
      }
      assert.ok(Math.abs(a - b) < 1e-4, `row ${r} unit ${j}: ${a} vs ${b}`);
    }
  }
});

test('fine-tuning on standardised inputs keeps the scaling in the snapshot and learns faster than on raw pixels', async () => {
  await initBackend();
  const data = plantedTrainingData(600, 200, 12, 3);
  const run = async (fineTuneInput: 'standardised' | 'pixels') => {
    const t = createDbnTrainer('dbn', { hiddenUnits: [32], maxEpochsPerLayer: 3, fineTuneEpochs: 3, fineTuneInput }, data, 2);
    while (!t.done) await t.step();
    return { acc: scoreProbabilities(t.predict(data.valid!.x), data.valid!.y, 8).accuracy, snap: t.snapshot() };
  };
  const std = await run('standardised');
  const raw = await run('pixels');
  assert.equal(std.snap.tensors['input.mean'].data.length, 144);
  assert.equal(raw.snap.tensors['input.mean'], undefined);
  assert.ok(std.acc > raw.acc + 0.05, `standardised ${std.acc} vs pixels ${raw.acc}`);
});
