/**
 * Opening a project: one SQLite file per project (WAL, foreign keys on, a busy timeout so a
 * worker thread and the UI thread can share it), migrated to the latest schema on open. The
 * file is marked as ours with PRAGMA application_id and a one-row `project` table, so that
 * opening anything else fails with an error naming the file. Model weights live in a folder
 * beside the file (`modelsDirFor`), and the DB stores paths relative to it. What a crashed
 * process left behind is tidied on open (crash-recovery.ts).
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { recoverFromCrashes } from './crash-recovery.ts';
import { applyMigrations, loadMigrations, schemaVersion, type Migration } from './migrate.ts';

/** 'AFRL' as a big-endian int32: the SQLite header field that says "an affect-relearn project". */
export const APPLICATION_ID = 0x4146524c;
export const DEFAULT_INPUT_SIZE = { height: 48, width: 48 } as const;

export interface InputSize {
  height: number;
  width: number;
}

export interface OpenProjectOptions {
  /** Create the file when it does not exist (default false: a missing file is an error). */
  create?: boolean;
  /** Project name on creation (default: the file name without extension). */
  name?: string;
  /** Model input size on creation (default 48x48). Ignored for an existing project. */
  inputSize?: InputSize;
  /** Test hook: migrations to apply instead of db/migrations. */
  migrations?: Migration[];
}

/** `<dir>/<name>.models/` next to `<dir>/<name>.sqlite` (any extension). */
export function modelsDirFor(projectPath: string): string {
  const abs = resolve(projectPath);
  const ext = extname(abs);
  return join(dirname(abs), `${basename(abs, ext)}.models`);
}

export class ProjectError extends Error {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path}: ${message}`, options);
    this.name = 'ProjectError';
  }
}

/** An open project. Stores take it as their first argument and use `stmt` (cached prepared statements). */
export class ProjectDb {
  readonly sqlite: Database.Database;
  readonly path: string;
  readonly modelsDir: string;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(sqlite: Database.Database, path: string) {
    this.sqlite = sqlite;
    this.path = path;
    this.modelsDir = modelsDirFor(path);
  }

  /** A prepared statement, compiled once per connection. `pluck` returns the first column only. */
  stmt<P extends unknown[] | {} = unknown[], R = unknown>(sql: string, mode: 'rows' | 'pluck' | 'raw' = 'rows'): Database.Statement<P, R> {
    const key = `${mode}\u0000${sql}`;
    let s = this.statements.get(key);
    if (!s) {
      s = this.sqlite.prepare(sql);
      if (mode === 'pluck') s.pluck(true);
      if (mode === 'raw') s.raw(true);
      this.statements.set(key, s);
    }
    return s as unknown as Database.Statement<P, R>;
  }

  /** Runs fn in one IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks). */
  write<T>(fn: () => T): T {
    return this.sqlite.transaction(fn).immediate();
  }

  get open(): boolean {
    return this.sqlite.open;
  }

  close(): void {
    this.statements.clear();
    if (this.sqlite.open) this.sqlite.close();
  }
}

function configure(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Safe with WAL: a power cut may lose the last commits, never corrupt the file.
  sqlite.pragma('synchronous = NORMAL');
  // 64 MB of page cache: bulk score/prediction writes touch 7 indexes in random order, and the
  // default 2 MB cache made them spill to the WAL page by page (30 s instead of a few for 300k rows).
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
}

function isEmptyDatabase(sqlite: Database.Database): boolean {
  return sqlite.prepare("SELECT count(*) FROM sqlite_master").pluck().get() === 0;
}

/**
 * Opens (or with `create`, creates) a project file and migrates it to the latest schema.
 * Fails with a ProjectError naming the file when it is missing, not SQLite, another
 * application's database, or written by a newer version of this app.
 */
export function openProject(path: string, options: OpenProjectOptions = {}): ProjectDb {
  const abs = resolve(path);
  const existed = existsSync(abs);
  if (!existed && !options.create) throw new ProjectError(abs, 'no such project file (use create to make a new project)');
  if (existed && statSync(abs).isDirectory()) throw new ProjectError(abs, 'is a directory, not a project file');
  const migrations = options.migrations ?? loadMigrations();
  let sqlite: Database.Database;
  try {
    sqlite = new Database(abs, { fileMustExist: !options.create });
  } catch (err) {
    throw new ProjectError(abs, `cannot open: ${(err as Error).message}`, { cause: err });
  }
  try {
    let appId: number;
    try {
      appId = sqlite.pragma('application_id', { simple: true }) as number;
    } catch (err) {
      throw new ProjectError(abs, `not an affect-relearn project (${(err as Error).message})`, { cause: err });
    }
    const fresh = appId === 0 && isEmptyDatabase(sqlite);
    if (!fresh && appId !== APPLICATION_ID) {
      throw new ProjectError(abs, 'not an affect-relearn project (an SQLite database of another application)');
    }
    if (fresh && !options.create) throw new ProjectError(abs, 'is an empty database, not a project (use create to make one here)');
    configure(sqlite);
    // Marked first, so a creation interrupted below is still recognised as ours and completed.
    if (fresh) sqlite.pragma(`application_id = ${APPLICATION_ID}`);
    const version = schemaVersion(sqlite);
    if (version > migrations.length) {
      throw new ProjectError(abs, `schema version ${version} is newer than this app knows (${migrations.length}); update affect-relearn`);
    }
    applyMigrations(sqlite, migrations);
    const hasProjectRow = sqlite.prepare('SELECT count(*) FROM project').pluck().get() === 1;
    if (!hasProjectRow) {
      if (!options.create) throw new ProjectError(abs, 'incomplete project (its creation was interrupted); open it with create to finish');
      initialiseProject(sqlite, abs, options);
    }
    mkdirSync(modelsDirFor(abs), { recursive: true });
    const db = new ProjectDb(sqlite, abs);
    // An import whose process crashed would say 'running' forever; a run killed while saving its model leaves half a model.
    if (!options.migrations) recoverFromCrashes(db);
    return db;
  } catch (err) {
    sqlite.close();
    if (err instanceof ProjectError) throw err;
    throw new ProjectError(abs, (err as Error).message, { cause: err });
  }
}

function initialiseProject(sqlite: Database.Database, abs: string, options: OpenProjectOptions): void {
  const size = options.inputSize ?? DEFAULT_INPUT_SIZE;
  if (!Number.isInteger(size.height) || !Number.isInteger(size.width) || size.height <= 0 || size.width <= 0) {
    throw new ProjectError(abs, `inputSize must be positive integers, got ${size.height}x${size.width}`);
  }
  sqlite
    .prepare("INSERT INTO project (id, app, name, input_height, input_width, schema_notes) VALUES (1, 'affect-relearn', ?, ?, ?, ?)")
    .run(options.name ?? basename(abs, extname(abs)), size.height, size.width, `created at schema version ${schemaVersion(sqlite)}`);
}
