/**
 * AffectNet (manually annotated part): `Manually_Annotated_file_lists/training.csv` and
 * `validation.csv` with columns subDirectory_filePath, face_x, face_y, face_width, face_height,
 * facial_landmarks, expression, valence, arousal, and images under `Manually_Annotated_Images/`.
 * Streams ~290k rows without holding the CSV: one record at a time, progress estimated from
 * the bytes read so far.
 *
 * Splits: training.csv -> train, except a deterministic `validFraction` (default 5%) held out as
 * `valid` by a hash of the image path (stable across runs and machines); validation.csv ->
 * `test`, because the official validation set is what the literature reports as AffectNet's
 * test set, and tuning on it would make our figures incomparable.
 *
 * Labels: expression 0..7 are our classes (AffectNet's order is the project's order), 8 none,
 * 9 uncertain, 10 non-face; all are kept as the given label and as the one annotation of
 * annotator `affectnet`. Valence/arousal of -2 mean "none" and become null.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { FaceBox, ImportIssue, Split } from '../../api/domain.ts';
import { ownString, readCsvFile } from './csv-stream.ts';
import { decodeFaceImage } from './face-image.ts';
import { isHeldOut, issueItem, issueTask, parseNumber, resolveOptions, runImportTasks, sampleItem, skippedTask } from './import-pipeline.ts';
import type { CommonImportOptions, ImportTask, ResolvedOptions } from './import-pipeline.ts';
import type { ImportItem } from '../../api/domain.ts';

export interface AffectNetOptions extends CommonImportOptions {
  /** Folder the `subDirectory_filePath` values are relative to. Default: `Manually_Annotated_Images` found beside the CSVs. */
  imageRoot?: string;
  /** Fraction of training.csv held out as `valid`. Default 0.05. */
  validFraction?: number;
}

export const AFFECTNET_ANNOTATOR = 'affectnet';
const LIST_DIR = 'Manually_Annotated_file_lists';
const IMAGE_DIR = 'Manually_Annotated_Images';
const REQUIRED = ['subdirectory_filepath', 'face_x', 'face_y', 'face_width', 'face_height', 'expression'] as const;

interface AffectNetCsv {
  path: string;
  /** training.csv (hold-out applies) or validation.csv (-> test). */
  role: 'training' | 'validation';
}

/** The CSVs to read, given a root, the file-list folder or one CSV. */
export function findAffectNetCsvs(path: string): AffectNetCsv[] {
  const role = (p: string): AffectNetCsv['role'] => (/valid/i.test(basename(p)) ? 'validation' : 'training');
  if (statSync(path).isFile()) return [{ path: resolve(path), role: role(path) }];
  for (const dir of [join(path, LIST_DIR), path]) {
    const found = ['training.csv', 'validation.csv'].map((n) => join(dir, n)).filter((p) => existsSync(p));
    if (found.length > 0) return found.map((p) => ({ path: resolve(p), role: role(p) }));
  }
  return [];
}

function defaultImageRoot(path: string, csvs: AffectNetCsv[]): string {
  const base = statSync(path).isFile() ? dirname(resolve(path)) : resolve(path);
  const csvDir = csvs.length > 0 ? dirname(csvs[0].path) : base;
  for (const d of [join(base, IMAGE_DIR), join(csvDir, IMAGE_DIR), join(dirname(csvDir), IMAGE_DIR)]) if (existsSync(d)) return d;
  return base;
}

interface Row {
  ref: string;
  relPath: string;
  box: FaceBox;
  expression: number;
  valence: number | null;
  arousal: number | null;
}

/** Validate one data row; returns the row or the issue naming the first bad field. */
function parseRow(fields: string[], col: Map<string, number>, file: string, line: number): Row | ImportIssue {
  const bad = (field: string, message: string): ImportIssue => ({ file, line, field, message });
  const get = (name: string) => fields[col.get(name)!] ?? '';
  const relPath = get('subdirectory_filepath').trim();
  if (relPath === '') return bad('subDirectory_filePath', 'empty image path');
  const box: Record<string, number> = {};
  for (const name of ['face_x', 'face_y', 'face_width', 'face_height']) {
    const v = parseNumber(get(name));
    if (v === null) return bad(name, `not a number: "${get(name)}"`);
    if (v < 0 || ((name === 'face_width' || name === 'face_height') && v <= 0)) return bad(name, `out of range: ${v}`);
    box[name] = v;
  }
  const ex = parseNumber(get('expression'));
  if (ex === null) return bad('expression', `not a number: "${get('expression')}"`);
  if (!Number.isInteger(ex) || ex < 0 || ex > 10) return bad('expression', `unknown expression code ${ex} (expected 0..10)`);
  const va: (number | null)[] = [];
  for (const name of ['valence', 'arousal']) {
    if (!col.has(name)) {
      va.push(null);
      continue;
    }
    const v = parseNumber(get(name));
    if (v === null) return bad(name, `not a number: "${get(name)}"`);
    if (v === -2) va.push(null);
    else if (v < -1 || v > 1) return bad(name, `out of range [-1, 1] (or -2 for none): ${v}`);
    else va.push(v);
  }
  const b: FaceBox = { x: box.face_x, y: box.face_y, width: box.face_width, height: box.face_height };
  return { ref: `affectnet:${relPath}`, relPath, box: b, expression: ex, valence: va[0], arousal: va[1] };
}

async function* affectNetTasks(csvs: AffectNetCsv[], imageRoot: string, o: ResolvedOptions, validFraction: number, progress: { rows: number; bytes: number }): AsyncGenerator<ImportTask> {
  const seen = new Set<string>();
  let bytesBefore = 0;
  for (const csv of csvs) {
    const file = basename(csv.path);
    let col: Map<string, number> | null = null;
    let width = 0;
    let rows = 0;
    let headerOk = false;
    for await (const rec of readCsvFile(csv.path, { quotedNewlines: false })) {
      progress.bytes = bytesBefore + rec.bytesRead;
      if (col === null) {
        col = new Map(rec.fields.map((f, i) => [f.trim().toLowerCase(), i]));
        width = rec.fields.length;
        const missing = REQUIRED.filter((n) => !col!.has(n));
        if (rec.error || missing.length > 0) {
          yield issueTask({ file, line: rec.line, field: missing[0] ?? null, message: rec.error ?? `header lacks column(s) ${missing.join(', ')}; file skipped` }, 0);
          break;
        }
        headerOk = true;
        continue;
      }
      rows++;
      progress.rows++;
      if (rec.error) {
        yield issueTask({ file, line: rec.line, field: null, message: `malformed CSV row: ${rec.error}` });
        continue;
      }
      if (rec.fields.length !== width) {
        yield issueTask({ file, line: rec.line, field: null, message: `expected ${width} fields, got ${rec.fields.length}` });
        continue;
      }
      const row = parseRow(rec.fields, col, file, rec.line);
      if ('message' in row) {
        yield issueTask(row);
        continue;
      }
      if (seen.has(row.ref)) {
        yield issueTask({ file, line: rec.line, field: 'subDirectory_filePath', message: `duplicate image ${row.relPath}` });
        continue;
      }
      seen.add(ownString(row.ref));
      if (o.skip(row.ref)) {
        yield skippedTask();
        continue;
      }
      const split: Split = csv.role === 'validation' ? 'test' : isHeldOut(row.relPath, validFraction) ? 'valid' : 'train';
      const line = rec.line;
      const imagePath = join(imageRoot, row.relPath);
      yield {
        kind: 'decode',
        unit: 1,
        run: async (): Promise<ImportItem[]> => {
          const r = await decodeFaceImage({ path: imagePath, box: row.box, size: o.size, fit: o.fit, autoOrient: false });
          if (!r.ok) return [issueItem({ file, line, field: r.problem === 'box' ? 'face_x' : 'subDirectory_filePath', message: r.message })];
          return [
            sampleItem({
              sourceRef: row.ref,
              dataset: 'affectnet',
              split,
              width: o.size.width,
              height: o.size.height,
              pixels: r.pixels,
              originalPath: imagePath,
              faceBox: row.box,
              givenLabel: row.expression,
              valence: row.valence,
              arousal: row.arousal,
              annotations: [{ annotator: AFFECTNET_ANNOTATOR, label: row.expression }],
              votes: null,
              extra: null,
            }),
          ];
        },
      };
    }
    if (col === null) yield issueTask({ file, line: null, field: null, message: 'empty file' }, 0);
    else if (headerOk && rows === 0) yield issueTask({ file, line: null, field: null, message: 'no data rows' }, 0);
    bytesBefore += statSync(csv.path).size;
  }
}

export async function* readAffectNet(path: string, options: AffectNetOptions = {}): AsyncGenerator<ImportItem> {
  const o = resolveOptions(options);
  const validFraction = options.validFraction ?? 0.05;
  if (!existsSync(path)) {
    yield { kind: 'issue', issue: { file: path, line: null, field: null, message: 'no such file or folder' } };
    return;
  }
  const csvs = findAffectNetCsvs(path);
  if (csvs.length === 0) {
    yield { kind: 'issue', issue: { file: path, line: null, field: null, message: `no training.csv or validation.csv (looked in ${LIST_DIR}/ and the folder itself)` } };
    return;
  }
  const imageRoot = options.imageRoot ? resolve(options.imageRoot) : defaultImageRoot(path, csvs);
  const totalBytes = csvs.reduce((s, c) => s + statSync(c.path).size, 0);
  const progress = { rows: 0, bytes: 0 };
  // Rows so far scaled by the bytes still to read: good to a fraction of a percent after a few thousand rows.
  const total = () => (progress.rows > 0 && progress.bytes > 0 ? Math.max(progress.rows, Math.round((progress.rows * totalBytes) / progress.bytes)) : null);
  yield* runImportTasks(affectNetTasks(csvs, imageRoot, o, validFraction, progress), o, total);
}
