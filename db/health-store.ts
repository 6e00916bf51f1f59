/**
 * Storage of dataset health: the per-face hash cache (filled on demand, in chunks, each chunk
 * one transaction) and the health reports. See migrations/0006_dataset_health.sql.
 */
import type { Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export interface UnhashedSample {
  id: number;
  width: number;
  height: number;
  pixels: Buffer;
}

export interface SampleHashRow {
  sampleId: number;
  pixelHash: string;
  phash: string;
  mean: number;
  std: number;
}

/** Up to `limit` samples with no cached hash yet, by id. */
export function unhashedSamples(db: ProjectDb, limit: number): UnhashedSample[] {
  return db
    .stmt<[number], UnhashedSample>(
      `SELECT s.id, s.width, s.height, s.pixels FROM samples s
       WHERE NOT EXISTS (SELECT 1 FROM sample_hashes h WHERE h.sample_id = s.id) ORDER BY s.id LIMIT ?`,
    )
    .all(limit);
}

export function countUnhashedSamples(db: ProjectDb): number {
  return db.stmt<[], number>('SELECT count(*) FROM samples s WHERE NOT EXISTS (SELECT 1 FROM sample_hashes h WHERE h.sample_id = s.id)', 'pluck').get()!;
}

/** Caches a chunk of hashes in one transaction (a crash keeps whole chunks; the rest is recomputed next time). */
export function insertSampleHashes(db: ProjectDb, rows: readonly SampleHashRow[]): void {
  const ins = db.stmt('INSERT OR REPLACE INTO sample_hashes (sample_id, pixel_hash, phash, mean, std) VALUES (?, ?, ?, ?, ?)');
  db.write(() => {
    for (const r of rows) ins.run(r.sampleId, r.pixelHash, r.phash, r.mean, r.std);
  });
}

export interface HashedSample extends SampleHashRow {
  split: Split;
  givenLabel: number | null;
  /** FER+ style anonymous votes: the NF ("not a face") count and the total, or null without votes. */
  notFaceVotes: number | null;
  totalVotes: number | null;
}

/** Every sample with its cached hash (call after the cache is complete), by id. */
export function loadHashedSamples(db: ProjectDb): HashedSample[] {
  const rows = db
    .stmt<[], [number, string, string, number, number, Split, number | null, number | null, number | null]>(
      `SELECT s.id, h.pixel_hash, h.phash, h.mean, h.std, s.split, s.given_label, v.n_not_face, v.n_total
       FROM samples s JOIN sample_hashes h ON h.sample_id = s.id LEFT JOIN sample_votes v ON v.sample_id = s.id ORDER BY s.id`,
      'raw',
    )
    .all();
  return rows.map(([sampleId, pixelHash, phash, mean, std, split, givenLabel, notFaceVotes, totalVotes]) => ({
    sampleId, pixelHash, phash, mean, std, split, givenLabel, notFaceVotes, totalVotes,
  }));
}

export function samplePixels(db: ProjectDb, id: number): Buffer {
  const p = db.stmt<[number], Buffer>('SELECT pixels FROM samples WHERE id = ?', 'pluck').get(id);
  if (!p) throw new Error(`${db.path}: sample ${id} does not exist`);
  return p;
}

/** The next `limit` samples after id `afterId` with their pixels and given label: pages for passes that must not hold all pixels at once. */
export function samplePixelPage(db: ProjectDb, afterId: number, limit: number): Array<{ id: number; pixels: Buffer; givenLabel: number | null }> {
  return db
    .stmt<[number, number], { id: number; pixels: Buffer; givenLabel: number | null }>('SELECT id, pixels, given_label AS givenLabel FROM samples WHERE id > ? ORDER BY id LIMIT ?')
    .all(afterId, limit);
}

/**
 * Faces of `split` with a byte-identical twin in one of `others` (hash index, then the stored
 * bytes compared in SQL), ascending. Needs the hash cache filled for every face.
 */
export function facesWithTwinIn(db: ProjectDb, split: Split, others: readonly Split[]): number[] {
  if (others.length === 0) return [];
  return db
    .stmt<[string, string], number>(
      `SELECT DISTINCT a.sample_id FROM sample_hashes a
       JOIN samples sa ON sa.id = a.sample_id
       JOIN sample_hashes b ON b.pixel_hash = a.pixel_hash AND b.sample_id <> a.sample_id
       JOIN samples sb ON sb.id = b.sample_id
       WHERE sa.split = ? AND sb.split IN (SELECT value FROM json_each(?)) AND sa.pixels = sb.pixels
       ORDER BY a.sample_id`,
      'pluck',
    )
    .all(split, JSON.stringify(others));
}

export interface StoredHealthReport {
  id: number;
  createdAt: string;
  nearThreshold: number;
  faces: number;
  summary: unknown;
  findings: unknown;
}

export function saveHealthReport(db: ProjectDb, r: { nearThreshold: number; faces: number; summary: unknown; findings: unknown }): number {
  return db.write(
    () =>
      db.stmt('INSERT INTO health_reports (near_threshold, faces, summary, findings) VALUES (?, ?, ?, ?)').run(r.nearThreshold, r.faces, JSON.stringify(r.summary), JSON.stringify(r.findings))
        .lastInsertRowid as number,
  );
}

/** The latest stored report, or null when health was never computed. */
export function latestHealthReport(db: ProjectDb): StoredHealthReport | null {
  const row = db
    .stmt<[], { id: number; created_at: string; near_threshold: number; faces: number; summary: string; findings: string }>(
      'SELECT id, created_at, near_threshold, faces, summary, findings FROM health_reports ORDER BY id DESC LIMIT 1',
    )
    .get();
  if (!row) return null;
  return { id: row.id, createdAt: row.created_at, nearThreshold: row.near_threshold, faces: row.faces, summary: JSON.parse(row.summary), findings: JSON.parse(row.findings) };
}
