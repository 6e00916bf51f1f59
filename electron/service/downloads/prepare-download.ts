/**
 * Prepares an export as one downloadable file: written by export.ts (so assertExportTarget
 * and writeFileAtomic still apply) into the ticket's private folder, a folder export (model,
 * AffectNet lists) packed into one .zip of that folder, and so is an export of several files
 * (Label Studio's tasks with their labelling config).
 */
import { mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { DownloadTicket, ExportWhat } from '../../../api/contract.ts';
import { DOWNLOAD_PATH } from '../../../api/wire.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { runExport } from '../ops/export.ts';
import { writeFileAtomic } from '../ops/export-target.ts';
import { downloadFileName, type DownloadStore } from './download-store.ts';
import { zipFiles } from './zip-files.ts';

export async function prepareDownload(store: DownloadStore, db: ProjectDb, what: ExportWhat): Promise<DownloadTicket> {
  const { ticket, dir } = store.reserve();
  try {
    const fileName = downloadFileName(getProjectInfo(db).name, what);
    const path = join(dir, fileName);
    const folderKind = what.kind === 'model' || what.kind === 'affectnet';
    const severalFiles = what.kind === 'labelstudio';
    const top = fileName.replace(/\.zip$/, '');
    const folder = join(dir, top);
    if (severalFiles) mkdirSync(folder);
    const target = folderKind ? folder : severalFiles ? join(folder, `${top}.json`) : path;
    const r = await runExport(db, what.kind, target, what.modelId, what.format);
    if (folderKind || severalFiles) {
      const entries = r.files.map((f) => ({ name: [top, ...relative(folder, f).split(sep)].join('/'), data: readFileSync(f) }));
      writeFileAtomic(path, zipFiles(entries));
      rmSync(folder, { recursive: true, force: true });
    }
    store.publish(ticket, dir, path, fileName);
    return { url: `${DOWNLOAD_PATH}${ticket}`, fileName, bytes: statSync(path).size, rows: r.rows, notes: r.notes };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}
