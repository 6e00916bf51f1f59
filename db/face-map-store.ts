/**
 * Stored face maps (migration face_maps): per model and method, every face's 2-D position.
 * Ids and coordinates are packed as little-endian int32 / float32 blobs (a 300,000-face map is
 * 3.6 MB, one row), written in one statement that replaces the previous map of the same key.
 */
import type { ProjectDb } from './connection.ts';

export const FACE_MAP_METHODS = ['pca-pixels', 'umap-features'] as const;
export type FaceMapMethod = (typeof FACE_MAP_METHODS)[number];

export interface StoredFaceMap {
  id: number;
  modelId: number | null;
  method: FaceMapMethod;
  seed: number;
  params: Record<string, unknown>;
  sampleIds: Int32Array;
  /** (x, y) per face, in the order of sampleIds. */
  coords: Float32Array;
  seconds: number;
  createdAt: string;
}

export type NewFaceMap = Omit<StoredFaceMap, 'id' | 'createdAt'>;

function blobOf(a: Int32Array | Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Copies a blob into an aligned typed array (a Buffer from SQLite need not be 4-byte aligned). */
function typed<T extends Int32Array | Float32Array>(blob: Buffer, make: (n: number) => T): T {
  const out = make(blob.length / 4);
  new Uint8Array(out.buffer).set(blob);
  return out;
}

/** Saves a map, replacing the one of the same model and method; returns its id. */
export function saveFaceMap(db: ProjectDb, map: NewFaceMap): number {
  const n = map.sampleIds.length;
  if (map.coords.length !== 2 * n) throw new Error(`face map: ${n} faces need ${2 * n} coordinates, got ${map.coords.length}`);
  for (let i = 0; i < map.coords.length; i++) {
    if (!Number.isFinite(map.coords[i])) throw new Error(`face map: coordinate ${i % 2 === 0 ? 'x' : 'y'} of sample ${map.sampleIds[i >> 1]} is not a finite number`);
  }
  return db.write(() => {
    db.stmt('DELETE FROM face_maps WHERE model_id IS ? AND method = ?').run(map.modelId, map.method);
    const r = db
      .stmt('INSERT INTO face_maps (model_id, method, seed, params, face_count, sample_ids, coords, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(map.modelId, map.method, map.seed, JSON.stringify(map.params), n, blobOf(map.sampleIds), blobOf(map.coords), map.seconds);
    return Number(r.lastInsertRowid);
  });
}

type Row = { id: number; model_id: number | null; method: FaceMapMethod; seed: number; params: string; sample_ids: Buffer; coords: Buffer; seconds: number; created_at: string };

function toMap(r: Row): StoredFaceMap {
  return {
    id: r.id,
    modelId: r.model_id,
    method: r.method,
    seed: r.seed,
    params: JSON.parse(r.params) as Record<string, unknown>,
    sampleIds: typed(r.sample_ids, (n) => new Int32Array(n)),
    coords: typed(r.coords, (n) => new Float32Array(n)),
    seconds: r.seconds,
    createdAt: r.created_at,
  };
}

/** The map of a model and method, or null. */
export function readFaceMap(db: ProjectDb, modelId: number | null, method: FaceMapMethod): StoredFaceMap | null {
  const r = db.stmt<[number | null, string], Row>('SELECT * FROM face_maps WHERE model_id IS ? AND method = ?').get(modelId, method);
  return r ? toMap(r) : null;
}

/** Every stored map without its points (what the map view offers), newest first. */
export function listFaceMaps(db: ProjectDb): Omit<StoredFaceMap, 'sampleIds' | 'coords'>[] {
  const rows = db
    .stmt<[], Omit<Row, 'sample_ids' | 'coords'>>('SELECT id, model_id, method, seed, params, seconds, created_at FROM face_maps ORDER BY created_at DESC, id DESC')
    .all();
  return rows.map((r) => ({ id: r.id, modelId: r.model_id, method: r.method, seed: r.seed, params: JSON.parse(r.params) as Record<string, unknown>, seconds: r.seconds, createdAt: r.created_at }));
}
