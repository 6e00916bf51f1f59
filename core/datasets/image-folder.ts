/**
 * Plain class folders: `<root>/<class>/*.jpg|png|...` or `<root>/<split>/<class>/...` with split
 * folders train/training, valid/validation/val, test. Class folder names map by name (synonyms,
 * any case); an unknown name is one issue for the folder and its files are skipped. Images
 * inside a class folder may sit in subfolders. Files are read in sorted path order so every
 * run yields the same sequence.
 *
 * Without split folders everything is `train`: a bag of folders says nothing about splits, and
 * guessing a test set would leak. `validFraction` (default 0) holds out a deterministic share
 * of train as `valid`, by a hash of the relative path. sourceRef = `folder:<relative path>`.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ImportItem, LabelCode, Split } from '../../api/domain.ts';
import { decodeFaceImage } from './face-image.ts';
import { isHeldOut, issueItem, issueTask, resolveOptions, runImportTasks, sampleItem, skippedTask } from './import-pipeline.ts';
import type { CommonImportOptions, ImportTask, ResolvedOptions } from './import-pipeline.ts';
import { labelCodeFromName } from './label-names.ts';

export interface ImageFolderOptions extends CommonImportOptions {
  /** Share of train held out as `valid` by path hash. Default 0. */
  validFraction?: number;
}

export const IMAGE_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif', '.heic', '.heif'];

const SPLIT_NAMES: Record<string, Split> = { train: 'train', training: 'train', valid: 'valid', validation: 'valid', val: 'valid', test: 'test', testing: 'test' };

export function splitFromFolderName(name: string): Split | null {
  return SPLIT_NAMES[name.trim().toLowerCase()] ?? null;
}

export function isImageFile(name: string): boolean {
  const lower = name.toLowerCase();
  return !name.startsWith('.') && IMAGE_EXTENSIONS.some((e) => lower.endsWith(e));
}

function subfolders(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

function imagesUnder(dir: string, out: string[] = []): string[] {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) imagesUnder(p, out);
    else if (isImageFile(e.name)) out.push(p);
  }
  return out;
}

interface ClassFolder {
  dir: string;
  split: Split | null;
  label: LabelCode | null;
}

/** The class folders of a root, with or without split folders. True when split folders were found. */
export function classFolders(root: string): { splitLayout: boolean; folders: ClassFolder[] } {
  const top = subfolders(root);
  const splitLayout = top.some((n) => splitFromFolderName(n) !== null && labelCodeFromName(n) === null);
  const folders: ClassFolder[] = [];
  for (const name of top) {
    if (splitLayout) {
      const split = splitFromFolderName(name);
      if (split === null) {
        folders.push({ dir: join(root, name), split: null, label: null });
        continue;
      }
      for (const c of subfolders(join(root, name))) folders.push({ dir: join(root, name, c), split, label: labelCodeFromName(c) });
    } else {
      folders.push({ dir: join(root, name), split: 'train', label: labelCodeFromName(name) });
    }
  }
  return { splitLayout, folders };
}

function relRef(root: string, p: string): string {
  return relative(root, p).split(sep).join('/');
}

async function* folderTasks(root: string, folders: ClassFolder[], files: string[][], o: ResolvedOptions, validFraction: number): AsyncGenerator<ImportTask> {
  for (let f = 0; f < folders.length; f++) {
    const { dir, split, label } = folders[f];
    const rel = relRef(root, dir);
    if (split === null) {
      yield issueTask({ file: rel, line: null, field: null, message: `"${rel}" is neither a split folder (train, valid, test) beside the others nor a class: its ${files[f].length} images are skipped` }, files[f].length);
      continue;
    }
    if (label === null) {
      yield issueTask({ file: rel, line: null, field: null, message: `unknown class folder name "${rel}": its ${files[f].length} images are skipped` }, files[f].length);
      continue;
    }
    for (const path of files[f]) {
      const ref = `folder:${relRef(root, path)}`;
      if (o.skip(ref)) {
        yield skippedTask();
        continue;
      }
      const s: Split = split === 'train' && isHeldOut(relRef(root, path), validFraction) ? 'valid' : split;
      yield {
        kind: 'decode',
        unit: 1,
        run: async (): Promise<ImportItem[]> => {
          const r = await decodeFaceImage({ path, box: null, size: o.size, fit: o.fit, autoOrient: true });
          if (!r.ok) return [issueItem({ file: relRef(root, path), line: null, field: null, message: r.message })];
          return [
            sampleItem({
              sourceRef: ref, dataset: 'folder', split: s, width: o.size.width, height: o.size.height, pixels: r.pixels, originalPath: path,
              faceBox: null, givenLabel: label, valence: null, arousal: null, annotations: [], votes: null, extra: null,
            }),
          ];
        },
      };
    }
  }
}

export async function* readImageFolder(root: string, options: ImageFolderOptions = {}): AsyncGenerator<ImportItem> {
  const o = resolveOptions(options);
  const dir = resolve(root);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    yield issueItem({ file: root, line: null, field: null, message: 'not a folder' });
    return;
  }
  const { folders } = classFolders(dir);
  // Listing first gives an exact total; paths are small next to the images they name.
  const files = folders.map((f) => imagesUnder(f.dir));
  const total = files.reduce((s, l) => s + l.length, 0);
  if (folders.length === 0) yield issueItem({ file: root, line: null, field: null, message: 'no class folders' });
  yield* runImportTasks(folderTasks(dir, folders, files, o, options.validFraction ?? 0), o, () => total);
}
