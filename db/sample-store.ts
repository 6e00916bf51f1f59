/**
 * Samples and what comes with them on import: identified annotators' labels and anonymous
 * vote counts, written together in one transaction per batch. `source_ref` is unique, and
 * inserts use INSERT OR IGNORE on it, so re-running an interrupted import adds only what is
 * missing. Reading back: one face with everything about it, and counts per split and label.
 */
import {
  LABEL_CODE_NAMES,
  NUM_LABEL_CODES,
  type DatasetKind,
  type FaceBox,
  type LabelCode,
  type SampleId,
  type SampleRecord,
  type Split,
} from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { ensureAnnotator, type AnnotatorKind } from './annotator-store.ts';
import { getProjectInfo } from './project-store.ts';
import { labelHistory, type DecisionAction, type LabelDecision } from './relabel-store.ts';
import { findSampleProblem } from './sample-validation.ts';
import { insertReferenceVotes } from './reference-write.ts';

/** Vote columns of `sample_votes`, in LabelCode order. */
export const VOTE_COLUMNS = LABEL_CODE_NAMES.map((n) => `n_${n}`);
const VOTE_COLUMN_LIST = VOTE_COLUMNS.join(', ');

export interface InsertBatchOptions {
  /** The import job the rows come from (provenance). */
  importJobId?: number | null;
  /** Kind given to annotators seen for the first time (default: 'simulated' for the demo, else 'dataset'). */
  annotatorKind?: (name: string, record: SampleRecord) => AnnotatorKind;
}

export interface InsertBatchResult {
  inserted: number;
  skipped: number;
  /** Per input record: the new id, or null when its sourceRef already existed. */
  ids: (SampleId | null)[];
}

const defaultAnnotatorKind = (_name: string, r: SampleRecord): AnnotatorKind => (r.dataset === 'demo' ? 'simulated' : 'dataset');

/**
 * Inserts a batch in one transaction; records whose sourceRef exists are skipped untouched.
 * Throws (and writes nothing) when a record is invalid or not of the project's input size,
 * naming its sourceRef and field.
 */
export function insertSampleBatch(db: ProjectDb, records: readonly SampleRecord[], options: InsertBatchOptions = {}): InsertBatchResult {
  // One input size per project: a face of another size could not be stacked for training.
  const inputSize = getProjectInfo(db).inputSize;
  for (const r of records) {
    const problem = findSampleProblem(r, inputSize);
    if (problem) throw new Error(`sample ${JSON.stringify(r.sourceRef)}: ${problem.field}: ${problem.message}`);
  }
  const kindOf = options.annotatorKind ?? defaultAnnotatorKind;
  const insertSample = db.stmt(`
    INSERT OR IGNORE INTO samples (source_ref, dataset, split, width, height, pixels, original_path,
      face_x, face_y, face_w, face_h, given_label, valence, arousal, extra, import_job_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insertAnnotation = db.stmt('INSERT INTO annotations (sample_id, annotator_id, label) VALUES (?, ?, ?)');
  const insertVotes = db.stmt(`INSERT INTO sample_votes (sample_id, ${VOTE_COLUMN_LIST}) VALUES (?, ${VOTE_COLUMNS.map(() => '?').join(', ')})`);
  return db.write(() => {
    const annotatorIds = new Map<string, number>();
    const ids: (SampleId | null)[] = [];
    let inserted = 0;
    for (const r of records) {
      const b = r.faceBox;
      const info = insertSample.run(
        r.sourceRef, r.dataset, r.split, r.width, r.height,
        Buffer.from(r.pixels.buffer, r.pixels.byteOffset, r.pixels.byteLength),
        r.originalPath, b?.x ?? null, b?.y ?? null, b?.width ?? null, b?.height ?? null,
        r.givenLabel, r.valence, r.arousal, r.extra ? JSON.stringify(r.extra) : null, options.importJobId ?? null,
      );
      if (info.changes === 0) {
        ids.push(null);
        continue;
      }
      const id = Number(info.lastInsertRowid);
      ids.push(id as SampleId);
      inserted++;
      for (const a of r.annotations ?? []) {
        let annotatorId = annotatorIds.get(a.annotator);
        if (annotatorId === undefined) {
          annotatorId = ensureAnnotator(db, a.annotator, kindOf(a.annotator, r));
          annotatorIds.set(a.annotator, annotatorId);
        }
        insertAnnotation.run(id, annotatorId, a.label);
      }
      if (r.votes) insertVotes.run(id, ...r.votes);
      if (r.referenceVotes) insertReferenceVotes(db, id, r.referenceVotes);
    }
    return { inserted, skipped: records.length - inserted, ids };
  });
}

export function hasSourceRef(db: ProjectDb, sourceRef: string): boolean {
  return db.stmt<[string], number>('SELECT 1 FROM samples WHERE source_ref = ?', 'pluck').get(sourceRef) !== undefined;
}

/** Every stored sourceRef (optionally of one dataset kind), for importers to skip decoding them. */
export function existingSourceRefs(db: ProjectDb, dataset?: DatasetKind): Set<string> {
  const refs = dataset
    ? db.stmt<[string], string>('SELECT source_ref FROM samples WHERE dataset = ?', 'pluck').all(dataset)
    : db.stmt<[], string>('SELECT source_ref FROM samples', 'pluck').all();
  return new Set(refs);
}

export interface SampleAnnotation {
  annotator: string;
  kind: AnnotatorKind;
  label: LabelCode;
}

export interface SampleDetail {
  id: SampleId;
  sourceRef: string;
  dataset: DatasetKind;
  split: Split;
  width: number;
  height: number;
  pixels: Uint8Array;
  originalPath: string | null;
  faceBox: FaceBox | null;
  givenLabel: LabelCode | null;
  currentLabel: LabelCode | null;
  reviewed: boolean;
  lastAction: DecisionAction | null;
  valence: number | null;
  arousal: number | null;
  extra: Record<string, unknown> | null;
  importJobId: number | null;
  annotations: SampleAnnotation[];
  /** Vote counts by LabelCode (length 12), or null when the face has none. */
  votes: number[] | null;
  history: LabelDecision[];
}

interface SampleRow {
  id: number;
  source_ref: string;
  dataset: DatasetKind;
  split: Split;
  width: number;
  height: number;
  pixels: Buffer;
  original_path: string | null;
  face_x: number | null;
  face_y: number | null;
  face_w: number | null;
  face_h: number | null;
  given_label: number | null;
  current_label: number | null;
  last_action: DecisionAction | null;
  valence: number | null;
  arousal: number | null;
  extra: string | null;
  import_job_id: number | null;
}

/** One face with its pixels, annotations, votes and label history; null when the id is unknown. */
export function getSample(db: ProjectDb, id: SampleId | number): SampleDetail | null {
  const row = db
    .stmt<[number], SampleRow>(`SELECT s.*, l.current_label, l.last_action FROM samples s JOIN sample_labels l ON l.sample_id = s.id WHERE s.id = ?`)
    .get(id);
  if (!row) return null;
  const annotations = db
    .stmt<[number], SampleAnnotation>(
      'SELECT a.name AS annotator, a.kind, n.label FROM annotations n JOIN annotators a ON a.id = n.annotator_id WHERE n.sample_id = ? ORDER BY a.id',
    )
    .all(id);
  const votes = db.stmt<[number], number[]>(`SELECT ${VOTE_COLUMN_LIST} FROM sample_votes WHERE sample_id = ?`, 'raw').get(id) ?? null;
  return {
    id: row.id as SampleId,
    sourceRef: row.source_ref,
    dataset: row.dataset,
    split: row.split,
    width: row.width,
    height: row.height,
    pixels: new Uint8Array(row.pixels),
    originalPath: row.original_path,
    faceBox: row.face_x === null ? null : { x: row.face_x, y: row.face_y!, width: row.face_w!, height: row.face_h! },
    givenLabel: row.given_label,
    currentLabel: row.current_label,
    reviewed: row.last_action !== null,
    lastAction: row.last_action,
    valence: row.valence,
    arousal: row.arousal,
    extra: row.extra === null ? null : JSON.parse(row.extra),
    importJobId: row.import_job_id,
    annotations,
    votes,
    history: labelHistory(db, id),
  };
}

/** counts[split][code] = faces; index NUM_LABEL_CODES (12) counts faces without a label. */
export type LabelCounts = Record<Split, number[]>;

/** Faces per split and label, by the given label or by the current (reviewed) label. */
export function countSamplesByLabel(db: ProjectDb, by: 'given' | 'current' = 'given'): LabelCounts {
  // The given label is read from the table itself: no need to derive current labels for it.
  const sql =
    by === 'given'
      ? 'SELECT split, given_label AS label, count(*) AS n FROM samples GROUP BY split, given_label'
      : 'SELECT split, current_label AS label, count(*) AS n FROM sample_labels GROUP BY split, current_label';
  const rows = db.stmt<[], { split: Split; label: number | null; n: number }>(sql).all();
  const out: LabelCounts = { train: zeros(), valid: zeros(), test: zeros() };
  for (const r of rows) out[r.split][r.label ?? NUM_LABEL_CODES] += r.n;
  return out;
}

function zeros(): number[] {
  return new Array(NUM_LABEL_CODES + 1).fill(0);
}
