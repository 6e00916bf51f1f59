/**
 * FER2013 as Kaggle ships it: `fer2013.csv` with columns emotion, pixels, Usage; each face is
 * 2304 space-separated grey values (48x48). Emotions use FER2013's order (0 angry, 1 disgust,
 * 2 fear, 3 happy, 4 sad, 5 surprise, 6 neutral) and are mapped to ours by name. Usage
 * Training/PublicTest/PrivateTest -> train/valid/test. sourceRef is `fer2013:row:<n>` with n
 * the 0-based data row (the index FER+ uses).
 *
 * Optionally joined with FER+'s `fer2013new.csv` by ROW ORDER (its image names drift from the
 * row numbers, so the names are never used to join): the 10 crowd votes become `votes`, the
 * given label becomes the FER+ majority (or null), and the Kaggle label is kept in
 * extra.fer2013Label. FER+ rows without an image name (FER+ found no face) are kept with their
 * votes and flagged by extra.ferplusNoImage. By default the join happens when fer2013new.csv
 * sits beside fer2013.csv; `ferPlusCsv: null` turns it off.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ImportItem, LabelCode, SampleRecord, Split } from '../../api/domain.ts';
import { readCsvFile } from './csv-stream.ts';
import type { CsvFileRecord } from './csv-stream.ts';
import { fitGrey } from './grey-resample.ts';
import { parseVotes, voteColumns } from './ferplus-votes.ts';
import { issueItem, issueTask, resolveOptions, runImportTasks, sampleItem, skippedTask } from './import-pipeline.ts';
import type { CommonImportOptions, ImportTask, ResolvedOptions } from './import-pipeline.ts';
import { FER2013_TO_LABEL, ferPlusMajority } from './label-names.ts';

export interface Fer2013Options extends CommonImportOptions {
  /** Path of FER+'s fer2013new.csv; undefined = use the one beside fer2013.csv if present; null = no join. */
  ferPlusCsv?: string | null;
}

const SIDE = 48;
const USAGE_TO_SPLIT: Record<string, Split> = { training: 'train', publictest: 'valid', privatetest: 'test' };

/** Parse 2304 space-separated integers 0..255 without building 2304 strings. */
export function parsePixelText(text: string): Uint8Array | string {
  const out = new Uint8Array(SIDE * SIDE);
  let n = 0;
  let v = -1;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : 32;
    if (c >= 48 && c <= 57) {
      v = (v < 0 ? 0 : v * 10) + (c - 48);
      if (v > 255) return `pixel value ${n + 1} is above 255`;
    } else if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (v >= 0) {
        if (n >= out.length) return `more than ${out.length} pixel values`;
        out[n++] = v;
        v = -1;
      }
    } else {
      return `pixel value ${n + 1} is not an integer (character "${text[i]}")`;
    }
  }
  if (n !== out.length) return `expected ${out.length} pixel values, got ${n}`;
  return out;
}

function columnsOf(header: string[]): Map<string, number> {
  return new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
}

interface Join {
  file: string;
  records: AsyncIterator<CsvFileRecord>;
  columns: ReturnType<typeof voteColumns>;
  nameIndex: number;
  usageIndex: number;
  rows: number;
}

async function openJoin(path: string): Promise<Join | string> {
  const records = readCsvFile(path, { quotedNewlines: false })[Symbol.asyncIterator]();
  const first = await records.next();
  if (first.done) return 'empty file';
  const col = columnsOf(first.value.fields);
  const columns = voteColumns(first.value.fields);
  if ('missing' in columns) return `header lacks vote column "${columns.missing}"`;
  return { file: basename(path), records, columns, nameIndex: col.get('image name') ?? -1, usageIndex: col.get('usage') ?? -1, rows: 0 };
}

async function* fer2013Tasks(csvPath: string, join: Join | null, o: ResolvedOptions, progress: { rows: number }): AsyncGenerator<ImportTask> {
  const file = basename(csvPath);
  let col: Map<string, number> | null = null;
  let width = 0;
  let index = -1;
  let usageMismatchReported = false;
  for await (const rec of readCsvFile(csvPath, { quotedNewlines: false })) {
    if (col === null) {
      col = columnsOf(rec.fields);
      width = rec.fields.length;
      const missing = ['emotion', 'pixels', 'usage'].filter((n) => !col!.has(n));
      if (missing.length > 0) {
        yield issueTask({ file, line: rec.line, field: missing[0], message: `header lacks column(s) ${missing.join(', ')}; file skipped` }, 0);
        return;
      }
      continue;
    }
    index++;
    progress.rows++;
    // Advance the FER+ file in lockstep, whatever happens to this row, to keep the row-order join aligned.
    const plus = join ? await join.records.next() : null;
    if (plus && !plus.done) join!.rows++;
    if (rec.error) {
      yield issueTask({ file, line: rec.line, field: null, message: `malformed CSV row: ${rec.error}` });
      continue;
    }
    if (rec.fields.length !== width) {
      yield issueTask({ file, line: rec.line, field: null, message: `expected ${width} fields, got ${rec.fields.length}` });
      continue;
    }
    const emotionText = rec.fields[col.get('emotion')!].trim();
    const emotion = /^\d+$/.test(emotionText) ? Number(emotionText) : NaN;
    if (!(emotion >= 0 && emotion < FER2013_TO_LABEL.length)) {
      yield issueTask({ file, line: rec.line, field: 'emotion', message: `unknown FER2013 emotion code "${emotionText}" (expected 0..6)` });
      continue;
    }
    const usage = rec.fields[col.get('usage')!].trim();
    const split = USAGE_TO_SPLIT[usage.toLowerCase()];
    if (!split) {
      yield issueTask({ file, line: rec.line, field: 'Usage', message: `unknown Usage "${usage}" (expected Training, PublicTest or PrivateTest)` });
      continue;
    }
    const pixels = parsePixelText(rec.fields[col.get('pixels')!]);
    if (typeof pixels === 'string') {
      yield issueTask({ file, line: rec.line, field: 'pixels', message: pixels });
      continue;
    }
    const kaggleLabel: LabelCode = FER2013_TO_LABEL[emotion];
    let givenLabel: LabelCode | null = kaggleLabel;
    let votes: number[] | null = null;
    let extra: Record<string, unknown> | null = null;
    const remarks: ImportItem[] = [];
    if (join && plus && !plus.done) {
      const p = plus.value;
      if (p.error || 'missing' in join.columns) {
        yield issueTask({ file: join.file, line: p.line, field: null, message: `malformed CSV row: ${p.error}` });
        continue;
      }
      const v = parseVotes(p.fields, join.columns.columns, join.file, p.line);
      if (!Array.isArray(v)) {
        yield issueTask(v);
        continue;
      }
      votes = v;
      givenLabel = ferPlusMajority(v);
      const name = join.nameIndex >= 0 ? (p.fields[join.nameIndex] ?? '').trim() : '';
      extra = { fer2013Label: kaggleLabel, ferplusImage: name || null, ...(name ? {} : { ferplusNoImage: true }) };
      const plusUsage = join.usageIndex >= 0 ? (p.fields[join.usageIndex] ?? '').trim() : usage;
      if (plusUsage !== usage && !usageMismatchReported) {
        usageMismatchReported = true;
        remarks.push(issueItem({ file: join.file, line: p.line, field: 'Usage', message: `Usage "${plusUsage}" differs from ${file} line ${rec.line} ("${usage}"): the row-order join may be misaligned (first mismatch only)` }));
      }
    }
    const ref = `fer2013:row:${index}`;
    if (o.skip(ref)) {
      yield remarks.length ? { kind: 'items', items: remarks, unit: 1 } : skippedTask();
      continue;
    }
    const make = (px: Uint8Array): SampleRecord => ({
      sourceRef: ref, dataset: 'fer2013', split, width: o.size.width, height: o.size.height, pixels: px, originalPath: null,
      faceBox: null, givenLabel, valence: null, arousal: null, annotations: [], votes, extra,
    });
    // Another size: the same JS resampler as a boxed image file (grey-resample.ts), microseconds a row.
    const px = o.size.width === SIDE && o.size.height === SIDE ? pixels : fitGrey(pixels, SIDE, SIDE, o.size, o.fit);
    yield { kind: 'items', items: [...remarks, sampleItem(make(px))], unit: 1 };
  }
  if (col === null) {
    yield issueTask({ file, line: null, field: null, message: 'empty file' }, 0);
    return;
  }
  if (join) {
    while (!(await join.records.next()).done) join.rows++;
    const dataRows = index + 1;
    if (join.rows !== dataRows) {
      yield issueTask({ file: join.file, line: null, field: null, message: `has ${join.rows} data rows but ${file} has ${dataRows}: joined by row order, so rows beyond the shorter file have no FER+ votes` }, 0);
    }
  }
}

export async function* readFer2013(path: string, options: Fer2013Options = {}): AsyncGenerator<ImportItem> {
  const o = resolveOptions(options);
  if (!existsSync(path)) {
    yield issueItem({ file: path, line: null, field: null, message: 'no such file or folder' });
    return;
  }
  const csvPath = statSync(path).isDirectory() ? join(path, 'fer2013.csv') : resolve(path);
  if (!existsSync(csvPath)) {
    yield issueItem({ file: path, line: null, field: null, message: 'no fer2013.csv in this folder' });
    return;
  }
  let plusPath = options.ferPlusCsv;
  if (plusPath === undefined) {
    const beside = join(dirname(csvPath), 'fer2013new.csv');
    plusPath = existsSync(beside) ? beside : null;
  }
  let joinState: Join | null = null;
  if (plusPath) {
    const j = existsSync(plusPath) ? await openJoin(plusPath) : 'no such file';
    if (typeof j === 'string') yield issueItem({ file: basename(plusPath), line: null, field: null, message: `${j}; importing without FER+ votes` });
    else joinState = j;
  }
  // About 5 bytes per pixel value: 2304 values make a row of ~8.4 kB, so the file size gives the row count to within a few percent.
  const size = statSync(csvPath).size;
  const progress = { rows: 0 };
  try {
    yield* runImportTasks(fer2013Tasks(csvPath, joinState, o, progress), o, () => Math.max(progress.rows, Math.round(size / 8400)));
  } finally {
    await joinState?.records.return?.();
  }
}
