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
  /**
   * The file's first line is `-- migrate: foreign_keys off`: it rebuilds a table others refer
   * to, which SQLite allows only with foreign keys off (a DROP would cascade). The pragma
   * cannot change inside a transaction, so it is set around it, and PRAGMA foreign_key_check
   * must come back empty before the migration commits.
   */
  foreignKeysOff?: boolean;
}

const FOREIGN_KEYS_OFF = /^-- migrate: foreign_keys off\s*$/m;

/** Where the SQL files live; a bundler that moves this module must copy the folder too. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

const FILE_RE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

export function loadMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const out: Migration[] = [];
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith('.sql')) continue;
    const m = FILE_RE.exec(file);
    if (!m) throw new Error(`${join(dir, file)}: a migration file must be named NNNN_name.sql`);
    const sql = readFileSync(join(dir, file), 'utf8');
    out.push({ version: Number(m[1]), name: m[2], sql, foreignKeysOff: FOREIGN_KEYS_OFF.test(sql.split('\n', 1)[0]) });
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
    const foreignKeys = sqlite.pragma('foreign_keys', { simple: true }) as number;
    if (mig.foreignKeysOff && foreignKeys) {
      sqlite.pragma('foreign_keys = OFF');
      // A no-op inside an open transaction: the rebuild would then cascade its DROP.
      if (sqlite.pragma('foreign_keys', { simple: true })) throw new Error(`migration ${mig.version} (${mig.name}) needs foreign keys off and cannot run inside a transaction`);
    }
    try {
      const didApply = sqlite.transaction(() => {
        // Checked again under the write lock: another connection (a worker opening the same
        // project at the same moment) may have applied it while we waited for the lock.
        if (schemaVersion(sqlite) >= mig.version) return false;
        sqlite.exec(mig.sql);
        if (mig.foreignKeysOff) {
          const broken = sqlite.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
          if (broken.length) throw new Error(`migration ${mig.version} (${mig.name}) would leave ${broken.length} broken reference(s), e.g. ${broken[0].table} row ${broken[0].rowid} -> ${broken[0].parent}; nothing was changed`);
        }
        // PRAGMA takes no bound parameters; the version is an integer we parsed ourselves.
        sqlite.exec(`PRAGMA user_version = ${mig.version}`);
        return true;
      }).immediate();
      if (didApply) applied.push(mig.version);
    } finally {
      if (mig.foreignKeysOff && foreignKeys) sqlite.pragma('foreign_keys = ON');
    }
  }
  return applied;
}
