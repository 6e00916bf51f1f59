/**
 * Where an export may write, and how. An export given the project's own path as `--out` once
 * replaced a project with a CSV; so every export target is compared with the project's files
 * (the SQLite file, its -wal / -shm / -journal companions and the models folder) by real path,
 * after following symlinks and `..`, and by inode for hard links. Files are then written to a
 * temp file in the target folder and renamed over the target, so a crash or a full disk in the
 * middle leaves the old file (or none), never half an export.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { ProjectDb } from '../../../db/connection.ts';

/** The real path of `p`, also when it does not exist yet: its deepest existing ancestor resolved, the rest appended. */
export function realPathOf(p: string): string {
  const abs = resolve(p);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return join(realpathSync.native(at), ...rest.reverse());
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      const up = dirname(at);
      if (up === at) return abs;
      rest.push(basename(at));
      at = up;
    }
  }
}

const isInside = (root: string, p: string) => {
  const rel = relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The project's own files, as real paths: never an export target. */
function projectFiles(db: ProjectDb): string[] {
  return ['', '-wal', '-shm', '-journal'].map((s) => realPathOf(`${db.path}${s}`));
}

/** Same file by device and inode (a hard link to the project has another path). */
function sameInode(a: string, b: string): boolean {
  if (!existsSync(a) || !existsSync(b)) return false;
  const x = statSync(a);
  const y = statSync(b);
  return x.dev === y.dev && x.ino === y.ino;
}

/**
 * Throws, naming both paths, when writing `target` (a file, or with `folder` a folder whose
 * files the export replaces) could overwrite the project file, its journal files or anything in
 * its models folder.
 */
export function assertExportTarget(db: ProjectDb, target: string, kind: 'file' | 'folder'): void {
  const real = realPathOf(target);
  const models = realPathOf(db.modelsDir);
  for (const f of projectFiles(db)) {
    if (real === f || sameInode(real, f)) throw new Error(`export: ${target} is the project's own file ${f}; choose another --out`);
  }
  if (isInside(models, real)) throw new Error(`export: ${target} is inside the project's models folder ${models}; choose another --out`);
  if (kind === 'folder' && existsSync(real) && !statSync(real).isDirectory()) throw new Error(`export: ${target} is a file, and this export writes a folder`);
  if (kind === 'file' && existsSync(real) && statSync(real).isDirectory()) throw new Error(`export: ${target} is a folder, and this export writes a file`);
}

/**
 * Writes `data` to `path` through a temp file beside it (same folder, so the rename is atomic on
 * one file system), flushed before the rename. The temp file is removed when anything fails.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  const dir = dirname(path);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(tmp, 'wx');
    try {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, bytes.length - at);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new Error(`export: cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
}
