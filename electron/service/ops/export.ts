/**
 * Exports of a project, for the app and the CLI: the current labels with their audit trail
 * (one CSV row per face; one CSV row per review decision), AffectNet's list format with the
 * current label as `expression` (training.csv / validation.csv, so our own AffectNet importer
 * reads it back), a trained model, and the HTML report (ops/report.ts).
 *
 * Models are written as tfjs layers-models (model.json + weights.bin). A DBN kind's fine-tuned
 * network is a sigmoid MLP with a softmax output, i.e. Dense layers, with the per-pixel input
 * standardisation folded into the first layer, so it takes the pixels scaled to [0, 1]. The
 * CNN becomes Conv2D (batch norm folded in with its running statistics, as our inference does),
 * MaxPooling2D, Flatten and Dense layers. tfjs-layers itself is not installed here, so the
 * tests read the files back with tfjs-core ops.
 * Every model export carries metadata.json (classes, input size, preprocessing, run config,
 * metrics).
 */
import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ExportKind, ExportResult, ModelExportFormat } from '../../../api/contract.ts';
import { exportModelOnnx } from './export-onnx.ts';
import { CLASS_NAMES, LABEL_CODE_NAMES, LABEL_UNCERTAIN, LABEL_UNKNOWN, type ModelId } from '../../../api/domain.ts';
import { loadSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { type AffectNetExportRow, affectnetRowsForExport, auditRowsForExport, labelRowsForExport } from '../../../db/export-store.ts';
import { listEvaluations } from '../../../db/evaluation-store.ts';
import { getModel, networkPath } from '../../../db/model-store.ts';
import { getRun } from '../../../db/run-store.ts';
import { assertExportTarget, writeFileAtomic } from './export-target.ts';

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
export function csvField(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** One file of an export: checked against the project's own files, then written through a temp file. */
function writeExportFile(db: ProjectDb, path: string, data: string | Uint8Array): void {
  assertExportTarget(db, path, 'file');
  writeFileAtomic(path, data);
}

function writeCsv(db: ProjectDb, path: string, header: readonly string[], rows: Iterable<readonly (string | number | null)[]>): number {
  const lines = [header.join(',')];
  for (const r of rows) lines.push(r.map(csvField).join(','));
  writeExportFile(db, path, `${lines.join('\n')}\n`);
  return lines.length - 1;
}

const labelName = (code: number | null) => (code === null ? '' : (LABEL_CODE_NAMES[code] ?? String(code)));

export const LABELS_HEADER = ['sample_id', 'source_ref', 'dataset', 'split', 'given_label', 'current_label', 'last_decision', 'reviewer', 'decided_at'] as const;

/** One row per face: its given and current label and its latest effective review decision. */
export function exportLabelsCsv(db: ProjectDb, out: string): number {
  const rows = labelRowsForExport(db).map((r) => [r.sampleId, r.sourceRef, r.dataset, r.split, labelName(r.givenLabel), labelName(r.currentLabel), r.lastAction, r.reviewer, r.decidedAt]);
  return writeCsv(db, out, LABELS_HEADER, rows);
}

export const AUDIT_HEADER = ['decision_id', 'sample_id', 'source_ref', 'action', 'label', 'previous_label', 'reverts_id', 'undone', 'reviewer', 'note', 'created_at', 'batch_id'] as const;

/** Every row of the audit trail, oldest first, undos included; batch_id ties the rows of one bulk action (and of its undo). */
export function exportAuditCsv(db: ProjectDb, out: string): number {
  const rows = auditRowsForExport(db).map((r) => [r.decisionId, r.sampleId, r.sourceRef, r.action, labelName(r.label), labelName(r.previousLabel), r.revertsId, r.undone ? 1 : 0, r.reviewer, r.note, r.createdAt, r.batchId]);
  return writeCsv(db, out, AUDIT_HEADER, rows);
}

export const AFFECTNET_HEADER = ['subDirectory_filePath', 'face_x', 'face_y', 'face_width', 'face_height', 'facial_landmarks', 'expression', 'valence', 'arousal'] as const;

/**
 * AffectNet's file lists for the project's AffectNet faces: train and valid faces in
 * `<dir>/training.csv`, test faces in `<dir>/validation.csv` (our importer maps validation.csv
 * to test and holds valid out of training.csv by a hash of the path, so the splits come back).
 * `expression` is the current label; our 'unknown' (11) has no AffectNet code and becomes 9
 * (uncertain). Landmarks are not kept by the importer, so that column is empty.
 */
export function exportAffectNet(db: ProjectDb, dir: string): { files: string[]; rows: number; notes: string[] } {
  const rows = affectnetRowsForExport(db);
  if (rows.length === 0) throw new Error('export affectnet: the project has no AffectNet faces');
  let unknown = 0;
  const toRow = (r: AffectNetExportRow) => {
    const label = r.currentLabel;
    if (label === LABEL_UNKNOWN) unknown++;
    const expression = label === null || label === LABEL_UNKNOWN ? LABEL_UNCERTAIN : label;
    return [r.sourceRef.replace(/^affectnet:/, ''), r.faceX, r.faceY, r.faceWidth, r.faceHeight, '', expression, r.valence ?? -2, r.arousal ?? -2];
  };
  const files: string[] = [];
  let n = 0;
  const training = rows.filter((r) => r.split !== 'test');
  const validation = rows.filter((r) => r.split === 'test');
  if (training.length > 0) {
    files.push(join(dir, 'training.csv'));
    n += writeCsv(db, files[files.length - 1], AFFECTNET_HEADER, training.map(toRow));
  }
  if (validation.length > 0) {
    files.push(join(dir, 'validation.csv'));
    n += writeCsv(db, files[files.length - 1], AFFECTNET_HEADER, validation.map(toRow));
  }
  const notes = ['expression = the current label (after review); train and valid faces in training.csv, test faces in validation.csv'];
  if (unknown > 0) notes.push(`${unknown} face(s) labelled unknown were written as 9 (uncertain): AffectNet has no unknown code`);
  return { files, rows: n, notes };
}

interface DenseLayer {
  inputs: number;
  outputs: number;
  /** inputs x outputs, row-major (tfjs Dense kernel layout). */
  kernel: Float32Array;
  bias: Float32Array;
  activation: 'sigmoid' | 'softmax' | 'relu';
}

/** One layer of a tfjs Sequential model: its class, config and weights (in manifest order). */
interface LayerSpec {
  className: 'Dense' | 'Conv2D' | 'MaxPooling2D' | 'Flatten';
  config: Record<string, unknown>;
  weights: { name: string; shape: number[]; data: Float32Array }[];
}

const NO_REGULARISERS = {
  kernel_initializer: { class_name: 'Zeros', config: {} },
  bias_initializer: { class_name: 'Zeros', config: {} },
  kernel_regularizer: null,
  bias_regularizer: null,
  activity_regularizer: null,
  kernel_constraint: null,
  bias_constraint: null,
};

function denseSpec(l: DenseLayer, i: number): LayerSpec {
  return {
    className: 'Dense',
    config: { name: `dense_${i}`, trainable: true, dtype: 'float32', units: l.outputs, activation: l.activation, use_bias: true, ...NO_REGULARISERS },
    weights: [
      { name: `dense_${i}/kernel`, shape: [l.inputs, l.outputs], data: l.kernel },
      { name: `dense_${i}/bias`, shape: [l.outputs], data: l.bias },
    ],
  };
}

/**
 * The CNN of core/models/cnn/cnn-graphs.ts as tfjs layers, exactly as its inference graph runs
 * (inferLogits): each conv's batch norm folded into its kernel and bias with the running
 * statistics, ReLU, a 2x2/2 max-pool after every second conv, NHWC flatten, a ReLU dense layer
 * and the softmax output (dropout is the identity at inference).
 */
function cnnLayerSpecs(snap: Awaited<ReturnType<typeof loadSnapshot>>): { specs: LayerSpec[]; inputShape: number[] } {
  const t = (name: string) => {
    const x = snap.tensors[`param/${name}`] ?? snap.tensors[`running/${name}`];
    if (!x) throw new Error(`export model: the CNN snapshot lacks ${name}`);
    return x;
  };
  const meta = snap.meta as { config: { bnEpsilon: number }; height: number; width: number };
  const eps = meta.config.bnEpsilon;
  const specs: LayerSpec[] = [];
  for (let i = 0; ; i++) {
    const w = snap.tensors[`param/conv${i}/w`];
    if (!w) break;
    const [kh, kw, cin, cout] = w.shape;
    const gamma = t(`bn${i}/gamma`).data;
    const beta = t(`bn${i}/beta`).data;
    const mean = t(`bn${i}/mean`).data;
    const variance = t(`bn${i}/var`).data;
    const scale = Float32Array.from(gamma, (g, c) => g / Math.sqrt(variance[c] + eps));
    const kernel = Float32Array.from(w.data, (v, k) => v * scale[k % cout]);
    const bias = Float32Array.from(beta, (b, c) => b - mean[c] * scale[c]);
    specs.push({
      className: 'Conv2D',
      config: { name: `conv2d_${i}`, trainable: true, dtype: 'float32', filters: cout, kernel_size: [kh, kw], strides: [1, 1], padding: 'same', data_format: 'channels_last', dilation_rate: [1, 1], activation: 'relu', use_bias: true, ...NO_REGULARISERS },
      weights: [
        { name: `conv2d_${i}/kernel`, shape: [kh, kw, cin, cout], data: kernel },
        { name: `conv2d_${i}/bias`, shape: [cout], data: bias },
      ],
    });
    if (i % 2 === 1) specs.push({ className: 'MaxPooling2D', config: { name: `max_pooling2d_${(i - 1) / 2}`, trainable: true, dtype: 'float32', pool_size: [2, 2], strides: [2, 2], padding: 'valid', data_format: 'channels_last' }, weights: [] });
  }
  if (specs.length === 0) throw new Error('export model: the CNN snapshot has no convolution');
  specs.push({ className: 'Flatten', config: { name: 'flatten', trainable: true, dtype: 'float32' }, weights: [] });
  for (let d = 0; ; d++) {
    const w = snap.tensors[`param/dense${d}/w`];
    if (!w) break;
    const last = !snap.tensors[`param/dense${d + 1}/w`];
    specs.push(denseSpec({ inputs: w.shape[0], outputs: w.shape[1], kernel: w.data, bias: t(`dense${d}/b`).data, activation: last ? 'softmax' : 'relu' }, d));
  }
  return { specs, inputShape: [meta.height, meta.width, 1] };
}

/** The fine-tuned MLP of a DBN snapshot as Dense layers, with the input standardisation folded into the first. */
export function dbnDenseLayers(snap: Awaited<ReturnType<typeof loadSnapshot>>): DenseLayer[] {
  const shapes = snap.meta.mlpShape as [number, number][] | null;
  if (!shapes || shapes.length === 0) throw new Error('export model: the DBN snapshot has no fine-tuned network (training stopped before fine-tuning)');
  const layers = shapes.map(([inputs, outputs], l): DenseLayer => {
    const w = snap.tensors[`mlp${l}.w`];
    const b = snap.tensors[`mlp${l}.b`];
    if (!w || !b || w.data.length !== inputs * outputs || b.data.length !== outputs) throw new Error(`export model: snapshot tensor mlp${l} does not match its shape ${inputs}x${outputs}`);
    return { inputs, outputs, kernel: Float32Array.from(w.data), bias: Float32Array.from(b.data), activation: l === shapes.length - 1 ? 'softmax' : 'sigmoid' };
  });
  const mean = snap.tensors['input.mean']?.data;
  const std = snap.tensors['input.std']?.data;
  if (mean && std) {
    // W'_ij = W_ij / std_i and b'_j = b_j - sum_i W_ij mean_i / std_i give W'^T v + b' = W^T ((v - mean) / std) + b.
    const first = layers[0];
    const bias = Float64Array.from(first.bias);
    for (let i = 0; i < first.inputs; i++) {
      const s = std[i];
      const m = mean[i];
      for (let j = 0; j < first.outputs; j++) {
        const w = first.kernel[i * first.outputs + j] / s;
        first.kernel[i * first.outputs + j] = w;
        bias[j] -= w * m;
      }
    }
    first.bias = Float32Array.from(bias);
  }
  return layers;
}

function layersModelJson(specs: LayerSpec[], inputShape: number[], name: string, metadata: Record<string, unknown>): Record<string, unknown> {
  return {
    format: 'layers-model',
    generatedBy: 'affect-relearn',
    convertedBy: null,
    modelTopology: {
      class_name: 'Sequential',
      config: {
        name,
        layers: specs.map((l, i) => ({ class_name: l.className, config: { ...l.config, ...(i === 0 ? { batch_input_shape: [null, ...inputShape] } : {}) } })),
      },
      keras_version: 'tfjs-layers 4.22.0',
      backend: 'tensor_flow.js',
    },
    weightsManifest: [{ paths: ['weights.bin'], weights: specs.flatMap((l) => l.weights.map((w) => ({ name: w.name, shape: w.shape, dtype: 'float32' }))) }],
    userDefinedMetadata: metadata,
  };
}

function float32Le(arrays: Float32Array[]): Buffer {
  const total = arrays.reduce((a, x) => a + x.length, 0);
  const buf = Buffer.alloc(total * 4);
  let at = 0;
  for (const a of arrays) for (const v of a) at = buf.writeFloatLE(v, at);
  return buf;
}

/** The model row and the metadata every model export carries (classes, input, run config, metrics). */
export function modelExportMetadata(db: ProjectDb, modelId: ModelId | number) {
  const model = getModel(db, modelId);
  if (!model) throw new Error(`export model: no model ${modelId} in ${db.path}`);
  if (model.structure.role === 'out-of-fold') throw new Error(`export model: model ${modelId} is an out-of-fold prediction set, not a network`);
  const run = model.runId === null ? null : getRun(db, model.runId);
  const metrics: Record<string, Record<string, number>> = {};
  for (const e of listEvaluations(db, { modelId: model.id })) {
    const r = e.result as unknown as { accuracy?: number };
    if (typeof r.accuracy === 'number') metrics[`${e.split}${e.label && e.label !== 'model' ? `:${e.label}` : ''}`] = { accuracy: r.accuracy };
  }
  const metadata: Record<string, unknown> = {
    app: 'affect-relearn',
    modelId: model.id,
    kind: model.kind,
    name: model.name,
    parentModelId: model.parentModelId,
    classes: [...CLASS_NAMES],
    inputSize: model.inputSize,
    preprocessing: `grey ${model.inputSize.height}x${model.inputSize.width} face crop, pixel / 255 in [0, 1], flattened row-major to ${model.inputSize.height * model.inputSize.width} values`,
    output: 'softmax probabilities over classes, in the order of `classes`',
    structure: model.structure,
    runConfig: run?.config ?? null,
    metrics,
    createdAt: model.createdAt,
  };
  return { model, metadata };
}

/** Writes `<dir>/model.json` + `weights.bin` (tfjs layers-model) and `<dir>/metadata.json`. */
export async function exportModel(db: ProjectDb, modelId: ModelId | number, dir: string): Promise<{ files: string[]; notes: string[]; format: 'tfjs-layers-model' }> {
  const { model, metadata } = modelExportMetadata(db, modelId);
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const notes: string[] = [];
  const snap = await loadSnapshot(networkPath(model, 'export a network'));
  let specs: LayerSpec[];
  let inputShape: number[];
  const size = `${model.inputSize.height}x${model.inputSize.width}`;
  if (model.kind === 'cnn') {
    ({ specs, inputShape } = cnnLayerSpecs(snap));
    metadata.preprocessing = `grey ${size} face crop, pixel / 255 in [0, 1], shaped [${inputShape.join(', ')}] (NHWC); batch norm is folded into each conv2d with its running statistics`;
  } else {
    const dense = dbnDenseLayers(snap);
    specs = dense.map(denseSpec);
    inputShape = [dense[0].inputs];
    metadata.preprocessing = `${String(metadata.preprocessing)}; the per-pixel standardisation of training is folded into dense_0`;
  }
  metadata.format = 'tfjs-layers-model';
  writeExportFile(db, join(dir, 'model.json'), JSON.stringify(layersModelJson(specs, inputShape, `affect_relearn_${model.kind}_${model.id}`, metadata), null, 1));
  writeExportFile(db, join(dir, 'weights.bin'), float32Le(specs.flatMap((l) => l.weights.map((w) => w.data))));
  files.push(join(dir, 'model.json'), join(dir, 'weights.bin'));
  notes.push(`tfjs layers-model (load with tf.loadLayersModel): ${specs.map((l) => l.className).join(' → ')}, input [null, ${inputShape.join(', ')}]`);
  writeExportFile(db, join(dir, 'metadata.json'), JSON.stringify(metadata, null, 1));
  files.push(join(dir, 'metadata.json'));
  return { files, notes, format: 'tfjs-layers-model' };
}

/** An export target inside the project's folder (browser mode writes on the server side, never elsewhere). */
export function resolveInsideProject(db: ProjectDb, out: string): string {
  const root = dirname(db.path);
  const abs = resolve(root, out);
  const rel = relative(root, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`export: ${out} is not inside the project's folder ${root}`);
  return abs;
}

/**
 * Runs one export to `out` (a file for labels / audit / report, a folder for affectnet / model;
 * relative to the working directory). Refuses, before reading anything, a target that is the
 * project's own file, its journal files or its models folder.
 */
export async function runExport(db: ProjectDb, kind: ExportKind, outPath: string, modelId?: ModelId | number, format: ModelExportFormat = 'tfjs'): Promise<ExportResult> {
  const out = resolve(outPath);
  assertExportTarget(db, out, kind === 'affectnet' || kind === 'model' ? 'folder' : 'file');
  switch (kind) {
    case 'labels':
      return { kind, files: [out], rows: exportLabelsCsv(db, out), notes: [] };
    case 'audit':
      return { kind, files: [out], rows: exportAuditCsv(db, out), notes: [] };
    case 'affectnet': {
      const r = exportAffectNet(db, out);
      return { kind, files: r.files, rows: r.rows, notes: r.notes };
    }
    case 'model': {
      if (modelId === undefined) throw new Error('export model: a model id is needed');
      const r = format === 'onnx' ? await exportModelOnnx(db, modelId, out) : await exportModel(db, modelId, out);
      return { kind, files: r.files, rows: null, notes: r.notes };
    }
    case 'report':
      return { kind, files: [await writeReport(db, out, modelId)], rows: null, notes: [] };
    case 'labelstudio':
      return writeLabelStudio(db, out, modelId);
  }
}

/** Label Studio tasks at `out` and their labelling config beside it (`<name>.label-config.xml`). */
async function writeLabelStudio(db: ProjectDb, out: string, modelId?: ModelId | number): Promise<ExportResult> {
  const { labelStudioTasks, LABEL_STUDIO_CONFIG } = await import('./export-labelstudio.ts');
  const { tasks, modelVersion } = await labelStudioTasks(db, modelId);
  const config = out.replace(/(\.json)?$/i, '.label-config.xml');
  writeExportFile(db, out, `${JSON.stringify(tasks)}\n`);
  writeExportFile(db, config, LABEL_STUDIO_CONFIG);
  return {
    kind: 'labelstudio',
    files: [out, config],
    rows: tasks.length,
    notes: [
      'images are embedded as PNG data URIs of the stored face crops, so Label Studio shows them without access to this computer\'s files',
      'the current label is each task\'s annotation (faces with a class label); paste the .label-config.xml into the project\'s labelling interface',
      modelVersion ? `predictions: the class of model ${modelVersion} with its probability as the score (faces it has scores for)` : 'no model given: tasks carry no predictions',
    ],
  };
}

async function writeReport(db: ProjectDb, out: string, modelId?: ModelId | number): Promise<string> {
  if (modelId === undefined) throw new Error('export report: a (parent) model id is needed');
  const { writeReport: write } = await import('./report.ts');
  mkdirSync(dirname(out), { recursive: true });
  await write(db, { modelId: Number(modelId) }, out);
  return out;
}
