/**
 * One entry point for every importer, and a guess of which one a path needs. Detection looks
 * only at names and CSV headers (never decodes images), so it is instant on any dataset size;
 * it returns null rather than guess when nothing matches.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportItem } from '../../api/domain.ts';
import { readAffectNet } from './affectnet.ts';
import type { AffectNetOptions } from './affectnet.ts';
import { csvHeader } from './csv-stream.ts';
import { readFer2013 } from './fer2013.ts';
import type { Fer2013Options } from './fer2013.ts';
import { FERPLUS_FOLDERS, readFerPlus, type FerPlusOptions } from './ferplus.ts';
import { classFolders, readImageFolder } from './image-folder.ts';
import type { ImageFolderOptions } from './image-folder.ts';
import { findMultiColumns, readMultiAnnotatorCsv } from './multi-annotator.ts';
import type { MultiAnnotatorOptions } from './multi-annotator.ts';

export type ImportableKind = 'affectnet' | 'fer2013' | 'ferplus' | 'folder' | 'multi';

/** Every reader's options; each reader ignores the ones that are not its own. */
export type DatasetReadOptions = AffectNetOptions & Fer2013Options & FerPlusOptions & ImageFolderOptions & MultiAnnotatorOptions;

export function readDataset(kind: ImportableKind, path: string, options: DatasetReadOptions = {}): AsyncIterable<ImportItem> {
  switch (kind) {
    case 'affectnet':
      return readAffectNet(path, options);
    case 'fer2013':
      return readFer2013(path, options);
    case 'ferplus':
      return readFerPlus(path, options);
    case 'folder':
      return readImageFolder(path, options);
    case 'multi':
      return readMultiAnnotatorCsv(path, options);
    default:
      throw new Error(`unknown dataset kind "${String(kind)}" (expected affectnet, fer2013, ferplus, folder or multi)`);
  }
}

function kindOfCsv(path: string): ImportableKind | null {
  const h = csvHeader(path);
  if (h.includes('subdirectory_filepath')) return 'affectnet';
  if (h.includes('pixels') && h.includes('emotion')) return 'fer2013';
  const m = findMultiColumns(h);
  if (m.image !== undefined && m.annotator !== undefined && m.label !== undefined) return 'multi';
  return null;
}

/** Which importer fits `path` (a folder or a CSV file), or null when none clearly does. */
export function detectDatasetKind(path: string): ImportableKind | null {
  if (!existsSync(path)) return null;
  const st = statSync(path);
  if (st.isFile()) return path.toLowerCase().endsWith('.csv') ? kindOfCsv(path) : null;
  if (!st.isDirectory()) return null;
  if (existsSync(join(path, 'Manually_Annotated_file_lists'))) return 'affectnet';
  if (FERPLUS_FOLDERS.some((f) => existsSync(join(path, f.folder, 'label.csv')))) return 'ferplus';
  if (existsSync(join(path, 'fer2013.csv'))) return 'fer2013';
  const csvs = readdirSync(path).filter((n) => n.toLowerCase().endsWith('.csv')).sort();
  for (const name of ['training.csv', 'validation.csv']) if (csvs.includes(name) && kindOfCsv(join(path, name)) === 'affectnet') return 'affectnet';
  const { folders } = classFolders(path);
  if (folders.length > 0 && folders.some((f) => f.label !== null)) return 'folder';
  for (const name of csvs) {
    const k = kindOfCsv(join(path, name));
    if (k === 'multi') return k;
  }
  return null;
}
