import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { applyMigrations, loadMigrations, schemaVersion, type Migration } from './migrate.ts';
import { openProject } from './connection.ts';
import { tempDir } from './test-support.ts';

const MIGRATIONS = loadMigrations();
/** Looked up by name: branches add migrations in parallel and are renumbered when merged. */

function versionOf(name: string): number {
  const m = MIGRATIONS.find((x) => x.name === name);
  if (!m) throw new Error(`no migration named ${name}`);
  return m.version;
}

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
  // Keyed by name: the number is assigned when branches merge.
  [versionOf('scale_indexes')]: (db) => {
    db.prepare("INSERT INTO samples (id, source_ref, dataset, split, width, height, pixels, given_label) VALUES (2, 'b', 'demo', 'train', 2, 2, x'04050607', 1)").run();
    db.prepare('INSERT INTO sample_votes (sample_id, n_happy) VALUES (2, 1)').run();
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
  [versionOf('scale_indexes')]: (db) => {
    // The vote total is answered from the new index, with the rows from before it.
    const sql = 'SELECT sample_id FROM sample_votes WHERE n_total >= 2';
    assert.match((db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join(' '), /sample_votes_by_total/);
    assert.deepEqual(db.prepare(sql).pluck().all(), [1]);
  },
  [versionOf('dataset_health')]: (db) => {
    assert.equal(db.prepare('SELECT phash FROM sample_hashes WHERE sample_id = 1').pluck().get(), 'fedcba9876543210');
    assert.throws(() => db.prepare("INSERT INTO health_reports (near_threshold, faces, summary, findings) VALUES (4, 1, 'not json', '{}')").run(), /CHECK constraint failed/);
  },
};


SEED[versionOf('review_tools')] = (db) => {
  db.prepare("INSERT INTO relabel_batches (id, kind, reviewer_id) VALUES (1, 'accept_suggestions', 1)").run();
  db.prepare("INSERT INTO relabels (sample_id, action, label, previous_label, reviewer_id, batch_id) VALUES (1, 'confirm', 5, 5, 1, 1)").run();
  db.prepare("INSERT INTO face_tags (sample_id, tag) VALUES (1, 'glasses')").run();
};
CHECK[versionOf('review_tools')] = (db) => {
  // The decision from before the migration is a single one; the trail is still append-only.
  // (The batch's row is a confirmation, so the label the earlier checks expect stays.)
  assert.deepEqual(db.prepare('SELECT batch_id FROM relabels ORDER BY id').pluck().all(), [null, 1]);
  assert.throws(() => db.prepare('UPDATE relabels SET batch_id = 1').run(), /append-only/);
  assert.throws(() => db.prepare("INSERT INTO face_tags (sample_id, tag) VALUES (1, ' padded ')").run(), /CHECK constraint failed/);
  assert.throws(() => db.prepare("INSERT INTO relabel_batches (kind, reviewer_id) VALUES ('undo', 1)").run(), /CHECK constraint failed/);
  assert.equal(db.prepare("SELECT count(*) FROM face_tags WHERE tag = 'glasses'").pluck().get(), 1);
};

// The dev-test carve, found by name so that renumbering at a merge needs no edit here.
const DEV_TEST = MIGRATIONS.find((m) => m.name === 'dev_test')?.version;
if (DEV_TEST !== undefined) {
  SEED[DEV_TEST] = (db) => {
    db.prepare('INSERT INTO dev_test_carves (id, fraction, seed, faces) VALUES (1, 0.1, 7, 1)').run();
    db.prepare('INSERT INTO dev_test_samples (sample_id, carve_id) VALUES (1, 1)').run();
  };
  CHECK[DEV_TEST] = (db) => {
    assert.deepEqual(db.prepare('SELECT fraction, seed, faces FROM dev_test_carves WHERE id = 1').raw().get(), [0.1, 7, 1]);
    assert.throws(() => db.prepare('INSERT INTO dev_test_carves (fraction, seed, faces) VALUES (1.5, 1, 0)').run(), /CHECK constraint failed/);
  };
}

// Keyed by name, not number: the file may be renumbered when branches are merged.
const CHILD_DECISIONS = MIGRATIONS.find((m) => m.name === 'child_decisions')!.version;
SEED[CHILD_DECISIONS] = (db) => {
  db.prepare("INSERT INTO runs (id, kind, status) VALUES (9, 'relearn', 'done')").run();
  db.prepare("INSERT INTO child_decisions (relearn_run_id, decision, worse_accepted, decided_at) VALUES (9, 'adopted', 1, '2026-01-02T00:00:00Z')").run();
};
CHECK[CHILD_DECISIONS] = (db) => {
  assert.deepEqual(db.prepare('SELECT relearn_run_id, decision, worse_accepted FROM child_decisions').raw().get(), [9, 'adopted', 1]);
  assert.throws(() => db.prepare("INSERT INTO child_decisions (relearn_run_id, decision) VALUES (9, 'undecided')").run(), /CHECK constraint failed/);
};

// Migrations added after 0005 are keyed by name, since their number is settled when branches merge.
const faceMaps = MIGRATIONS.find((m) => m.name === 'face_maps');
if (faceMaps) {
  SEED[faceMaps.version] = (db) => {
    db.prepare("INSERT INTO face_maps (model_id, method, seed, face_count, sample_ids, coords, seconds) VALUES (1, 'umap-features', 3, 1, x'01000000', x'0000803f00000040', 0.5)").run();
  };
  CHECK[faceMaps.version] = (db) => {
    assert.equal(db.prepare("SELECT face_count FROM face_maps WHERE model_id = 1 AND method = 'umap-features'").pluck().get(), 1);
    // One map per (model, method): the pixel map's NULL model is a key of its own, and a second map of a key is refused.
    db.prepare("INSERT INTO face_maps (model_id, method, seed, face_count, sample_ids, coords, seconds) VALUES (NULL, 'pca-pixels', 3, 0, x'', x'', 0)").run();
    assert.throws(() => db.prepare("INSERT INTO face_maps (model_id, method, seed, face_count, sample_ids, coords, seconds) VALUES (NULL, 'pca-pixels', 4, 0, x'', x'', 0)").run(), /UNIQUE constraint failed/);
    assert.throws(() => db.prepare("INSERT INTO face_maps (model_id, method, seed, face_count, sample_ids, coords, seconds) VALUES (1, 'pca-pixels', 3, 2, x'01000000', x'', 0)").run(), /CHECK constraint failed/);
    db.prepare("DELETE FROM face_maps WHERE model_id IS NULL").run();
  };
}

// Migrations still numbered by the merge are keyed by name here, so a renumbering leaves this test alone.
const SEED_BY_NAME: Record<string, (db: Database.Database) => void> = {
  imported_models: (db) => {
    // A child pointing at its parent, and evaluations: the rebuild must keep every reference.
    db.prepare("INSERT INTO models (id, run_id, kind, name, file_path, input_height, input_width, parent_model_id) VALUES (3, 1, 'dbn', 'child', 'm3/weights.bin', 2, 2, 1)").run();
    db.prepare("INSERT INTO predictions (model_id, sample_id, probs) VALUES (3, 1, zeroblob(32))").run();
    db.prepare("INSERT INTO evaluations (model_id, split, label, result) VALUES (1, 'valid', 'parent', '{}')").run();
  },
  reference_labels: (db) => {
    db.prepare("INSERT INTO reference_votes (sample_id, counts) VALUES (1, '[0,0,0,6,4,0,0,0,0,0,0,0]')").run();
    db.prepare('UPDATE scores SET crowdlab = 0.5, normalized_margin = 0.75 WHERE model_id = 1 AND sample_id = 1').run();
  },
};
const CHECK_BY_NAME: Record<string, (db: Database.Database) => void> = {
  imported_models: (db) => {
    assert.deepEqual(db.prepare('SELECT id, kind, parent_model_id, label_version FROM models ORDER BY id').raw().all(), [[1, 'cnn', null, null], [2, 'cnn', null, 1], [3, 'dbn', 1, null]]);
    assert.deepEqual(db.prepare('SELECT count(*) FROM predictions WHERE model_id = 3').pluck().get(), 1);
    assert.deepEqual(db.prepare('SELECT count(*) FROM evaluations WHERE model_id = 1').pluck().get(), 1);
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1, 'foreign keys are on again after the rebuild');
    // Imported predictions have no weight file; a trained model must have one.
    db.prepare("INSERT INTO models (id, kind, name, file_path, input_height, input_width) VALUES (4, 'imported', 'other tool', '', 2, 2)").run();
    assert.throws(() => db.prepare("INSERT INTO models (kind, name, file_path, input_height, input_width) VALUES ('imported', 'x', 'w.bin', 2, 2)").run(), /CHECK constraint failed/);
    assert.throws(() => db.prepare("INSERT INTO models (kind, name, file_path, input_height, input_width) VALUES ('cnn', 'x', '', 2, 2)").run(), /CHECK constraint failed/);
    assert.throws(() => db.prepare("INSERT INTO models (kind, name, file_path, input_height, input_width) VALUES ('svm', 'x', 'w', 2, 2)").run(), /CHECK constraint failed/);
    // The references still act: deleting a model cascades to its predictions (and the child's parent link is enforced).
    assert.throws(() => db.prepare('INSERT INTO models (kind, name, file_path, input_height, input_width, parent_model_id) VALUES (\'cnn\', \'x\', \'w\', 2, 2, 99)').run(), /FOREIGN KEY constraint failed/);
    db.prepare('DELETE FROM models WHERE id = 3').run();
    assert.equal(db.prepare('SELECT count(*) FROM predictions WHERE model_id = 3').pluck().get(), 0);
    db.prepare('DELETE FROM models WHERE id = 4').run();
    assert.match((db.prepare('EXPLAIN QUERY PLAN SELECT id FROM models WHERE parent_model_id = 1').all() as { detail: string }[]).map((p) => p.detail).join(' '), /models_by_parent/);
  },
  reference_labels: (db) => {
    assert.equal(db.prepare('SELECT counts FROM reference_votes WHERE sample_id = 1').pluck().get(), '[0,0,0,6,4,0,0,0,0,0,0,0]');
    assert.deepEqual(db.prepare('SELECT margin, crowdlab, normalized_margin FROM scores WHERE sample_id = 1').raw().get(), [0.25, 0.5, 0.75]);
    assert.throws(() => db.prepare("INSERT INTO reference_votes (sample_id, counts) VALUES (1, '[1,2]')").run(), /constraint failed/);
  },
};
for (const m of MIGRATIONS) {
  if (SEED_BY_NAME[m.name]) SEED[m.version] = SEED_BY_NAME[m.name];
  if (CHECK_BY_NAME[m.name]) CHECK[m.version] = CHECK_BY_NAME[m.name];
}

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
