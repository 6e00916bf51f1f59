/**
 * Reads a split as dense arrays ready for training or analysis: pixels as bytes (1 byte per
 * pixel, b standing for b / 255; trainers convert a batch at a time), labels (given, or
 * current after review), raw vote counts and the identified annotators' labels in coordinate
 * form. The labels are read first and sorted by id; the pixels are then streamed row by row
 * into one byte array, so no more than one blob is held beside it, and 30,000 faces load in
 * well under a second. A train load leaves out the dev-test carve.
 */
import { NUM_LABEL_CODES, isClassLabel, type Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import type { AnnotatorKind } from './annotator-store.ts';
import { getProjectInfo } from './project-store.ts';
import { VOTE_COLUMNS } from './sample-store.ts';

export interface TrainingMatrixOptions {
  split: Split;
  /** 'current' applies review decisions (relabels, not_face); default 'current'. */
  labels?: 'given' | 'current';
  /** Keep only faces whose label is a class 0..7 (default true). Otherwise y is -1 where there is no label. */
  onlyClassLabels?: boolean;
  /** Leave out faces whose latest review decision is 'ambiguous' (default false). */
  excludeAmbiguous?: boolean;
}

/** Identified annotators' labels of the loaded faces, one entry per annotation. */
export interface AnnotationMatrix {
  annotators: { id: number; name: string; kind: AnnotatorKind }[];
  /** Row of the face in `ids` / `x`. */
  row: Int32Array;
  /** Index into `annotators`. */
  annotator: Int32Array;
  label: Int32Array;
}

export interface TrainingMatrix {
  ids: Int32Array;
  height: number;
  width: number;
  /** Pixels, row-major bytes (b stands for b / 255): row xRows[r] (or r) holds face r. */
  x: Uint8Array;
  /** Row of `x` holding face r when a subset shares the loaded bytes; absent: row r. */
  xRows?: Int32Array;
  y: Int32Array;
  /** Latest effective review decision per face ('relabel', 'confirm', 'ambiguous', 'not_face'), null when unreviewed. */
  lastAction: (string | null)[];
  /** n * 12 raw vote counts by LabelCode (rows of zeros: no votes), or null when no loaded face has votes. */
  votes: Float32Array | null;
  annotations: AnnotationMatrix;
}

const BYTE_TO_UNIT = Float32Array.from({ length: 256 }, (_, i) => i / 255);

export function loadTrainingMatrix(db: ProjectDb, options: TrainingMatrixOptions): TrainingMatrix {
  // One read transaction: the label pass and the pixel pass see the same snapshot while a job writes.
  return db.sqlite.transaction(() => readMatrix(db, options)).deferred();
}

function readMatrix(db: ProjectDb, options: TrainingMatrixOptions): TrainingMatrix {
  const { height, width } = getProjectInfo(db).inputSize;
  const size = height * width;
  const labelColumn = (options.labels ?? 'current') === 'given' ? 's.given_label' : 'l.current_label';
  const onlyClass = options.onlyClassLabels ?? true;
  const where = [
    's.split = ?',
    onlyClass ? `${labelColumn} BETWEEN 0 AND 7` : '1',
    options.excludeAmbiguous ? "(l.last_action IS NULL OR l.last_action <> 'ambiguous')" : '1',
    // The dev-test carve (db/dev-test-store.ts) is never part of a train load: this is the one
    // place every trainer, fold model and child gets its train faces from.
    options.split === 'train' ? 'NOT EXISTS (SELECT 1 FROM dev_test_samples d WHERE d.sample_id = s.id)' : '1',
  ].join(' AND ');
  const from = `FROM samples s JOIN sample_labels l ON l.sample_id = s.id WHERE ${where}`;
  // Sorted here, not by ORDER BY: SQLite would sort the rows in a temp b-tree.
  const rows = db
    .stmt<[string], [number, number, number, number | null, string | null]>(`SELECT s.id, s.width, s.height, ${labelColumn}, l.last_action ${from}`, 'raw')
    .all(options.split)
    .sort((a, b) => a[0] - b[0]);

  const n = rows.length;
  const ids = new Int32Array(n);
  const y = new Int32Array(n);
  const lastAction: (string | null)[] = new Array<string | null>(n);
  const rowOf = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const [id, w, h, label, action] = rows[i];
    lastAction[i] = action;
    if (w !== width || h !== height) throw new Error(`${db.path}: sample ${id} is ${w}x${h}, the project's input size is ${width}x${height}`);
    ids[i] = id;
    y[i] = label === null ? -1 : label;
    if (onlyClass && !isClassLabel(y[i])) throw new Error(`sample ${id}: label ${label} is not a class`);
    rowOf.set(id, i);
  }
  // One blob at a time: .all() would hold every face's Buffer beside the array they fill.
  const x = new Uint8Array(n * size);
  let filled = 0;
  for (const [id, pixels] of db.stmt<[string], [number, Buffer]>(`SELECT s.id, s.pixels ${from}`, 'raw').iterate(options.split)) {
    const i = rowOf.get(id);
    if (i === undefined) continue;
    if (pixels.length !== size) throw new Error(`${db.path}: sample ${id} has ${pixels.length} pixels, the project's input size is ${width}x${height}`);
    x.set(pixels, i * size);
    filled++;
  }
  if (filled !== n) throw new Error(`${db.path}: ${n - filled} ${options.split} faces changed while their pixels were read`);

  let votes: Float32Array | null = null;
  const voteRows = db
    .stmt<[string], number[]>(`SELECT s.id, ${VOTE_COLUMNS.map((c) => `v.${c}`).join(', ')} FROM sample_votes v JOIN samples s ON s.id = v.sample_id WHERE s.split = ?`, 'raw')
    .all(options.split);
  for (const r of voteRows) {
    const i = rowOf.get(r[0]);
    if (i === undefined) continue;
    votes ??= new Float32Array(n * NUM_LABEL_CODES);
    for (let k = 0; k < NUM_LABEL_CODES; k++) votes[i * NUM_LABEL_CODES + k] = r[k + 1];
  }

  const annotationRows = db
    .stmt<[string], [number, number, number]>('SELECT n.sample_id, n.annotator_id, n.label FROM annotations n JOIN samples s ON s.id = n.sample_id WHERE s.split = ? ORDER BY n.sample_id, n.annotator_id', 'raw')
    .all(options.split);
  const annotators: AnnotationMatrix['annotators'] = [];
  const annotatorIndex = new Map<number, number>();
  const kept = annotationRows.filter((r) => rowOf.has(r[0]));
  const annotations: AnnotationMatrix = { annotators, row: new Int32Array(kept.length), annotator: new Int32Array(kept.length), label: new Int32Array(kept.length) };
  if (kept.length) {
    const meta = new Map(db.stmt<[], { id: number; name: string; kind: AnnotatorKind }>('SELECT id, name, kind FROM annotators').all().map((a) => [a.id, a]));
    kept.forEach(([sampleId, annotatorId, label], j) => {
      let a = annotatorIndex.get(annotatorId);
      if (a === undefined) {
        a = annotators.length;
        annotatorIndex.set(annotatorId, a);
        annotators.push(meta.get(annotatorId)!);
      }
      annotations.row[j] = rowOf.get(sampleId)!;
      annotations.annotator[j] = a;
      annotations.label[j] = label;
    });
  }
  return { ids, height, width, x, y, lastAction, votes, annotations };
}

/** A block of faces in id order (every split), pixels as bytes: for predicting a project in bounded memory. */
export interface PixelBlock {
  ids: Int32Array;
  x: Uint8Array;
}

/**
 * Up to `limit` faces with id > `afterId`, ascending: a range of the primary key, so reading a
 * project block by block costs one index seek per block and holds one block of bytes.
 */
export function readPixelBlock(db: ProjectDb, afterId: number, limit: number): PixelBlock {
  const { height, width } = getProjectInfo(db).inputSize;
  const size = height * width;
  const rows = db.stmt<[number, number], [number, Buffer]>('SELECT id, pixels FROM samples WHERE id > ? ORDER BY id LIMIT ?', 'raw').all(afterId, limit);
  const ids = new Int32Array(rows.length);
  const x = new Uint8Array(rows.length * size);
  rows.forEach(([id, pixels], i) => {
    if (pixels.length !== size) throw new Error(`${db.path}: sample ${id} has ${pixels.length} pixels, the project's input size is ${width}x${height}`);
    ids[i] = id;
    x.set(pixels, i * size);
  });
  return { ids, x };
}

/**
 * Pixels of the given faces in the given order (n * height * width in [0, 1]), e.g. the cases
 * of a child group or a page of faces to predict. Throws naming the first unknown id.
 */
export function loadPixelsByIds(db: ProjectDb, ids: ArrayLike<number>): Float32Array {
  const { height, width } = getProjectInfo(db).inputSize;
  const size = height * width;
  const x = new Float32Array(ids.length * size);
  const stmt = db.stmt<[number], Buffer>('SELECT pixels FROM samples WHERE id = ?', 'pluck');
  for (let i = 0; i < ids.length; i++) {
    const pixels = stmt.get(ids[i]);
    if (!pixels) throw new Error(`${db.path}: sample ${ids[i]} does not exist`);
    if (pixels.length !== size) throw new Error(`${db.path}: sample ${ids[i]} has ${pixels.length} pixels, the project's input size is ${width}x${height}`);
    const base = i * size;
    for (let k = 0; k < size; k++) x[base + k] = BYTE_TO_UNIT[pixels[k]];
  }
  return x;
}
