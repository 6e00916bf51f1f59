// Exports read back: the labels and audit CSVs parse and match the decisions recorded, the
// AffectNet lists go through our own AffectNet importer to the same faces, splits and current
// labels, and an exported DBN (tfjs layers-model) predicts what the stored model predicted.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { LABEL_CODE_NAMES, SPLITS } from '../../../api/domain.ts';
import { readAffectNet } from '../../../core/datasets/affectnet.ts';
import { readCsvFile } from '../../../core/datasets/csv-stream.ts';
import { collect, patchPixels, writeImage, writeText } from '../../../core/datasets/test-fixtures.ts';
import { demoImportItems } from '../../../core/datasets/demo/index.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { writeImport } from '../../../db/import-store.ts';
import { listModels } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { recordDecision, undoDecision } from '../../../db/relabel-store.ts';
import { createRun } from '../../../db/run-store.ts';
import { loadPixelsByIds } from '../../../db/training-matrix.ts';
import { AFFECTNET_HEADER, AUDIT_HEADER, LABELS_HEADER, exportModel, resolveInsideProject, runExport } from './export.ts';
import { importDataset } from './import.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-export-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function readCsv(path: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const r of readCsvFile(path)) {
    assert.equal(r.error ?? null, null, `${path}:${r.line}`);
    rows.push([...r.fields]);
  }
  return rows;
}

/** A tiny AffectNet: 12 training rows (some held out as valid by hash) and 4 validation rows. */
async function makeAffectNet(root: string): Promise<void> {
  const lists = join(root, 'Manually_Annotated_file_lists');
  const images = join(root, 'Manually_Annotated_Images');
  mkdirSync(lists, { recursive: true });
  const line = (i: number) => {
    const rel = `${100 + (i % 3)}/img${i}.png`;
    return `${rel},4,6,40,40,,${i % 8},${(i % 5) / 10},-2`;
  };
  for (let i = 0; i < 16; i++) {
    mkdirSync(join(images, `${100 + (i % 3)}`), { recursive: true });
    await writeImage(join(images, `${100 + (i % 3)}`, `img${i}.png`), 48, 52, patchPixels(48, 52, { x: 4 + (i % 5), y: 6, width: 20, height: 20, left: 40 + i * 10, right: 250 - i * 10, background: 200 }), 'png');
  }
  const header = AFFECTNET_HEADER.join(',');
  writeText(join(lists, 'training.csv'), [header, ...Array.from({ length: 12 }, (_, i) => line(i))].join('\n'));
  writeText(join(lists, 'validation.csv'), [header, ...Array.from({ length: 4 }, (_, i) => line(12 + i))].join('\n'));
}

test('labels, audit and AffectNet exports read back to the decisions and the current labels', async () => {
  const src = join(dir, 'affectnet');
  await makeAffectNet(src);
  const db = openProject(join(dir, 'an.arproj'), { create: true, name: 'an' });
  try {
    const rep = await importDataset(db, { kind: 'affectnet', path: src });
    assert.equal(rep.accepted, 16, JSON.stringify(rep.issues));
    const ids = db.stmt<[], number>('SELECT id FROM samples ORDER BY id', 'pluck').all();
    const d1 = recordDecision(db, { sampleId: ids[0], action: 'relabel', label: 5, reviewer: 'ann', note: 'looks "disgusted", not neutral' });
    recordDecision(db, { sampleId: ids[1], action: 'confirm', reviewer: 'bob' });
    const d3 = recordDecision(db, { sampleId: ids[2], action: 'relabel', label: 6, reviewer: 'ann' });
    undoDecision(db, { decisionId: d3.id, reviewer: 'ann' });
    recordDecision(db, { sampleId: ids[3], action: 'not_face', reviewer: 'bob' });

    const labels = await runExport(db, 'labels', join(dir, 'out', 'labels.csv'));
    const lrows = await readCsv(labels.files[0]);
    assert.deepEqual(lrows[0], [...LABELS_HEADER]);
    assert.equal(labels.rows, 16);
    assert.equal(lrows.length, 17);
    const byId = new Map(lrows.slice(1).map((r) => [Number(r[0]), r]));
    assert.equal(byId.get(ids[0])![5], 'disgust');
    assert.equal(byId.get(ids[0])![6], 'relabel');
    assert.equal(byId.get(ids[0])![7], 'ann');
    assert.equal(byId.get(ids[0])![8], d1.createdAt);
    assert.equal(byId.get(ids[1])![6], 'confirm');
    assert.equal(byId.get(ids[2])![5], byId.get(ids[2])![4], 'an undone relabel leaves the given label current');
    assert.equal(byId.get(ids[2])![6], '', 'an undone decision is no last decision');
    assert.equal(byId.get(ids[3])![5], 'not_face');

    const audit = await runExport(db, 'audit', join(dir, 'out', 'audit.csv'));
    const arows = await readCsv(audit.files[0]);
    assert.deepEqual(arows[0], [...AUDIT_HEADER]);
    const decisions = db.stmt<[], { id: number; action: string; sample_id: number; note: string | null }>('SELECT id, action, sample_id, note FROM relabels ORDER BY id').all();
    assert.equal(arows.length - 1, decisions.length);
    assert.deepEqual(arows.slice(1).map((r) => [Number(r[0]), r[3], Number(r[1]), r[9] || null]), decisions.map((d) => [d.id, d.action, d.sample_id, d.note]));
    assert.equal(arows.find((r) => Number(r[0]) === d3.id)![7], '1', 'the undone relabel is marked undone');

    const an = await runExport(db, 'affectnet', join(dir, 'out', 'affectnet'));
    assert.deepEqual(an.files.map((f) => f.split(/[\\/]/).pop()), ['training.csv', 'validation.csv']);
    const back = await collect(readAffectNet(join(dir, 'out', 'affectnet'), { imageRoot: join(src, 'Manually_Annotated_Images') }));
    assert.equal(back.issues.length, 0, JSON.stringify(back.issues));
    const current = new Map(
      db.stmt<[], [string, string, number | null]>('SELECT s.source_ref, s.split, l.current_label FROM samples s JOIN sample_labels l ON l.sample_id = s.id', 'raw').all().map(([r, s, l]) => [r, { s, l }]),
    );
    assert.equal(back.samples.length, 16);
    for (const s of back.samples) {
      const c = current.get(s.sourceRef);
      assert.ok(c, `${s.sourceRef} came back`);
      assert.equal(s.split, c.s, `${s.sourceRef} split`);
      assert.equal(s.givenLabel, c.l, `${s.sourceRef}: expression is the current label (${LABEL_CODE_NAMES[c.l ?? 0]})`);
    }
    assert.throws(() => resolveInsideProject(db, '../elsewhere.csv'), /not inside the project's folder/);
  } finally {
    db.close();
  }
});

let demoPath: string | null = null;

/** Trains a small model of `kind` on the demo project, exports it, and compares 6 test faces with the stored predictions. */
async function exportAndCompare(kind: 'dbn' | 'cnn', options: Record<string, unknown>): Promise<{ worst: number; classes: string[] }> {
  if (!demoPath) {
    // A small demo project (320 faces) keeps the training and the prediction of every face short.
    demoPath = join(dir, 'demo.arproj');
    const small = openProject(demoPath, { create: true, name: 'small demo' });
    try {
      const rep = await writeImport(small, { kind: 'demo', path: '(built-in demo)', options: {} }, demoImportItems({ counts: { train: 240, valid: 40, test: 40 } }), { annotatorKind: () => 'simulated' });
      assert.equal(rep.status, 'done');
    } finally {
      small.close();
    }
  }
  const db: ProjectDb = openProject(demoPath);
  try {
    const runId = createRun(db, { kind: 'train', modelKind: kind, config: runConfig(kind, options) as unknown as Record<string, unknown> });
    const r = await runTrainingJob(demoPath, runId, {});
    assert.equal(r.status, 'done', r.error ?? '');
    const model = listModels(db).find((m) => m.runId === runId)!;
    const out = join(dir, `model-export-${kind}`);
    const ex = await exportModel(db, model.id, out);
    assert.equal(ex.format, 'tfjs-layers-model');
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
    assert.equal(json.format, 'layers-model');
    const meta = JSON.parse(readFileSync(join(out, 'metadata.json'), 'utf8'));
    assert.deepEqual(meta.inputSize, model.inputSize);
    assert.equal(meta.kind, kind);
    const stored = readPredictions(db, model.id, 'test');
    const pick = Array.from(stored.ids.subarray(0, 6));
    const x = loadPixelsByIds(db, pick);
    const before = tf.memory().numTensors;
    const probs = predictLayersModel(out, x, pick.length);
    assert.equal(tf.memory().numTensors, before, 'no tensor leak');
    let worst = 0;
    pick.forEach((_, i) => {
      for (let c = 0; c < 8; c++) worst = Math.max(worst, Math.abs(probs[i * 8 + c] - stored.probs[i * 8 + c]));
    });
    // The comparison means something only when the faces get different answers.
    let spread = 0;
    for (let c = 0; c < 8; c++) {
      const col = pick.map((_, i) => stored.probs[i * 8 + c]);
      spread = Math.max(spread, Math.max(...col) - Math.min(...col));
    }
    assert.ok(spread > 1e-3, `the stored probabilities differ between faces (spread ${spread})`);
    return { worst, classes: json.modelTopology.config.layers.map((l: { class_name: string }) => l.class_name) };
  } finally {
    db.close();
  }
}

test('an exported DBN loads as Dense layers and predicts the stored probabilities within 1e-4', async (t) => {
  const r = await exportAndCompare('dbn', { hiddenUnits: [24], pretrainEpochs: 1, epochs: 2, seed: 3 });
  assert.deepEqual(r.classes, ['Dense', 'Dense']);
  t.diagnostic(`largest |p_export - p_stored| = ${r.worst.toExponential(2)}`);
  assert.ok(r.worst < 1e-4, `largest difference ${r.worst}`);
});

test('an exported CNN loads as Conv2D / MaxPooling2D / Flatten / Dense layers and predicts the stored probabilities within 1e-4', async (t) => {
  const r = await exportAndCompare('cnn', { epochs: 1, batchSize: 32, seed: 3 });
  assert.equal(r.classes.filter((c) => c === 'Conv2D').length, 6);
  assert.equal(r.classes.filter((c) => c === 'MaxPooling2D').length, 3);
  t.diagnostic(`largest |p_export - p_stored| = ${r.worst.toExponential(2)}`);
  assert.ok(r.worst < 1e-4, `largest difference ${r.worst}`);
});

/** A minimal tfjs layers-model reader for the layers we write (tfjs-layers is not installed here). */
function predictLayersModel(folder: string, x: Float32Array, rows: number): Float32Array {
  const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
  const bin = readFileSync(join(folder, json.weightsManifest[0].paths[0]));
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  let at = 0;
  for (const w of json.weightsManifest[0].weights as { name: string; shape: number[] }[]) {
    const n = w.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(n);
    for (let i = 0; i < n; i++) data[i] = bin.readFloatLE(at + i * 4);
    at += n * 4;
    weights.set(w.name, { shape: w.shape, data });
  }
  assert.equal(at, bin.length, 'weights.bin holds exactly the manifest');
  type Layer = { class_name: string; config: { name: string; activation?: string; batch_input_shape?: number[]; padding?: 'same' | 'valid'; pool_size?: [number, number]; strides?: [number, number] } };
  const layers = json.modelTopology.config.layers as Layer[];
  const inputShape = layers[0].config.batch_input_shape!.slice(1);
  const act = (t: tf.Tensor, a?: string) => (a === 'softmax' ? tf.softmax(t) : a === 'sigmoid' ? tf.sigmoid(t) : a === 'relu' ? tf.relu(t) : t);
  return tf.tidy(() => {
    let h: tf.Tensor = tf.tensor(x, [rows, ...inputShape]);
    for (const l of layers) {
      const k = weights.get(`${l.config.name}/kernel`);
      const b = weights.get(`${l.config.name}/bias`);
      if (l.class_name === 'Dense') h = act(tf.add(tf.matMul(h as tf.Tensor2D, tf.tensor2d(k!.data, k!.shape as [number, number])), tf.tensor1d(b!.data)), l.config.activation);
      else if (l.class_name === 'Conv2D') h = act(tf.add(tf.conv2d(h as tf.Tensor4D, tf.tensor4d(k!.data, k!.shape as [number, number, number, number]), 1, l.config.padding!), tf.tensor1d(b!.data)), l.config.activation);
      else if (l.class_name === 'MaxPooling2D') h = tf.maxPool(h as tf.Tensor4D, l.config.pool_size!, l.config.strides!, l.config.padding!);
      else if (l.class_name === 'Flatten') h = tf.reshape(h, [rows, -1]);
      else assert.fail(`unexpected layer ${l.class_name}`);
    }
    return h.dataSync() as Float32Array;
  });
}
