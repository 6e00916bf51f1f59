import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/init-backend.ts';
import { plantedTrainingData } from '../models/dbn/planted-data.ts';
import { createTrainer, restoreTrainer } from './create-trainer.ts';
import { runTraining } from './run-training.ts';
import { loadSnapshot, saveSnapshot } from './snapshot-file.ts';
import type { EpochReport, ModelSnapshot } from './types.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-train-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const data = plantedTrainingData(300, 80, 10, 2);
// Two layers (forced layer generation), 2 epochs each, then 4 fine-tuning epochs: 8 epochs.
const config = { initialUnits: 12, maxEpochsPerLayer: 2, fineTuneEpochs: 4, patience: 10, rules: { thetaL1: 0, thetaL2: -1e9, maxLayers: 2 } };

function strip(r: EpochReport) {
  return { epoch: r.epoch, phase: r.phase, metrics: r.metrics, units: r.units, events: r.events };
}

async function uninterrupted(): Promise<{ snap: ModelSnapshot; reports: EpochReport[] }> {
  const trainer = createTrainer('adbn', config, data, 9);
  const { status, reports } = await runTraining({ trainer });
  assert.equal(status, 'done');
  return { snap: trainer.snapshot(), reports };
}

for (const killAfter of [3, 6]) {
  test(`a run killed after epoch ${killAfter} and resumed from its checkpoint ends bit-identical`, async () => {
    await initBackend();
    const before = tf.memory().numTensors;
    const full = await uninterrupted();
    assert.equal(full.reports.length, 8);
    const file = join(dir, `ckpt-${killAfter}.snap`);
    const abort = new AbortController();
    const first = await runTraining({
      trainer: createTrainer('adbn', config, data, 9),
      checkpoint: (s) => saveSnapshot(file, s),
      onEpoch: (r) => {
        if (r.epoch === killAfter) abort.abort();
      },
      signal: abort.signal,
    });
    assert.equal(first.status, 'cancelled');
    assert.equal(first.reports.length, killAfter);
    const resumed = restoreTrainer(await loadSnapshot(file), data);
    const rest = await runTraining({ trainer: resumed });
    assert.equal(rest.status, 'done');
    const all = [...first.reports, ...rest.reports].map(strip);
    assert.deepEqual(all, full.reports.map(strip));
    const snap = resumed.snapshot();
    assert.deepEqual(Object.keys(snap.tensors).sort(), Object.keys(full.snap.tensors).sort());
    for (const [name, t] of Object.entries(full.snap.tensors)) {
      assert.deepEqual(snap.tensors[name].shape, t.shape, name);
      assert.ok(Buffer.from(snap.tensors[name].data.buffer).equals(Buffer.from(t.data.buffer)), `tensor ${name} differs`);
    }
    assert.deepEqual(snap.meta, full.snap.meta);
    assert.equal(tf.memory().numTensors, before);
  });
}

test('maxEpochs bounds one call, and a snapshot file round-trips and rejects truncation', async () => {
  await initBackend();
  const trainer = createTrainer('dbn', { hiddenUnits: [8], maxEpochsPerLayer: 1, fineTuneEpochs: 2 }, data, 1);
  const r = await runTraining({ trainer, maxEpochs: 2 });
  assert.equal(r.status, 'max-epochs');
  assert.equal(r.reports.length, 2);
  const snap = trainer.snapshot();
  const file = join(dir, 'a.snap');
  await saveSnapshot(file, snap);
  const back = await loadSnapshot(file);
  assert.equal(back.kind, 'dbn');
  assert.deepEqual(back.meta, JSON.parse(JSON.stringify(snap.meta)));
  assert.deepEqual(Array.from(back.tensors['mlp0.w'].data), Array.from(snap.tensors['mlp0.w'].data));
  const bytes = readFileSync(file);
  writeFileSync(join(dir, 'cut.snap'), bytes.subarray(0, bytes.length - 10));
  await assert.rejects(loadSnapshot(join(dir, 'cut.snap')), /cut\.snap: tensor .* runs past the end/);
  writeFileSync(join(dir, 'bad.snap'), 'hello');
  await assert.rejects(loadSnapshot(join(dir, 'bad.snap')), /bad\.snap: not an affect-relearn snapshot/);
});
