import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations, loadMigrations, schemaVersion, type Migration } from './migrate.ts';
import { openProject } from './connection.ts';
import { tempDir } from './test-support.ts';

const MIGRATIONS = loadMigrations();
/** Looked up by name: branches add migrations in parallel and are renumbered when merged. */
const versionOf = (name: string) => MIGRATIONS.find((m) => m.name === name)?.version ?? -1;

function rawDb(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  return db;
}

const tables = (db: Database.Database) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
/** The whole schema as SQL text: changes with any CREATE or ALTER. */
const schemaText = (db: Database.Database) => (db.prepare("SELECT group_concat(sql, ';') FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").pluck().get() as string | null) ?? '';

/** Rows a project at each version holds, written before the next migration and checked after it. */
const SEED: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    db.prepare("INSERT INTO project (id, app, name, input_height, input_width) VALUES (1, 'affect-relearn', 'seed', 2, 2)").run();
    db.prepare("INSERT INTO samples (id, source_ref, dataset, split, width, height, pixels, given_label) VALUES (1, 'a', 'demo', 'train', 2, 2, x'00010203', 3)").run();
    db.prepare("INSERT INTO annotators (id, name, kind) VALUES (1, 'rev', 'reviewer')").run();
    db.prepare("INSERT INTO relabels (sample_id, action, label, previous_label, reviewer_id) VALUES (1, 'relabel', 5, 3, 1)").run();
    db.prepare('INSERT INTO sample_votes (sample_id, n_sad, n_fear) VALUES (1, 6, 4)').run();
  },
  2: (db) => {
    db.prepare("INSERT INTO runs (id, kind, model_kind, status) VALUES (1, 'train', 'cnn', 'done')").run();
    db.prepare("INSERT INTO models (id, run_id, kind, name, file_path, input_height, input_width) VALUES (1, 1, 'cnn', 'parent', 'm1/weights.bin', 2, 2)").run();
    db.prepare('INSERT INTO scores (model_id, sample_id, margin) VALUES (1, 1, 0.25)').run();
  },
  3: (db) => {
    db.prepare("INSERT INTO review_queues (key, filter, last_sample_id, last_index) VALUES ('default', '{}', 1, 7)").run();
  },
  4: (db) => {
    db.prepare("INSERT INTO models (id, run_id, kind, name, file_path, input_height, input_width, label_version) VALUES (2, 1, 'cnn', 'oof', 'm1/weights.bin', 2, 2, 1)").run();
    db.prepare('INSERT INTO score_versions (model_id, label_version, oof_model_id) VALUES (1, 1, 2)').run();
  },
  5: (db) => {
    db.prepare("INSERT INTO import_jobs (id, kind, path, status, owner_pid, owner_host, heartbeat_at) VALUES (1, 'demo', 'x', 'running', 42, 'h', '2026-01-01T00:00:00Z')").run();
    db.prepare("UPDATE runs SET owner_pid = 43, owner_host = 'h', heartbeat_at = '2026-01-01T00:00:00Z' WHERE id = 1").run();
  },
  [versionOf('dataset_health')]: (db) => {
    db.prepare("INSERT INTO sample_hashes (sample_id, pixel_hash, phash, mean, std) VALUES (1, '0123456789abcdef', 'fedcba9876543210', 1.5, 1.1)").run();
    db.prepare("INSERT INTO health_reports (near_threshold, faces, summary, findings) VALUES (4, 1, '{}', '{}')").run();
  },
};

const CHECK: Record<number, (db: Database.Database) => void> = {
  1: (db) => {
    assert.equal(db.prepare('SELECT current_label FROM sample_labels WHERE sample_id = 1').pluck().get(), 5);
    assert.deepEqual(db.prepare('SELECT pixels FROM samples WHERE id = 1').pluck().get(), Buffer.from([0, 1, 2, 3]));
    assert.equal(db.prepare('SELECT n_total FROM sample_votes WHERE sample_id = 1').pluck().get(), 10);
  },
  2: (db) => assert.equal(db.prepare('SELECT margin FROM scores WHERE model_id = 1 AND sample_id = 1').pluck().get(), 0.25),
  3: (db) => assert.equal(db.prepare("SELECT last_index FROM review_queues WHERE key = 'default'").pluck().get(), 7),
  4: (db) => {
    // Models from before the migration have no stamp: their predictions' labels are unknown.
    assert.equal(db.prepare('SELECT label_version FROM models WHERE id = 1').pluck().get(), null);
    assert.equal(db.prepare('SELECT label_version FROM models WHERE id = 2').pluck().get(), 1);
    assert.deepEqual(db.prepare('SELECT label_version, oof_model_id FROM score_versions WHERE model_id = 1').get(), { label_version: 1, oof_model_id: 2 });
    assert.throws(() => db.prepare('UPDATE models SET label_version = -1 WHERE id = 2').run(), /CHECK constraint failed/);
  },
  5: (db) => {
    assert.deepEqual(db.prepare('SELECT owner_pid, owner_host FROM import_jobs WHERE id = 1').raw().get(), [42, 'h']);
    assert.deepEqual(db.prepare('SELECT owner_pid, owner_host FROM runs WHERE id = 1').raw().get(), [43, 'h']);
  },
  [versionOf('dataset_health')]: (db) => {
    assert.equal(db.prepare('SELECT phash FROM sample_hashes WHERE sample_id = 1').pluck().get(), 'fedcba9876543210');
    assert.throws(() => db.prepare("INSERT INTO health_reports (near_threshold, faces, summary, findings) VALUES (4, 1, 'not json', '{}')").run(), /CHECK constraint failed/);
  },
};

test('migrations are numbered 1..N without gaps and each has seed data here', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  for (const m of MIGRATIONS) assert.ok(SEED[m.version] && CHECK[m.version], `migration ${m.version} (${m.name}) needs SEED and CHECK entries in this test`);
});

for (const mig of MIGRATIONS) {
  test(`migration ${mig.version} (${mig.name}) applies on an empty database`, () => {
    const tmp = tempDir();
    try {
      const db = rawDb(tmp.file('empty.sqlite'));
      // Migrations are written to run in order; "empty" for migration k means: nothing but 1..k-1.
      applyMigrations(db, MIGRATIONS, mig.version - 1);
      const before = schemaText(db);
      assert.deepEqual(applyMigrations(db, MIGRATIONS, mig.version), [mig.version]);
      assert.equal(schemaVersion(db), mig.version);
      assert.notEqual(schemaText(db), before, 'the migration changes the schema');
      db.close();
    } finally {
      tmp.remove();
    }
  });

  test(`migration ${mig.version} (${mig.name}) applies on version ${mig.version - 1} with data, keeping it`, () => {
    const tmp = tempDir();
    try {
      const db = rawDb(tmp.file('data.sqlite'));
      for (let v = 1; v < mig.version; v++) {
        applyMigrations(db, MIGRATIONS, v);
        SEED[v](db);
      }
      applyMigrations(db, MIGRATIONS, mig.version);
      for (let v = 1; v < mig.version; v++) CHECK[v](db);
      SEED[mig.version](db);
      CHECK[mig.version](db);
      assert.deepEqual(db.pragma('foreign_key_check'), []);
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      db.close();
    } finally {
      tmp.remove();
    }
  });
}

test('a failing migration leaves the file at the previous version with nothing half-applied', () => {
  const tmp = tempDir();
  try {
    const db = rawDb(tmp.file('fail.sqlite'));
    const broken: Migration[] = [
      ...MIGRATIONS,
      { version: MIGRATIONS.length + 1, name: 'broken', sql: 'CREATE TABLE half_done (x); INSERT INTO no_such_table VALUES (1);' },
    ];
    assert.throws(() => applyMigrations(db, broken), /no such table/);
    assert.equal(schemaVersion(db), MIGRATIONS.length);
    assert.ok(!tables(db).includes('half_done'));
    db.close();
  } finally {
    tmp.remove();
  }
});

test('opening an older project migrates it and keeps its data', () => {
  const tmp = tempDir();
  try {
    const file = tmp.file('old.sqlite');
    const db = openProject(file, { create: true, migrations: MIGRATIONS.slice(0, 1), inputSize: { height: 2, width: 2 } });
    db.sqlite.prepare("INSERT INTO samples (source_ref, dataset, split, width, height, pixels, given_label) VALUES ('a', 'demo', 'test', 2, 2, x'00010203', 1)").run();
    db.close();
    const upgraded = openProject(file);
    assert.equal(schemaVersion(upgraded.sqlite), MIGRATIONS.length);
    assert.equal(upgraded.sqlite.prepare('SELECT count(*) FROM samples').pluck().get(), 1);
    upgraded.close();
  } finally {
    tmp.remove();
  }
});
