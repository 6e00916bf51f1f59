/**
 * The one-time downloads of browser mode: each ticket (32 random bytes) owns a private temp
 * folder the export is written into (prepare-download.ts); the browser-mode server hands the
 * file over at DOWNLOAD_PATH + ticket, with the session cookie, once, and deletes it after;
 * an unused ticket expires with its file. Light on purpose: the server holds it from start.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExportKind, ExportWhat } from '../../../api/contract.ts';

export const TICKET_TTL_MS = 10 * 60_000;
/** 32 random bytes, base64url: the same strength as the launch code. */
const TICKET_RE = /^[A-Za-z0-9_-]{43}$/;

export interface PreparedDownload {
  path: string;
  fileName: string;
  contentType: string;
  /** Deletes the file and its folder. */
  discard(): void;
}

interface Entry {
  dir: string;
  path: string;
  fileName: string;
  contentType: string;
  expires: number;
}

const CONTENT_TYPE: Record<string, string> = { '.csv': 'text/csv; charset=utf-8', '.html': 'text/html; charset=utf-8', '.zip': 'application/zip' };

/** A file name for the person's downloads folder: the project's name (safe characters only) and what it is. */
export function downloadFileName(project: string, what: ExportWhat): string {
  const stem = project.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'project';
  const model = what.modelId === undefined ? '' : `-model-${what.modelId}`;
  const names: Record<ExportKind, string> = {
    labels: `${stem}-labels.csv`,
    audit: `${stem}-audit.csv`,
    affectnet: `${stem}-affectnet-lists.zip`,
    model: `${stem}${model}${what.format === 'onnx' ? '-onnx' : ''}.zip`,
    report: `${stem}-report${model}.html`,
    labelstudio: `${stem}-labelstudio${model}.zip`,
  };
  return names[what.kind];
}

export class DownloadStore {
  #root: string | null = null;
  readonly #entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  private root(): string {
    // mkdtemp makes it readable by this user only.
    this.#root ??= mkdtempSync(join(tmpdir(), 'affect-relearn-downloads-'));
    return this.#root;
  }

  /** A new ticket and its private folder, for an export to be written into. */
  reserve(): { ticket: string; dir: string } {
    this.sweep();
    const ticket = randomBytes(32).toString('base64url');
    const dir = join(this.root(), ticket);
    mkdirSync(dir);
    return { ticket, dir };
  }

  /** Makes the ticket's file downloadable (once, until it expires). */
  publish(ticket: string, dir: string, path: string, fileName: string): void {
    const ext = fileName.slice(fileName.lastIndexOf('.'));
    this.#entries.set(ticket, { dir, path, fileName, contentType: CONTENT_TYPE[ext] ?? 'application/octet-stream', expires: this.now() + TICKET_TTL_MS });
  }

  /** The file of a valid ticket, which is used up by this call; null when unknown, used or expired. */
  take(ticket: string): PreparedDownload | null {
    this.sweep();
    if (!TICKET_RE.test(ticket)) return null;
    const e = this.#entries.get(ticket);
    if (!e) return null;
    this.#entries.delete(ticket);
    return { path: e.path, fileName: e.fileName, contentType: e.contentType, discard: () => rmSync(e.dir, { recursive: true, force: true }) };
  }

  /** Deletes the files of expired tickets. */
  sweep(): void {
    const t = this.now();
    for (const [k, e] of this.#entries) {
      if (e.expires > t) continue;
      this.#entries.delete(k);
      rmSync(e.dir, { recursive: true, force: true });
    }
  }

  dispose(): void {
    this.#entries.clear();
    if (this.#root) rmSync(this.#root, { recursive: true, force: true });
    this.#root = null;
  }
}

/** What the desktop save dialog is asked for: the suggested name, and whether the export is a folder. */
export interface SaveRequest {
  kind: ExportKind;
  /** File name (or folder name, for a folder export) to suggest. */
  defaultName: string;
  folder: boolean;
}

/** Shows the save dialog; the chosen absolute path, or null when the person cancelled. */
export type ChooseSaveTarget = (request: SaveRequest) => Promise<string | null>;

export function saveRequest(project: string, what: ExportWhat): SaveRequest {
  const folder = what.kind === 'model' || what.kind === 'affectnet';
  const name = downloadFileName(project, what);
  // Label Studio's download is a .zip of the tasks and their config; saved, it is the tasks' .json
  // (the config is written beside it).
  const defaultName = folder ? name.replace(/\.zip$/, '') : what.kind === 'labelstudio' ? name.replace(/\.zip$/, '.json') : name;
  return { kind: what.kind, defaultName, folder };
}
