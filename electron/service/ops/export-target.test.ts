// Exports never overwrite the project: `export --out` naming the project file, its -wal / -shm
// files or its models folder is refused — given directly, relative, through a symlink (to the
// file or to its folder) or as a hard link — and the project still opens with its faces. The
// command line refuses the exact command that once destroyed a project. Every export replaces
// its target by rename (a new inode, no temp file left behind).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { demoImportItems } from '../../../core/datasets/demo/index.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { writeImport } from '../../../db/import-store.ts';
import { runExport } from './export.ts';
import { writeFileAtomic } from './export-target.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
let dir: string;
let path: string;
let db: ProjectDb;
const faces = () => db.stmt<[], number>('SELECT count(*) FROM samples', 'pluck').get();

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-export-target-'));
  path = join(dir, 'd.arproj');
  db = openProject(path, { create: true, name: 'd' });
  await writeImport(db, { kind: 'demo', path: 'demo' }, demoImportItems({ counts: { train: 20, valid: 4, test: 4 } }));
  db.sqlite.pragma('wal_checkpoint(PASSIVE)');
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('an export onto the project file, its journal files or its models folder is refused, however it is named', async () => {
  const before = readFileSync(path);
  assert.equal(faces(), 28);
  symlinkSync(path, join(dir, 'link.csv'));
  symlinkSync(dir, join(dir, 'dirlink'));
  linkSync(path, join(dir, 'hard.csv'));
  const fileTargets = [
    path,
    relative(process.cwd(), path),
    join(dir, 'sub', '..', 'd.arproj'),
    join(dir, 'link.csv'),
    join(dir, 'dirlink', 'd.arproj'),
    join(dir, 'hard.csv'),
    `${path}-wal`,
    `${path}-shm`,
    db.modelsDir,
    join(db.modelsDir, 'labels.csv'),
    join(dir, 'dirlink', 'd.models', 'x', 'audit.csv'),
  ];
  for (const out of fileTargets) {
    for (const kind of ['labels', 'audit'] as const) {
      await assert.rejects(runExport(db, kind, out), /project's own file|project's models folder/, `${kind} --out ${out}`);
    }
  }
  for (const out of [db.modelsDir, join(db.modelsDir, 'affectnet'), path]) {
    await assert.rejects(runExport(db, 'affectnet', out), /project's own file|project's models folder/, `affectnet --out ${out}`);
    await assert.rejects(runExport(db, 'model', out, 1), /project's own file|project's models folder/, `model --out ${out}`);
  }
  assert.deepEqual(readFileSync(path), before, 'the project file is untouched');
  assert.equal(faces(), 28);
  assert.deepEqual(readdirSync(db.modelsDir), [], 'nothing was written into the models folder');
  // A name beside the project is fine.
  const ok = await runExport(db, 'labels', join(dir, 'd.arproj.csv'));
  assert.equal(ok.rows, 28);
});

test('the command line refuses `export labels --out <the project>` and the project still opens', () => {
  const bin = join(ROOT, 'bin', 'affect-relearn.js');
  const r = spawnSync(process.execPath, [bin, 'export', 'labels', '--project', basename(path), '--out', basename(path), '--json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(JSON.parse(r.stdout.trim()).error, /is the project's own file/);
  const again = openProject(path);
  try {
    assert.equal(again.stmt<[], number>('SELECT count(*) FROM samples', 'pluck').get(), 28);
  } finally {
    again.close();
  }
});

test('an export replaces its target by rename and leaves no temp file', async () => {
  const out = join(dir, 'out', 'labels.csv');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, 'old contents\n');
  const inode = statSync(out).ino;
  await runExport(db, 'labels', out);
  assert.notEqual(statSync(out).ino, inode, 'written in place: a crash would have left half a file');
  assert.match(readFileSync(out, 'utf8'), /^sample_id,/);
  assert.deepEqual(readdirSync(dirname(out)), ['labels.csv']);
});

test('a write that fails leaves the target as it was and removes its temp file', () => {
  const target = join(dir, 'busy');
  mkdirSync(join(target, 'inside'), { recursive: true });
  // Renaming a file over a non-empty folder fails after the temp file is complete.
  assert.throws(() => writeFileAtomic(target, 'x'), /cannot write .*busy/);
  assert.ok(statSync(target).isDirectory());
  assert.ok(existsSync(join(target, 'inside')));
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});
