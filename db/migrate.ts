/**
 * Schema migrations: numbered SQL files `migrations/NNNN_name.sql`, applied in order, each in
 * its own transaction together with `PRAGMA user_version = NNNN`, so a failing migration
 * leaves the file exactly at the previous version. The numbers must run 1, 2, 3, ... without
 * gaps; the version of a file is the number of its last applied migration.
 */
import type Database from 'better-sqlite3';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Where the SQL files live; a bundler that moves this module must copy the folder too. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_RE.exec(file);
    if (!m) throw new Error(`${join(dir, file)}: a migration file must be named NNNN_name.sql`);
    out.push({ version: Number(m[1]), name: m[2], sql: readFileSync(join(dir, file), 'utf8') });
  }
  out.forEach((mig, i) => {
    if (mig.version !== i + 1) throw new Error(`${dir}: migration ${String(i + 1).padStart(4, '0')} is missing (found ${mig.version}_${mig.name})`);
  });
  return out;
}

export function schemaVersion(sqlite: Database.Database): number {
  return sqlite.pragma('user_version', { simple: true }) as number;
}

/**
 * Applies every migration above the file's version, up to `target` (default: all).
 * Returns the versions applied.
 */
export function applyMigrations(sqlite: Database.Database, migrations: Migration[] = loadMigrations(), target?: number): number[] {
  const upTo = target ?? migrations.length;
  const applied: number[] = [];
  for (const mig of migrations) {
    if (mig.version > upTo || mig.version <= schemaVersion(sqlite)) continue;
    const didApply = sqlite.transaction(() => {
      // Checked again under the write lock: another connection (a worker opening the same
      // project at the same moment) may have applied it while we waited for the lock.
      if (schemaVersion(sqlite) >= mig.version) return false;
      sqlite.exec(mig.sql);
      // PRAGMA takes no bound parameters; the version is an integer we parsed ourselves.
      sqlite.exec(`PRAGMA user_version = ${mig.version}`);
      return true;
    }).immediate();
    if (didApply) applied.push(mig.version);
  }
  return applied;
}
