/**
 * FER+ folder layout (what FER+'s own export step produces): a root with any subset of
 * FER2013Train/, FER2013Valid/, FER2013Test/ (-> train/valid/test), each holding PNGs and a
 * header-less `label.csv`: `name,"(x, y, w, h)",` then 10 vote counts in FER+ order (neutral,
 * happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF).
 *
 * The votes come from 10 anonymous crowd taggers per image: they are stored as counts in
 * `votes` (indexed by label code), not as invented annotators, whose identities FER+ does not
 * publish. Given label = the FER+ majority (an emotion with more than half of all votes),
 * otherwise null: such faces stay in the project (their votes matter for the ambiguity
 * analysis) but are not trained on as hard labels. sourceRef = `ferplus:<folder>/<png>`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ImportItem, SampleRecord, Split } from '../../api/domain.ts';
import { ownString, readCsvFile } from './csv-stream.ts';
import { decodeFaceImage } from './face-image.ts';
import { fewVotes } from './ferplus-subsample.ts';
import { parseBoxText, parseVotes } from './ferplus-votes.ts';
import { issueItem, issueTask, resolveOptions, runImportTasks, sampleItem, skippedTask } from './import-pipeline.ts';
import type { CommonImportOptions, ImportTask, ResolvedOptions } from './import-pipeline.ts';
import { FERPLUS_VOTE_NAMES, FERPLUS_TO_LABEL, ferPlusMajority } from './label-names.ts';

export interface FerPlusOptions extends CommonImportOptions {
  /** Keep this many of each face's votes (1..10) as its annotations; the full counts become reference labels. */
  votesPerFace?: number;
  /** Seed of that draw and of plurality ties (default 1). */
  voteSeed?: number;
}

/** Annotations and given label of a face: all 10 votes (FER+'s majority rule), or K of them. */
function labelsOf(votes: number[], ref: string, options: FerPlusOptions): Pick<SampleRecord, 'votes' | 'referenceVotes' | 'givenLabel'> {
  if (options.votesPerFace === undefined) return { votes, givenLabel: ferPlusMajority(votes) };
  const few = fewVotes(votes, options.votesPerFace, options.voteSeed ?? 1, ref);
  return { votes: few.votes, referenceVotes: votes, givenLabel: few.label };
}

export const FERPLUS_FOLDERS: readonly { folder: string; split: Split }[] = [
  { folder: 'FER2013Train', split: 'train' },
  { folder: 'FER2013Valid', split: 'valid' },
  { folder: 'FER2013Test', split: 'test' },
];

/** Vote columns of label.csv: fields 2..11, in FER+ order. */
const COLUMNS = FERPLUS_VOTE_NAMES.map((name, i) => ({ index: i + 2, code: FERPLUS_TO_LABEL[i], name }));

async function* ferPlusTasks(root: string, folders: typeof FERPLUS_FOLDERS, o: ResolvedOptions, options: FerPlusOptions): AsyncGenerator<ImportTask> {
  for (const { folder, split } of folders) {
    const file = `${folder}/label.csv`;
    const csv = join(root, folder, 'label.csv');
    if (!existsSync(csv)) {
      yield issueTask({ file, line: null, field: null, message: 'missing label.csv: folder skipped' }, 0);
      continue;
    }
    const seen = new Set<string>();
    let rows = 0;
    for await (const rec of readCsvFile(csv, { quotedNewlines: false })) {
      rows++;
      if (rec.error) {
        yield issueTask({ file, line: rec.line, field: null, message: `malformed CSV row: ${rec.error}` });
        continue;
      }
      // FER+ writes 12 fields; tolerate one trailing empty field from a trailing comma.
      const fields = rec.fields.length === 13 && rec.fields[12].trim() === '' ? rec.fields.slice(0, 12) : rec.fields;
      if (fields.length !== 12) {
        yield issueTask({ file, line: rec.line, field: null, message: `expected 12 fields (name, box, 10 votes), got ${rec.fields.length}` });
        continue;
      }
      const name = fields[0].trim();
      if (name === '' || /[\\/]/.test(name) || name === '..') {
        yield issueTask({ file, line: rec.line, field: 'name', message: `not a file name: "${name}"` });
        continue;
      }
      const box = parseBoxText(fields[1]);
      if (!box) {
        yield issueTask({ file, line: rec.line, field: 'box', message: `not a face box "(x, y, w, h)": "${fields[1]}"` });
        continue;
      }
      const votes = parseVotes(fields, COLUMNS, file, rec.line);
      if (!Array.isArray(votes)) {
        yield issueTask(votes);
        continue;
      }
      const ref = `ferplus:${folder}/${name}`;
      if (seen.has(ref)) {
        yield issueTask({ file, line: rec.line, field: 'name', message: `duplicate image ${name}` });
        continue;
      }
      seen.add(ownString(ref));
      if (o.skip(ref)) {
        yield skippedTask();
        continue;
      }
      const path = join(root, folder, name);
      const line = rec.line;
      yield {
        kind: 'decode',
        unit: 1,
        run: async (): Promise<ImportItem[]> => {
          const r = await decodeFaceImage({ path, box, size: o.size, fit: o.fit, autoOrient: false });
          if (!r.ok) return [issueItem({ file, line, field: r.problem === 'box' ? 'box' : 'name', message: r.message })];
          return [
            sampleItem({
              sourceRef: ref, dataset: 'ferplus', split, width: o.size.width, height: o.size.height, pixels: r.pixels, originalPath: path,
              faceBox: box, valence: null, arousal: null, annotations: [], extra: null, ...labelsOf(votes, ref, options),
            }),
          ];
        },
      };
    }
    if (rows === 0) yield issueTask({ file, line: null, field: null, message: 'empty file' }, 0);
  }
}

/** Count data lines cheaply (label.csv files are ~1 MB) so progress has an exact total. */
function countLines(path: string): number {
  const text = readFileSync(path, 'latin1');
  let n = 0;
  for (const line of text.split('\n')) if (line.trim() !== '') n++;
  return n;
}

export async function* readFerPlus(root: string, options: FerPlusOptions = {}): AsyncGenerator<ImportItem> {
  const k = options.votesPerFace;
  if (k !== undefined && !(Number.isInteger(k) && k >= 1 && k <= 10)) throw new Error(`FER+ --votes-per-face must be an integer 1..10 (got ${k})`);
  const o = resolveOptions(options);
  const dir = resolve(root);
  const folders = FERPLUS_FOLDERS.filter((f) => existsSync(join(dir, f.folder)));
  if (folders.length === 0) {
    yield issueItem({ file: root, line: null, field: null, message: `no ${FERPLUS_FOLDERS.map((f) => f.folder).join(', ')} folder` });
    return;
  }
  let total = 0;
  for (const f of folders) {
    const csv = join(dir, f.folder, 'label.csv');
    if (existsSync(csv)) total += countLines(csv);
  }
  yield* runImportTasks(ferPlusTasks(dir, folders, o, options), o, () => total);
}
