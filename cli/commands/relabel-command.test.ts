// `relabel` as a user runs it (a child process, a real project file): one face by id, a CSV
// of corrections by source path with bad rows reported by line and field and the rest
// applied once, and the audit trail the review view reads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openProject } from '../../db/connection.ts';
import { currentLabel, labelHistory, reviewState } from '../../db/relabel-store.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { makeRecord, tempProject, type TempDir } from '../../db/test-support.ts';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bin', 'affect-relearn.js');
let tmp: TempDir;
let project: string;
let ids: number[];

function cli(...args: string[]): { code: number; json: any; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, json: JSON.parse(r.stdout.trim().split('\n').pop() || 'null'), stderr: r.stderr };
}

before(() => {
  const p = tempProject({ inputSize: { height: 8, width: 8 } });
  tmp = p.tmp;
  project = p.db.path;
  // Source references carry a dataset prefix, as the importers write them ("ferplus:FER2013Train/...").
  const recs = Array.from({ length: 6 }, (_, i) => ({ ...makeRecord({ index: i, size: 8, givenLabel: 1 }), sourceRef: `demo:set/${i}` }));
  ids = insertSampleBatch(p.db, recs).ids.map((id) => id!);
  p.db.close();
});
after(() => tmp.remove());

test('relabel --face writes one decision to the audit trail, with reviewer and note', () => {
  const r = cli('relabel', '--project', project, '--face', String(ids[0]), '--label', 'anger', '--reviewer', 'ana', '--note', 'frown');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.applied.length, 1);
  const db = openProject(project);
  try {
    assert.equal(currentLabel(db, ids[0]), 6);
    const h = labelHistory(db, ids[0]);
    assert.deepEqual(h.map((d) => [d.action, d.label, d.previousLabel, d.reviewer, d.note]), [['relabel', 6, 1, 'ana', 'frown']]);
  } finally {
    db.close();
  }
  const bad = cli('relabel', '--project', project, '--face', '999', '--label', 'anger');
  assert.equal(bad.code, 2);
  assert.match(bad.json.error, /--face: no face with id 999/);
  // By file name (one face has it) and by source reference without its dataset prefix.
  assert.equal(cli('relabel', '--project', project, '--face', '0.png', '--label', 'anger').json.unchanged.length, 1, 'face 0 already has this decision');
});

test('relabel --csv reports bad rows by line and field, applies the rest, and applies nothing twice', () => {
  const csv = join(tmp.dir, 'fixes.csv');
  writeFileSync(
    csv,
    [
      'path,label,reviewer,note',
      'faces/1.png,sad,bo,',
      `${ids[2]},ambiguous,,"two faces, one smiling"`,
      'set/3,not_face,bo,',
      'faces/404.png,happy,bo,',
      'faces/4.png,bored,bo,',
      `${ids[5]},7,,`,
      `${ids[5]},contempt,,`,
      'faces/1.png,happy,bo,',
    ].join('\n'),
  );
  const first = cli('relabel', '--project', project, '--csv', csv, '--reviewer', 'cy');
  assert.equal(first.code, 1, 'refused rows make the exit code 1');
  assert.deepEqual(first.json.errors.map((e: { line: number; field: string }) => [e.line, e.field]), [[5, 'face'], [6, 'label'], [9, 'face']]);
  assert.match(first.json.errors[2].message, new RegExp(`face ${ids[1]} already has a different decision on line 2`));
  assert.match(first.json.errors[0].message, /faces\/404\.png/);
  assert.match(first.json.errors[1].message, /"bored" is not a class/);
  assert.deepEqual(first.json.applied.map((a: { line: number; action: string }) => [a.line, a.action]), [[2, 'relabel'], [3, 'ambiguous'], [4, 'not_face'], [7, 'relabel']]);

  const again = cli('relabel', '--project', project, '--csv', csv);
  assert.equal(again.json.applied.length, 0, 'rerunning the same file applies nothing new');
  assert.equal(again.json.unchanged.length, 4, 'line 8 repeats line 7 and counts once');

  const db = openProject(project);
  try {
    assert.equal(currentLabel(db, ids[1]), 2);
    assert.deepEqual(labelHistory(db, ids[1]).map((d) => d.reviewer), ['bo'], 'the CSV reviewer wins; one audit row');
    assert.deepEqual(labelHistory(db, ids[2]).map((d) => [d.reviewer, d.note]), [['cy', 'two faces, one smiling']]);
    assert.equal(reviewState(db, ids[2]).lastAction, 'ambiguous');
    assert.equal(currentLabel(db, ids[3]), 10);
    assert.equal(currentLabel(db, ids[4]), 1, 'the refused row changed nothing');
    assert.equal(currentLabel(db, ids[5]), 7);
  } finally {
    db.close();
  }
});
