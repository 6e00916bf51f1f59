// `health` as a user runs it (a child process, a real project file): --json carries the
// documented keys with the planted counts, and a bad threshold is a usage error naming the option.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openProject } from '../../db/connection.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { makeRecord, tempDir } from '../../db/test-support.ts';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bin', 'affect-relearn.js');

test('health --json reports planted duplicates across splits and a blank face', () => {
  const tmp = tempDir();
  try {
    const path = tmp.file('p.arproj');
    const db = openProject(path, { create: true });
    const recs = Array.from({ length: 12 }, (_, i) => makeRecord({ index: i, split: i < 8 ? 'train' : i < 10 ? 'valid' : 'test' }));
    recs[9].pixels = Uint8Array.from(recs[0].pixels); // train+valid
    recs[11].pixels = Uint8Array.from(recs[1].pixels); // train+test
    recs[5].pixels = new Uint8Array(48 * 48); // blank (and dark)
    insertSampleBatch(db, recs);
    db.close();

    const r = spawnSync(process.execPath, [BIN, 'health', '--project', path, '--json'], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout);
    assert.deepEqual(s.exactDuplicates, {
      groups: 2,
      redundantFaces: 2,
      withinSplit: { train: 0, valid: 0, test: 0 },
      crossSplit: { 'train+valid': 1, 'train+test': 1, 'valid+test': 0, 'train+valid+test': 0 },
    });
    assert.deepEqual(s.nearDuplicates.pairs, 0);
    assert.equal(s.nearDuplicates.threshold, 4);
    assert.equal(s.outliers.scored, 12);
    assert.equal(s.outliers.top.length, 12);
    assert.equal(s.imageChecks.blank, 1);
    assert.equal(s.imageChecks.dark, 1);

    const bad = spawnSync(process.execPath, [BIN, 'health', '--project', path, '--near-threshold', '13'], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--near-threshold must be at most 12 bits, got 13/);
  } finally {
    tmp.remove();
  }
});
