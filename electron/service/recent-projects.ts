/**
 * The list of recently opened projects, most recent first, kept in a small JSON file in the
 * user's config dir so `npm start` can reopen the last project. A missing or corrupt file is
 * treated as an empty list (it is a convenience, never a source of truth); writes go through a
 * temporary file and a rename so a crash cannot leave half a file.
 */
import { existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { RecentProject } from '../../api/contract.ts';

const MAX_RECENT = 10;

/**
 * One name per file: a project opened through a symbolic link or a relative path is the same
 * project as the one opened by its real path, so it is listed once.
 */
function canonical(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    return abs;
  }
}

interface StoredRecent {
  path: string;
  name: string;
  openedAt: string;
}

export class RecentProjects {
  readonly file: string;

  constructor(configDir: string) {
    this.file = join(configDir, 'recent-projects.json');
  }

  private read(): StoredRecent[] {
    try {
      const data = JSON.parse(readFileSync(this.file, 'utf8')) as unknown;
      if (!Array.isArray(data)) return [];
      return data.filter(
        (x): x is StoredRecent => typeof x === 'object' && x !== null && typeof x.path === 'string' && typeof x.name === 'string' && typeof x.openedAt === 'string',
      );
    } catch {
      return [];
    }
  }

  /** Each project once (its most recent entry), also from a file written before paths were made canonical. */
  list(): RecentProject[] {
    const seen = new Set<string>();
    const out: RecentProject[] = [];
    for (const r of this.read()) {
      const key = canonical(r.path);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ ...r, exists: existsSync(r.path) });
    }
    return out;
  }

  /** The most recently opened project that still exists, or null. */
  last(): RecentProject | null {
    return this.list().find((r) => r.exists) ?? null;
  }

  remember(path: string, name: string, now: Date = new Date()): void {
    const abs = canonical(path);
    const next = [{ path: abs, name, openedAt: now.toISOString() }, ...this.read().filter((r) => canonical(r.path) !== abs)].slice(0, MAX_RECENT);
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(next, null, 2));
    renameSync(tmp, this.file);
  }
}
