import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { APPLICATION_ID, modelsDirFor, openProject, ProjectError } from './connection.ts';
import { loadMigrations } from './migrate.ts';
import { getProjectInfo } from './project-store.ts';
import { tempDir } from './test-support.ts';

test('a new project is WAL with foreign keys and a busy timeout, and remembers its meta', () => {
  const tmp = tempDir();
  try {
    const file = tmp.file('faces.sqlite');
    const db = openProject(file, { create: true, name: 'My faces', inputSize: { height: 64, width: 32 } });
    assert.equal(db.sqlite.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.sqlite.pragma('foreign_keys', { simple: true }), 1);
    assert.equal(db.sqlite.pragma('busy_timeout', { simple: true }), 5000);
    assert.equal(db.sqlite.pragma('application_id', { simple: true }), APPLICATION_ID);
    assert.equal(db.modelsDir, join(tmp.dir, 'faces.models'));
    assert.ok(existsSync(db.modelsDir), 'the models dir is created beside the file');
    db.close();
    const again = openProject(file);
    const info = getProjectInfo(again);
    assert.equal(info.name, 'My faces');
    assert.deepEqual(info.inputSize, { height: 64, width: 32 });
    assert.equal(info.schemaVersion, loadMigrations().length);
    // FK enforcement is per connection: the reopened one must have it too.
    assert.throws(() => again.sqlite.prepare('INSERT INTO annotations (sample_id, annotator_id, label) VALUES (999, 999, 1)').run(), /FOREIGN KEY/);
    again.close();
  } finally {
    tmp.remove();
  }
});

test('defaults: 48x48 input and the file name as project name', () => {
  const tmp = tempDir();
  try {
    const db = openProject(tmp.file('ferplus.db'), { create: true });
    assert.deepEqual(getProjectInfo(db).inputSize, { height: 48, width: 48 });
    assert.equal(getProjectInfo(db).name, 'ferplus');
    db.close();
  } finally {
    tmp.remove();
  }
});

test('modelsDirFor puts the models folder next to the project file', () => {
  assert.equal(modelsDirFor('/data/p/run1.sqlite'), '/data/p/run1.models');
  assert.equal(modelsDirFor('/data/p/run1'), '/data/p/run1.models');
});

test('opening something that is not a project fails with an error naming the file', () => {
  const tmp = tempDir();
  try {
    const text = tmp.file('notes.txt');
    writeFileSync(text, 'this is not a database, just some text long enough to have a header.....'.repeat(20));
    assert.throws(() => openProject(text), (e: Error) => e instanceof ProjectError && e.message.includes(text) && /not an affect-relearn project/.test(e.message));
    assert.throws(() => openProject(text, { create: true }), (e: Error) => e.message.includes(text));

    const other = tmp.file('other.sqlite');
    const o = new Database(other);
    o.exec('CREATE TABLE t (x)');
    o.close();
    assert.throws(() => openProject(other, { create: true }), (e: Error) => e.message.includes(other) && /another application/.test(e.message));

    const missing = tmp.file('missing.sqlite');
    assert.throws(() => openProject(missing), (e: Error) => e.message.includes(missing) && /no such project file/.test(e.message));
    assert.equal(existsSync(missing), false, 'a failed open must not create the file');

    assert.throws(() => openProject(tmp.dir), (e: Error) => e.message.includes(tmp.dir) && /directory/.test(e.message));
  } finally {
    tmp.remove();
  }
});

test('a project from a newer app version is refused, not downgraded', () => {
  const tmp = tempDir();
  try {
    const file = tmp.file('new.sqlite');
    openProject(file, { create: true }).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    assert.throws(() => openProject(file), (e: Error) => e.message.includes(file) && /schema version 99 is newer/.test(e.message));
  } finally {
    tmp.remove();
  }
});
