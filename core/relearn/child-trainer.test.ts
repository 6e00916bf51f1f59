import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../backend/init-backend.ts';
import { createCnnTrainer, registerCnnTrainerKind } from '../models/cnn/index.ts';
import { createDbnTrainer } from '../models/dbn/dbn-factory.ts';
import { plantedTrainingData } from '../models/dbn/planted-data.ts';
import type { ModelTrainer, TrainingData } from '../train/types.ts';
import { createChildTrainer, startChild } from './child-trainer.ts';

const data = plantedTrainingData(600, 160, 12, 2);
const A = 5;
const B = 6;

/** The child's task: faces of class A labelled B (a planted confusion) plus replay of B. */
function childData(d: TrainingData): TrainingData {
  const rows: number[] = [];
  d.y.forEach((y, i) => (y === A || y === B) && rows.push(i));
  const cols = d.x.cols;
  const x = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => x.set(d.x.data.subarray(r * cols, (r + 1) * cols), i * cols));
  return { ...d, x: { data: x, rows: rows.length, cols }, y: Int32Array.from(rows, () => B), soft: null, valid: null };
}

function shareOf(t: ModelTrainer, cls: number): number {
  const rows: number[] = [];
  data.valid!.y.forEach((y, i) => y === A && rows.push(i));
  const cols = data.x.cols;
  const x = new Float32Array(rows.length * cols);
  rows.forEach((r, i) => x.set(data.valid!.x.data.subarray(r * cols, (r + 1) * cols), i * cols));
  const p = t.predict({ data: x, rows: rows.length, cols });
  let n = 0;
  for (let i = 0; i < rows.length; i++) {
    let best = 0;
    for (let c = 1; c < 8; c++) if (p[i * 8 + c] > p[i * 8 + best]) best = c;
    if (best === cls) n++;
  }
  return n / rows.length;
}

async function checkChild(parent: ModelTrainer, epochs: number): Promise<void> {
  const snap = parent.snapshot();
  const frozen = structuredClone(snap);
  const before = tf.memory().numTensors;
  const child = createChildTrainer(snap, childData(data), { epochs, learningRateScale: 1, patience: epochs, generationEpochs: 0 });
  assert.equal(child.done, false, 'a child starts a fresh fine-tuning');
  assert.deepEqual(child.predict(data.valid!.x), parent.predict(data.valid!.x), 'the child starts as an exact copy of the parent');
  const parentShare = shareOf(parent, B);
  let steps = 0;
  while (!child.done) {
    await child.step();
    steps++;
  }
  assert.ok(steps <= epochs, `${steps} epochs, budget ${epochs}`);
  assert.deepEqual(snap, frozen, "the parent's snapshot is not modified");
  const childShare = shareOf(child, B);
  assert.ok(childShare > parentShare + 0.3, `class-${A} faces called ${B}: parent ${parentShare}, child ${childShare}`);
  child.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
}

test('an Adaptive DBN child copies its parent, then re-learns the planted confusion', async () => {
  await initBackend();
  const parent = createDbnTrainer('adbn', { initialUnits: 16, maxEpochsPerLayer: 4, fineTuneEpochs: 10, rules: { maxLayers: 1 } }, data, 3);
  while (!parent.done) await parent.step();
  assert.equal(createChildTrainer(parent.snapshot(), childData(data)).kind, 'adbn');
  await checkChild(parent, 8);
  assert.deepEqual((createChildTrainer(parent.snapshot(), data, { generationEpochs: 0 }) as unknown as { units: number[] }).units, (parent as unknown as { units: number[] }).units, 'same structure');
});

test('a CNN child copies its parent, then re-learns the planted confusion', async () => {
  await initBackend();
  registerCnnTrainerKind();
  const parent = createCnnTrainer({ batchSize: 32, filters: [4, 8, 8], denseUnits: 16, maxEpochs: 3, patience: 3, maxShift: 0 }, data, 5);
  while (!parent.done) await parent.step();
  await checkChild(parent, 4);
  parent.dispose();
});

test('a parent that never finished fine-tuning cannot have children', async () => {
  const t = createDbnTrainer('adbn', { initialUnits: 8, maxEpochsPerLayer: 2, fineTuneEpochs: 1, rules: { maxLayers: 1 } }, data, 1);
  await t.step();
  assert.throws(() => createChildTrainer(t.snapshot(), data), /has not finished fine-tuning/);
});

test('an Adaptive DBN child grows its top hidden layer on its own faces and still answers like its parent', async () => {
  await initBackend();
  const parent = createDbnTrainer('adbn', { initialUnits: 16, maxEpochsPerLayer: 4, fineTuneEpochs: 10, rules: { maxLayers: 1 } }, data, 3);
  while (!parent.done) await parent.step();
  const parentUnits = (parent as unknown as { units: number[] }).units;
  const before = tf.memory().numTensors;
  const { trainer, generation } = startChild(parent.snapshot(), childData(data), { generationEpochs: 3, seed: 4, epochs: 8, learningRateScale: 1, patience: 8 });
  assert.ok(generation, 'generation ran');
  assert.equal(generation.unitsBefore, parentUnits[0]);
  assert.ok(generation.unitsAfter > generation.unitsBefore, `units ${generation.unitsBefore} -> ${generation.unitsAfter}`);
  assert.deepEqual((trainer as unknown as { units: number[] }).units, [generation.unitsAfter]);
  assert.equal(generation.events.reduce((a, e) => a + e.unitsAfter - e.unitsBefore, 0), generation.unitsAfter - generation.unitsBefore);
  // Twins share the outgoing weights, so the grown network's answers barely move.
  const p = parent.predict(data.valid!.x);
  const q = trainer.predict(data.valid!.x);
  let maxDiff = 0;
  for (let i = 0; i < p.length; i++) maxDiff = Math.max(maxDiff, Math.abs(p[i] - q[i]));
  assert.ok(maxDiff < 0.05, `max probability change ${maxDiff}`);
  while (!trainer.done) await trainer.step();
  assert.ok(shareOf(trainer, B) > shareOf(parent, B) + 0.3, 'the grown child still re-learns');
  trainer.dispose();
  assert.equal(tf.memory().numTensors, before, 'no tensor leak');
  // Same seed, same growth.
  assert.equal(startChild(parent.snapshot(), childData(data), { generationEpochs: 3, seed: 4 }).generation!.unitsAfter, generation.unitsAfter);
});
