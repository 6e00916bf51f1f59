/**
 * Computing and reading the face map of a project (README "Face map"). `computeFaceMap` runs
 * in the face-map worker: it reads every face's pixels (PCA map) or the model's penultimate
 * features (UMAP map), lays them out with core/map and stores the map in one statement, so a
 * cancelled or crashed job leaves the previous map. The readers serve the map view.
 */
import type { FaceMap, MapGetParams, MapInfo, MapLabels, MapProgressEvent } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { computeMap } from '../../../core/map/face-map.ts';
import { restoreTrainer } from '../../../core/train/create-trainer.ts';
import { loadSnapshot } from '../../../core/train/snapshot-file.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { listFaceMaps, readFaceMap, saveFaceMap, type FaceMapMethod, type StoredFaceMap } from '../../../db/face-map-store.ts';
import { getModel, networkPath } from '../../../db/model-store.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { readPixelBlock, type PixelBlock } from '../../../db/training-matrix.ts';
import { ensureTrainerKinds } from './analysis-folds.ts';

type Progress = Omit<MapProgressEvent, 'jobId' | 'modelId'>;

/** Faces whose features are computed per engine call batch group (bounds the pixel copy in memory). */
const FEATURE_CHUNK = 4096;

function allIds(db: ProjectDb): Int32Array {
  return Int32Array.from(db.stmt<[], number>('SELECT id FROM samples ORDER BY id', 'pluck').all());
}

/**
 * Every face's stored bytes, block by block in id order through the reader prediction uses
 * (readPixelBlock), checked against `ids` so a face added or removed meanwhile is reported.
 */
function* pixelBlocks(db: ProjectDb, ids: Int32Array): Generator<{ start: number; block: PixelBlock }> {
  let start = 0;
  for (let after = Number.MIN_SAFE_INTEGER; ;) {
    const block = readPixelBlock(db, after, FEATURE_CHUNK);
    const n = block.ids.length;
    if (n === 0) break;
    for (let r = 0; r < n; r++) if (block.ids[r] !== ids[start + r]) throw new Error(`${db.path}: sample ${block.ids[r]} appeared while the map was read; compute the map again`);
    yield { start, block };
    start += n;
    after = block.ids[n - 1];
  }
  if (start !== ids.length) throw new Error(`${db.path}: ${ids.length - start} faces disappeared while the map was read; compute the map again`);
}

/** Every face's raw pixel bytes (n × h·w): a quarter of the float copy, and PCA does not care about the 1/255 scale. */
function pixelBytes(db: ProjectDb, ids: Int32Array, onProgress: (p: Progress) => void): Uint8Array {
  const { height, width } = getProjectInfo(db).inputSize;
  const out = new Uint8Array(ids.length * height * width);
  for (const { start, block } of pixelBlocks(db, ids)) {
    out.set(block.x, start * height * width);
    const done = start + block.ids.length;
    onProgress({ stage: 'load', message: `reading faces (${done} of ${ids.length})`, done, total: ids.length });
  }
  return out;
}

/** The model's penultimate features of every face (n × width). */
async function modelFeatures(db: ProjectDb, modelId: ModelId, ids: Int32Array, onProgress: (p: Progress) => void): Promise<{ x: Float32Array; cols: number }> {
  const model = getModel(db, modelId);
  if (!model) throw new Error(`no model ${modelId} in this project`);
  ensureTrainerKinds();
  const { height, width } = getProjectInfo(db).inputSize;
  if (model.inputSize.height !== height || model.inputSize.width !== width) throw new Error(`model ${modelId} takes ${model.inputSize.width}x${model.inputSize.height} faces, the project's are ${width}x${height}`);
  const empty = { data: new Float32Array(0), rows: 0, cols: height * width };
  const trainer = restoreTrainer(await loadSnapshot(networkPath(model, 'draw a face map from its features')), { x: empty, y: new Int32Array(0), soft: null, valid: null, height, width });
  try {
    if (!trainer.features) throw new Error(`model ${modelId} (${model.kind}) cannot give its penultimate features`);
    let x: Float32Array | null = null;
    let cols = 0;
    // Bytes stand for b / 255 in a Matrix; the model converts a block at a time.
    for (const { start, block } of pixelBlocks(db, ids)) {
      const rows = block.ids.length;
      const f = trainer.features({ data: block.x, rows, cols: height * width });
      if (!x) {
        cols = f.cols;
        x = new Float32Array(ids.length * cols);
      }
      x.set(f.data, start * cols);
      onProgress({ stage: 'features', message: `features of model ${modelId} (${start + rows} of ${ids.length} faces)`, done: start + rows, total: ids.length });
    }
    return { x: x ?? new Float32Array(0), cols };
  } finally {
    trainer.dispose();
  }
}

const STAGE_WORDS = { pca: 'principal components', neighbours: 'nearest neighbours', layout: 'layout' } as const;

/** Computes and stores the map of a model (UMAP of its features) or of the pixels (modelId null). */
export async function computeFaceMap(db: ProjectDb, req: { modelId: ModelId | null; seed: number }, onProgress: (p: Progress) => void = () => {}): Promise<{ faces: number; seconds: number }> {
  const t0 = performance.now();
  const ids = allIds(db);
  if (ids.length < 3) throw new Error(`the project has ${ids.length} faces; a map needs at least 3`);
  onProgress({ stage: 'load', message: `reading ${ids.length} faces`, done: 0, total: ids.length });
  const method: FaceMapMethod = req.modelId === null ? 'pca-pixels' : 'umap-features';
  const input = req.modelId === null ? { x: pixelBytes(db, ids, onProgress), cols: db.stmt<[], Buffer>('SELECT pixels FROM samples LIMIT 1', 'pluck').get()!.length } : await modelFeatures(db, req.modelId, ids, onProgress);
  const { coords, params } = computeMap(input.x, ids.length, input.cols, method, {
    seed: req.seed,
    // Never cancels from here (the service terminates the worker): a truthy return would.
    onProgress: (p) => {
      onProgress({ stage: p.stage, message: `${STAGE_WORDS[p.stage]} (${p.done} of ${p.total})`, done: p.done, total: p.total });
    },
  });
  onProgress({ stage: 'save', message: 'saving the map', done: 0, total: 1 });
  const seconds = (performance.now() - t0) / 1000;
  saveFaceMap(db, { modelId: req.modelId, method, seed: req.seed, params, sampleIds: ids, coords, seconds });
  return { faces: ids.length, seconds };
}

function info(m: Pick<StoredFaceMap, 'modelId' | 'method' | 'seed' | 'seconds' | 'createdAt'>, faces: number): MapInfo {
  return { modelId: m.modelId as ModelId | null, method: m.method, seed: m.seed, faces, seconds: m.seconds, createdAt: m.createdAt };
}

export function listMaps(db: ProjectDb): MapInfo[] {
  const counts = new Map(db.stmt<[], [number, number]>('SELECT id, face_count FROM face_maps', 'raw').all());
  return listFaceMaps(db).map((m) => info(m, counts.get(m.id) ?? 0));
}

/** Current label code per face id, for recolouring after relabels. */
export function currentLabels(db: ProjectDb): MapLabels {
  const rows = db.stmt<[], [number, number | null]>('SELECT sample_id, current_label FROM sample_labels ORDER BY sample_id', 'raw').all();
  return { ids: rows.map((r) => r[0]), current: rows.map((r) => r[1]) };
}

/** The stored map of a model (or the pixel map) with the labels and, if asked, a score per face. */
export function getMap(db: ProjectDb, p: MapGetParams): FaceMap | null {
  const m = readFaceMap(db, p.modelId, p.modelId === null ? 'pca-pixels' : 'umap-features');
  if (!m) return null;
  const n = m.sampleIds.length;
  const row = new Map<number, number>();
  m.sampleIds.forEach((id, i) => row.set(id, i));
  const given: (number | null)[] = new Array(n).fill(null);
  const current: (number | null)[] = new Array(n).fill(null);
  for (const [id, g, c] of db.stmt<[], [number, number | null, number | null]>('SELECT sample_id, given_label, current_label FROM sample_labels', 'raw').iterate()) {
    const i = row.get(id);
    if (i === undefined) continue;
    given[i] = g;
    current[i] = c;
  }
  const scoresOf = p.labelsOf ?? p.modelId;
  const predicted: (number | null)[] = new Array(n).fill(null);
  let score: (number | null)[] | null = null;
  if (scoresOf !== null && scoresOf !== undefined) {
    if (p.score) score = new Array(n).fill(null);
    // The column name comes from the contract's closed list (MAP_SCORES), never from free text.
    const col = p.score ?? 'NULL';
    const predictedRows = db.stmt<[number], [number, Buffer]>('SELECT sample_id, probs FROM predictions WHERE model_id = ? AND fold IS NULL', 'raw');
    for (const [id, blob] of predictedRows.iterate(scoresOf)) {
      const i = row.get(id);
      if (i === undefined) continue;
      const probs = new Float32Array(new Uint8Array(blob).buffer);
      let best = 0;
      for (let k = 1; k < probs.length; k++) if (probs[k] > probs[best]) best = k;
      predicted[i] = best;
    }
    if (score) {
      for (const [id, v] of db.stmt<[number], [number, number | null]>(`SELECT sample_id, ${col} FROM scores WHERE model_id = ?`, 'raw').iterate(scoresOf)) {
        const i = row.get(id);
        if (i !== undefined) score[i] = v;
      }
    }
  }
  const x = new Array<number>(n);
  const y = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    x[i] = m.coords[2 * i];
    y[i] = m.coords[2 * i + 1];
  }
  return { info: info(m, n), ids: Array.from(m.sampleIds), x, y, given, current, predicted, score };
}
