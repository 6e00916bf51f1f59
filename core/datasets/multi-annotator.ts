/**
 * A team's own multi-annotator CSV: a header with an image path column, an annotator column and
 * a label column (and optionally a split column), one row per (image, annotator) pair, in any
 * order. Rows are grouped per image in two passes: the first streams the CSV and keeps, per
 * image, only its first line, split and a packed list of (annotator index, label code) small
 * integers — never the CSV text — and reports bad rows as it meets them; the second decodes
 * the images in the order of their first appearance. Annotator identities are kept as
 * `annotations`; the given label is the class most annotators chose (ties, or no class label
 * at all -> null). Images are relative to the CSV's folder unless `imageRoot` is given.
 * Without a split column everything is train (`validFraction` holds out a hashed share).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { AnnotationInput, ImportItem, LabelCode, Split } from '../../api/domain.ts';
import { csvHeader, ownString, readCsvFile } from './csv-stream.ts';
import { decodeFaceImage } from './face-image.ts';
import { splitFromFolderName } from './image-folder.ts';
import { isHeldOut, issueItem, issueTask, resolveOptions, runImportTasks, sampleItem, skippedTask } from './import-pipeline.ts';
import type { CommonImportOptions, ImportTask, ResolvedOptions } from './import-pipeline.ts';
import { LABEL_CODE_NAMES } from '../../api/domain.ts';
import { labelCodeFromName, pluralityClass } from './label-names.ts';

export interface MultiAnnotatorOptions extends CommonImportOptions {
  /** Folder image paths are relative to. Default: the CSV's folder. */
  imageRoot?: string;
  /** Column names to use instead of the recognised ones. */
  columns?: { image?: string; annotator?: string; label?: string; split?: string };
  validFraction?: number;
}

/** Recognised header names (compared lower-case), first match wins. */
export const MULTI_COLUMN_NAMES = {
  image: ['image', 'image_path', 'imagepath', 'path', 'file', 'filename', 'file_name', 'image_name', 'img'],
  annotator: ['annotator', 'annotator_id', 'annotator_name', 'rater', 'rater_id', 'worker', 'worker_id', 'labeler', 'labeller', 'coder', 'user'],
  label: ['label', 'expression', 'emotion', 'class', 'category'],
  split: ['split', 'subset', 'set', 'usage'],
} as const;

type Role = keyof typeof MULTI_COLUMN_NAMES;

export function findMultiColumns(header: string[], override: MultiAnnotatorOptions['columns'] = {}): Partial<Record<Role, number>> {
  const lower = header.map((h) => h.trim().toLowerCase());
  const out: Partial<Record<Role, number>> = {};
  for (const role of Object.keys(MULTI_COLUMN_NAMES) as Role[]) {
    const wanted = override[role] ? [override[role]!.toLowerCase()] : MULTI_COLUMN_NAMES[role];
    const i = lower.findIndex((h) => (wanted as readonly string[]).includes(h));
    if (i >= 0) out[role] = i;
  }
  return out;
}

interface ImageEntry {
  line: number;
  split: Split | null;
  /** annotatorIndex * 16 + label code, one per annotator. */
  labels: number[];
}

const SPLIT_USAGE: Record<string, Split> = { publictest: 'valid', privatetest: 'test' };

async function* multiTasks(csvPath: string, imageRoot: string, o: ResolvedOptions, options: MultiAnnotatorOptions, counts: { units: number | null }): AsyncGenerator<ImportTask> {
  const file = basename(csvPath);
  const images = new Map<string, ImageEntry>();
  const annotators: string[] = [];
  const annotatorIndex = new Map<string, number>();
  let col: Partial<Record<Role, number>> | null = null;
  let headerNames: string[] = [];
  let width = 0;
  let rejected = 0;
  const reject = (line: number, field: string | null, message: string): ImportTask => {
    rejected++;
    return issueTask({ file, line, field, message });
  };
  // Pass 1: group rows by image, report bad rows.
  for await (const rec of readCsvFile(csvPath, { quotedNewlines: false })) {
    if (col === null) {
      col = findMultiColumns(rec.fields, options.columns);
      headerNames = rec.fields.map((h) => h.trim());
      width = rec.fields.length;
      const missing = (['image', 'annotator', 'label'] as const).filter((r) => col![r] === undefined);
      if (missing.length > 0) {
        yield issueTask({ file, line: rec.line, field: missing[0], message: `header has no ${missing.join(', ')} column (looked for ${missing.map((m) => MULTI_COLUMN_NAMES[m].join('/')).join('; ')}); file skipped` }, 0);
        return;
      }
      continue;
    }
    if (rec.error) {
      yield reject(rec.line, null, `malformed CSV row: ${rec.error}`);
      continue;
    }
    if (rec.fields.length !== width) {
      yield reject(rec.line, null, `expected ${width} fields, got ${rec.fields.length}`);
      continue;
    }
    const name = (r: Role) => headerNames[col![r]!];
    const image = rec.fields[col.image!].trim();
    const annotator = rec.fields[col.annotator!].trim();
    const labelText = rec.fields[col.label!].trim();
    if (image === '') {
      yield reject(rec.line, name('image'), 'empty image path');
      continue;
    }
    if (annotator === '') {
      yield reject(rec.line, name('annotator'), 'empty annotator');
      continue;
    }
    const label = labelCodeFromName(labelText);
    if (label === null) {
      yield reject(rec.line, name('label'), `unknown class name "${labelText}" (expected ${LABEL_CODE_NAMES.join(', ')} or a synonym)`);
      continue;
    }
    let split: Split | null = null;
    if (col.split !== undefined) {
      const t = rec.fields[col.split].trim();
      split = t === '' ? null : (splitFromFolderName(t) ?? SPLIT_USAGE[t.toLowerCase()] ?? null);
      if (t !== '' && split === null) {
        yield reject(rec.line, name('split'), `unknown split "${t}" (expected train, valid or test)`);
        continue;
      }
    }
    let a = annotatorIndex.get(annotator);
    if (a === undefined) {
      a = annotators.length;
      const own = ownString(annotator);
      annotators.push(own);
      annotatorIndex.set(own, a);
    }
    const entry = images.get(image);
    if (!entry) {
      images.set(ownString(image), { line: rec.line, split, labels: [a * 16 + label] });
      continue;
    }
    const previous = entry.labels.find((p) => Math.floor(p / 16) === a);
    if (previous !== undefined) {
      yield reject(rec.line, name('annotator'), `annotator "${annotator}" already labelled ${image} (as ${LABEL_CODE_NAMES[previous % 16]}); the first label is kept`);
      continue;
    }
    if (split !== null && entry.split !== null && split !== entry.split) {
      yield reject(rec.line, name('split'), `split "${split}" contradicts "${entry.split}" given for ${image} on line ${entry.line}; row skipped`);
      continue;
    }
    if (entry.split === null) entry.split = split;
    entry.labels.push(a * 16 + label);
  }
  if (col === null) {
    yield issueTask({ file, line: null, field: null, message: 'empty file' }, 0);
    return;
  }
  counts.units = images.size + rejected;
  // Pass 2: one face per image, in order of first appearance.
  const imageField = headerNames[col.image!];
  const validFraction = options.validFraction ?? 0;
  for (const [image, entry] of images) {
    images.delete(image); // release as we go
    const ref = `multi:${image.replace(/\\/g, '/')}`;
    if (o.skip(ref)) {
      yield skippedTask();
      continue;
    }
    const annotations: AnnotationInput[] = entry.labels.map((p) => ({ annotator: annotators[Math.floor(p / 16)], label: p % 16 }));
    const givenLabel: LabelCode | null = pluralityClass(annotations.map((x) => x.label));
    const split: Split = entry.split ?? (isHeldOut(image, validFraction) ? 'valid' : 'train');
    const path = isAbsolute(image) ? image : join(imageRoot, image);
    yield {
      kind: 'decode',
      unit: 1,
      run: async (): Promise<ImportItem[]> => {
        const r = await decodeFaceImage({ path, box: null, size: o.size, fit: o.fit, autoOrient: true });
        if (!r.ok) return [issueItem({ file, line: entry.line, field: imageField, message: r.message })];
        return [
          sampleItem({
            sourceRef: ref, dataset: 'multi', split, width: o.size.width, height: o.size.height, pixels: r.pixels, originalPath: path,
            faceBox: null, givenLabel, valence: null, arousal: null, annotations, votes: null, extra: null,
          }),
        ];
      },
    };
  }
}

/** The CSVs in a folder whose header has image, annotator and label columns. */
export function findMultiAnnotatorCsvs(dir: string, override: MultiAnnotatorOptions['columns'] = {}): string[] {
  return readdirSync(dir)
    .filter((n) => n.toLowerCase().endsWith('.csv'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => {
      const c = findMultiColumns(csvHeader(p), override);
      return c.image !== undefined && c.annotator !== undefined && c.label !== undefined;
    });
}

/** Read a team CSV, given as the file or as a folder holding exactly one such CSV. */
export async function* readMultiAnnotatorCsv(path: string, options: MultiAnnotatorOptions = {}): AsyncGenerator<ImportItem> {
  const o = resolveOptions(options);
  let csvPath = path;
  if (existsSync(path) && statSync(path).isDirectory()) {
    const found = findMultiAnnotatorCsvs(path, options.columns);
    if (found.length !== 1) {
      yield issueItem({ file: path, line: null, field: null, message: found.length === 0 ? 'no CSV with image, annotator and label columns in this folder' : `several annotation CSVs (${found.map((f) => basename(f)).join(', ')}): name one` });
      return;
    }
    csvPath = found[0];
  }
  if (!existsSync(csvPath) || !statSync(csvPath).isFile()) {
    yield issueItem({ file: csvPath, line: null, field: null, message: 'no such CSV file' });
    return;
  }
  const imageRoot = options.imageRoot ? resolve(options.imageRoot) : dirname(resolve(csvPath));
  const counts = { units: null as number | null };
  yield* runImportTasks(multiTasks(resolve(csvPath), imageRoot, o, options, counts), o, () => counts.units);
}
