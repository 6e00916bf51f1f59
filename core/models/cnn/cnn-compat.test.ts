/**
 * Old projects' CNN models still load and predict: a checkpoint written by the tfjs
 * implementation (fixtures/old-snapshot.json, HWIO filters and NHWC-ordered dense rows) is
 * restored by the engine trainer, which predicts what the old code predicted, writes the same
 * tensors back, and exports an ONNX model that ONNX Runtime itself loads and runs to the same
 * probabilities.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadOrt, OrtRuntime } from '../../runtime/ort-runtime.ts';
import { decodeSnapshot } from '../../train/snapshot-file.ts';
import type { TrainingData } from '../../train/types.ts';
import { exportCnnOnnx } from './cnn-export.ts';
import { restoreCnnTrainer } from './cnn-trainer.ts';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/old-snapshot.json', import.meta.url), 'utf8')) as {
  snapshotBase64: string; inputsTimes32: number[]; probabilities: number[];
};
const SIZE = 16;
const ROWS = 6;
const snapshot = decodeSnapshot(Buffer.from(fixture.snapshotBase64, 'base64'), 'fixtures/old-snapshot.json');
const inputs = Float32Array.from(fixture.inputsTimes32, (v) => v / 32);
const oldProbs = Float32Array.from(fixture.probabilities);
const data: TrainingData = { x: { data: inputs, rows: ROWS, cols: SIZE * SIZE }, y: new Int32Array(ROWS), soft: null, valid: null, height: SIZE, width: SIZE };

function worstDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

test('the fixture is a discriminating case: the old code predicted different distributions for different faces', () => {
  const spread = Math.max(...oldProbs) - Math.min(...oldProbs);
  assert.ok(spread > 0.15, `probabilities span only ${spread}`);
});

test('a checkpoint of the tfjs implementation predicts the same probabilities (within 2e-6) on the engine', () => {
  const trainer = restoreCnnTrainer(snapshot, data);
  const p = trainer.predict(data.x);
  const worst = worstDiff(p, oldProbs);
  assert.ok(worst < 2e-6, `largest difference ${worst}`);
  trainer.dispose();
});

test('the restored trainer writes back the very tensors it read (checkpoint layout round trip)', () => {
  const trainer = restoreCnnTrainer(snapshot, data);
  const again = trainer.snapshot();
  for (const [k, t] of Object.entries(snapshot.tensors)) {
    assert.deepEqual(again.tensors[k].shape, t.shape, k);
    assert.deepEqual(again.tensors[k].data, t.data, k);
  }
  trainer.dispose();
});

test('exportCnnOnnx: ONNX Runtime loads the bytes and reproduces the stored probabilities', () => {
  const bytes = exportCnnOnnx(snapshot);
  const ort = loadOrt();
  ort.initOrt();
  const session = new ort.binding.InferenceSession();
  session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, new OrtRuntime(1).sessionOptions());
  const out = session.run({ pixels: new ort.Tensor('float32', inputs, [ROWS, 1, SIZE, SIZE]) }, { probabilities: null }, {});
  assert.deepEqual([...out.probabilities.dims], [ROWS, 8]);
  const worst = worstDiff(out.probabilities.data, oldProbs);
  assert.ok(worst < 2e-6, `largest difference ${worst}`);
  session.dispose();
  // The metadata names what goes in and what comes out.
  const text = Buffer.from(bytes).toString('latin1');
  for (const key of ['classes', 'input_size', 'preprocessing', '"neutral"', 'pixel / 255']) assert.ok(text.includes(key), `metadata lacks ${key}`);
});
