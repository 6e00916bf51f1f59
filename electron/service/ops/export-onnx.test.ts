// `export model --format onnx`: a model trained on a small demo project is written as an ONNX
// inference graph, read back by onnxruntime-node's public InferenceSession API (not the
// engine's own runtime wrapper), and must reproduce the probabilities the app stored for the
// test faces; the metadata travels in the file and beside it.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { demoImportItems } from '../../../core/datasets/demo/index.ts';
import { openProject } from '../../../db/connection.ts';
import { writeImport } from '../../../db/import-store.ts';
import { listModels } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { createRun } from '../../../db/run-store.ts';
import { loadPixelsByIds } from '../../../db/training-matrix.ts';
import { runExport } from './export.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

type Ort = typeof import('onnxruntime-node');
const ort = createRequire(import.meta.url)('onnxruntime-node') as Ort;

let dir = '';
let project = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-onnx-'));
  project = join(dir, 'demo.arproj');
  const db = openProject(project, { create: true, name: 'small demo' });
  try {
    const rep = await writeImport(db, { kind: 'demo', path: '(built-in demo)', options: {} }, demoImportItems({ counts: { train: 240, valid: 40, test: 40 } }), { annotatorKind: () => 'simulated' });
    assert.equal(rep.status, 'done');
  } finally {
    db.close();
  }
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function trainExportCompare(kind: 'dbn' | 'cnn', options: Record<string, unknown>): Promise<number> {
  const db = openProject(project);
  try {
    const runId = createRun(db, { kind: 'train', modelKind: kind, config: runConfig(kind, options) as unknown as Record<string, unknown> });
    const r = await runTrainingJob(project, runId, {});
    assert.equal(r.status, 'done', r.error ?? '');
    const model = listModels(db).find((m) => m.runId === runId)!;
    const out = join(dir, `onnx-${kind}`);
    const ex = await runExport(db, 'model', out, model.id, 'onnx');
    assert.deepEqual(ex.files.map((f) => f.slice(out.length + 1)), ['model.onnx', 'metadata.json']);
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    assert.equal(meta.format, 'onnx');
    assert.equal(meta.classes.length, 8);
    const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
    assert.deepEqual(session.inputNames, ['pixels']);
    assert.deepEqual(session.outputNames, ['probabilities']);
    const stored = readPredictions(db, model.id, 'test');
    const pick = Array.from(stored.ids.subarray(0, 8));
    const x = loadPixelsByIds(db, pick);
    const { height, width } = model.inputSize;
    const dims = kind === 'cnn' ? [pick.length, 1, height, width] : [pick.length, height * width];
    const res = await session.run({ pixels: new ort.Tensor('float32', x, dims) });
    const probs = res.probabilities.data as Float32Array;
    let worst = 0;
    let spread = 0;
    for (let c = 0; c < 8; c++) {
      const col = pick.map((_, i) => stored.probs[i * 8 + c]);
      spread = Math.max(spread, Math.max(...col) - Math.min(...col));
      pick.forEach((_, i) => (worst = Math.max(worst, Math.abs(probs[i * 8 + c] - stored.probs[i * 8 + c]))));
    }
    assert.ok(spread > 1e-3, `the stored probabilities differ between faces (spread ${spread}), so agreement means something`);
    await session.release();
    return worst;
  } finally {
    db.close();
  }
}

test('an ONNX-exported DBN reproduces the stored probabilities in onnxruntime', async (t) => {
  const worst = await trainExportCompare('dbn', { hiddenUnits: [24], pretrainEpochs: 1, epochs: 2, seed: 3 });
  t.diagnostic(`largest |p_onnx - p_stored| = ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});

test('an ONNX-exported CNN reproduces the stored probabilities in onnxruntime', async (t) => {
  const worst = await trainExportCompare('cnn', { epochs: 1, batchSize: 32, seed: 3 });
  t.diagnostic(`largest |p_onnx - p_stored| = ${worst.toExponential(2)}`);
  assert.ok(worst < 1e-5, `largest difference ${worst}`);
});
