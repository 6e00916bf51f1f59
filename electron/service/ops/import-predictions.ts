/**
 * Another tool's predictions as a model of the project: a CSV with one face per row (its
 * sample_id, source_ref or source path) and the 8 class probabilities in columns named by
 * class. The model (kind 'imported', no weights) gets the predictions, is evaluated on the
 * splits it covers and scored like a trained one (analysis.ts analyzeImported), so the Review
 * queue can sort by it and the Evaluation view can compare it with the project's own models.
 *
 * Bad rows are reported with file, line, field and reason and left out; the rest is imported.
 * The model row and its predictions are written in one transaction: a crash leaves either no
 * model or the whole one, never a model with part of its predictions.
 */
import { basename, resolve } from 'node:path';
import { statSync } from 'node:fs';
import type { ImportPredictionsParams, ImportPredictionsResult, PredictionImportIssue } from '../../../api/contract.ts';
import { CLASS_NAMES, NUM_CLASSES, SPLITS, type ModelId, type Split } from '../../../api/domain.ts';
import { readCsvFile } from '../../../core/datasets/csv-stream.ts';
import { labelCodeFromName } from '../../../core/datasets/label-names.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { analyzeModel } from './analysis.ts';
import { evaluateModel } from './evaluation.ts';

/** Header names of the face column, in the order they are looked for. */
export const FACE_COLUMNS = ['sample_id', 'face_id', 'source_ref', 'source_path', 'path'] as const;
type FaceColumn = (typeof FACE_COLUMNS)[number];

/** How far a row's probabilities may sum from 1 (rounded CSV output); the row is renormalised. */
export const SUM_TOLERANCE = 0.01;
/** Issues kept in the result and the model's record; the count is always exact. */
export const MAX_ISSUES = 200;

export class PredictionFileError extends Error {}

interface Header {
  face: { column: FaceColumn; index: number };
  /** Column index of each class 0..7. */
  classes: number[];
  ignored: string[];
}

/** Finds the face column and the 8 class columns (any order, any of the class names' spellings). */
export function parsePredictionHeader(file: string, fields: string[]): Header {
  const names = fields.map((f) => f.trim().toLowerCase());
  const faceCol = FACE_COLUMNS.find((c) => names.includes(c));
  if (!faceCol) throw new PredictionFileError(`${file}: line 1: no face column; name one of ${FACE_COLUMNS.join(', ')} (found ${names.join(', ') || 'an empty header'})`);
  const classes: number[] = new Array(NUM_CLASSES).fill(-1);
  const ignored: string[] = [];
  names.forEach((n, i) => {
    if (i === names.indexOf(faceCol)) return;
    const code = labelCodeFromName(n);
    if (code !== null && code < NUM_CLASSES) {
      if (classes[code] >= 0) throw new PredictionFileError(`${file}: line 1: columns "${fields[classes[code]]}" and "${fields[i]}" are both the class ${CLASS_NAMES[code]}`);
      classes[code] = i;
    } else ignored.push(fields[i]);
  });
  const missing = CLASS_NAMES.filter((_, c) => classes[c] < 0);
  if (missing.length) throw new PredictionFileError(`${file}: line 1: no column for ${missing.join(', ')}; the 8 classes are ${CLASS_NAMES.join(', ')}`);
  return { face: { column: faceCol, index: names.indexOf(faceCol) }, classes, ignored };
}

/** The project's faces by each kind of reference the face column may hold. */
class FaceIndex {
  private ids: Set<number> | null = null;
  private refs: Map<string, number> | null = null;
  private paths: Map<string, number> | null = null;
  /** Basename -> faces whose original path ends with it, for paths relative to the dataset folder. */
  private byBase: Map<string, [string, number][]> | null = null;
  private readonly splitOf = new Map<number, Split>();

  constructor(private readonly db: ProjectDb) {
    for (const r of db.stmt<[], { id: number; split: Split }>('SELECT id, split FROM samples').all()) this.splitOf.set(r.id, r.split);
  }

  split(id: number): Split {
    return this.splitOf.get(id)!;
  }

  /** The face id, or a reason it has none. */
  resolve(column: FaceColumn, value: string): number | string {
    const v = value.trim();
    if (v === '') return 'empty';
    if (column === 'sample_id' || column === 'face_id') {
      const id = Number(v);
      if (!Number.isInteger(id) || id < 1) return `"${v}" is not a face id`;
      return this.splitOf.has(id) ? id : `no face ${id} in this project`;
    }
    if (column === 'source_ref') {
      this.refs ??= new Map(this.db.stmt<[], [string, number]>('SELECT source_ref, id FROM samples', 'raw').all());
      return this.refs.get(v) ?? `no face with source_ref "${v}" in this project`;
    }
    if (!this.paths) {
      this.paths = new Map();
      this.byBase = new Map();
      for (const [p, id] of this.db.stmt<[], [string, number]>('SELECT original_path, id FROM samples WHERE original_path IS NOT NULL', 'raw').all()) {
        const norm = p.replace(/\\/g, '/');
        this.paths.set(norm, id);
        const base = norm.slice(norm.lastIndexOf('/') + 1);
        const list = this.byBase.get(base);
        if (list) list.push([norm, id]);
        else this.byBase.set(base, [[norm, id]]);
      }
    }
    const norm = v.replace(/\\/g, '/');
    const exact = this.paths.get(norm);
    if (exact !== undefined) return exact;
    // A path relative to the dataset's folder ("FER2013Train/fer0000001.png") matches the
    // imported file whose path ends with it at a folder boundary, when exactly one does.
    const base = norm.slice(norm.lastIndexOf('/') + 1);
    const suffix = norm.startsWith('/') ? norm : `/${norm}`;
    const hits = (this.byBase!.get(base) ?? []).filter(([p]) => p.endsWith(suffix)).map(([, id]) => id);
    if (hits.length === 1) return hits[0];
    if (hits.length > 1) return `"${v}" matches ${hits.length} faces (${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ', ...' : ''}); give more of the path or the sample_id`;
    return `no face imported from a path ending in "${v}"`;
  }
}

export interface ImportPredictionsOptions {
  onProgress?: (p: { stage: 'read' | 'write' | 'evaluate' | 'score'; done: number; total: number | null }) => void;
}

/** Reads and checks the file; nothing is written. */
export async function readPredictionFile(db: ProjectDb, path: string, opts: ImportPredictionsOptions = {}): Promise<{
  header: Header;
  ids: number[];
  probs: Float32Array;
  rejected: number;
  issues: PredictionImportIssue[];
  faces: FaceIndex;
}> {
  const file = resolve(path);
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new PredictionFileError(`${file}: not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof PredictionFileError) throw e;
    throw new PredictionFileError(`${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const faces = new FaceIndex(db);
  let header: Header | null = null;
  const ids: number[] = [];
  const probs: number[] = [];
  const issues: PredictionImportIssue[] = [];
  let rejected = 0;
  const lineOf = new Map<number, number>();
  const reject = (line: number, field: string | null, message: string) => {
    rejected++;
    if (issues.length < MAX_ISSUES) issues.push({ file: basename(file), line, field, message });
  };
  const row = new Array<number>(NUM_CLASSES);
  for await (const rec of readCsvFile(file, { quotedNewlines: false })) {
    if (!header) {
      header = parsePredictionHeader(file, rec.fields);
      continue;
    }
    if (rec.fields.length === 1 && rec.fields[0].trim() === '') continue;
    if ((ids.length + rejected) % 5000 === 0) opts.onProgress?.({ stage: 'read', done: rec.bytesRead, total: size });
    if (rec.error) {
      reject(rec.line, null, rec.error);
      continue;
    }
    const faceField = rec.fields[header.face.index] ?? '';
    const face = faces.resolve(header.face.column, faceField);
    if (typeof face === 'string') {
      reject(rec.line, header.face.column, face);
      continue;
    }
    let bad: { field: string; message: string } | null = null;
    let sum = 0;
    for (let c = 0; c < NUM_CLASSES && !bad; c++) {
      const text = (rec.fields[header.classes[c]] ?? '').trim();
      const v = text === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(v) || v < 0 || v > 1) bad = { field: CLASS_NAMES[c], message: `"${text}" is not a probability in [0, 1]` };
      row[c] = v;
      sum += v;
    }
    if (!bad && Math.abs(sum - 1) > SUM_TOLERANCE) bad = { field: 'sum', message: `the 8 probabilities sum to ${sum.toFixed(4)}, not 1 (within ${SUM_TOLERANCE})` };
    if (bad) {
      reject(rec.line, bad.field, bad.message);
      continue;
    }
    const first = lineOf.get(face);
    if (first !== undefined) {
      reject(rec.line, header.face.column, `face ${face} was already given on line ${first}`);
      continue;
    }
    lineOf.set(face, rec.line);
    ids.push(face);
    for (let c = 0; c < NUM_CLASSES; c++) probs.push(row[c] / sum);
  }
  if (!header) throw new PredictionFileError(`${file}: empty file (expected a header and one row per face)`);
  if (ids.length === 0) {
    const first = issues[0];
    throw new PredictionFileError(`${file}: no row could be imported (${rejected} rejected${first ? `; line ${first.line}${first.field ? `, ${first.field}` : ''}: ${first.message}` : ''})`);
  }
  return { header, ids, probs: Float32Array.from(probs), rejected, issues, faces };
}

export async function importPredictions(db: ProjectDb, params: ImportPredictionsParams, opts: ImportPredictionsOptions = {}): Promise<ImportPredictionsResult> {
  const file = resolve(params.path);
  const read = await readPredictionFile(db, file, opts);
  const name = params.name?.trim() || basename(file).replace(/\.csv$/i, '');
  const perSplit: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  for (const id of read.ids) perSplit[read.faces.split(id)]++;
  const trainPredictions = params.trainPredictions ?? 'in-sample';
  const structure = {
    role: 'imported',
    sourceFile: basename(file),
    faceColumn: read.header.face.column,
    ignoredColumns: read.header.ignored,
    rows: read.ids.length,
    rejected: read.rejected,
    perSplit,
    trainPredictions,
    issues: read.issues.slice(0, 20),
  };
  opts.onProgress?.({ stage: 'write', done: 0, total: read.ids.length });
  const modelId = db.write(() => {
    const id = createModel(db, { kind: 'imported', name, filePath: '', inputSize: getProjectInfo(db).inputSize, structure });
    writePredictions(db, id, { sampleIds: read.ids, probs: read.probs });
    return id;
  });
  opts.onProgress?.({ stage: 'write', done: read.ids.length, total: read.ids.length });
  const evaluations: ImportPredictionsResult['evaluations'] = [];
  for (const split of SPLITS) {
    if (perSplit[split] === 0) continue;
    opts.onProgress?.({ stage: 'evaluate', done: evaluations.length, total: null });
    const e = await evaluateModel(db, modelId as ModelId, split, 'imported', { hashMissing: false });
    evaluations.push({ split, accuracy: e.accuracy, evaluated: e.n_evaluated });
  }
  opts.onProgress?.({ stage: 'score', done: 0, total: null });
  const analysis = await analyzeModel(db, modelId);
  return {
    modelId,
    name,
    sourceFile: basename(file),
    faceColumn: read.header.face.column,
    rows: read.ids.length,
    rejected: read.rejected,
    issues: read.issues,
    ignoredColumns: read.header.ignored,
    perSplit,
    trainPredictions,
    evaluations,
    analysisRunId: analysis.runId,
    warnings: analysis.warnings,
  };
}
