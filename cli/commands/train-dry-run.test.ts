// `train --dry-run --json` as a user runs it, on a real project file: what a run would train
// on after review, without training (no run is created).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ferPlusMajority } from '../../core/datasets/label-names.ts';
import { openProject } from '../../db/connection.ts';
import { recordDecision } from '../../db/relabel-store.ts';
import { listRuns } from '../../db/run-store.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { makeRecord, tempProject, type TempDir } from '../../db/test-support.ts';

const BIN = join(resolve(dirname(fileURLToPath(import.meta.url)), '..', '..'), 'bin', 'affect-relearn.js');
let tmp: TempDir;
let project: string;

function cli(...args: string[]): { code: number; json: any; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args, '--json'], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status ?? -1, json: JSON.parse(r.stdout.trim().split('\n').pop() || 'null'), stderr: r.stderr };
}
const votes = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);

before(() => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  tmp = p.tmp;
  project = p.db.path;
  const voted = votes({ 1: 8, 0: 2 });
  const tie = votes({ 0: 5, 2: 5 });
  const recs = [
    ...[0, 1, 2, 3, 4, 5].map((i) => makeRecord({ index: i, size: 4, givenLabel: i % 3 })), // neutral, happy, sad twice each
    makeRecord({ index: 6, size: 4, votes: voted, givenLabel: ferPlusMajority(voted) }),
    makeRecord({ index: 7, size: 4, votes: voted, givenLabel: ferPlusMajority(voted) }),
    makeRecord({ index: 8, size: 4, votes: tie, givenLabel: ferPlusMajority(tie) }),
    makeRecord({ index: 9, size: 4, givenLabel: 3 }),
    makeRecord({ index: 10, size: 4, givenLabel: 4 }),
    makeRecord({ index: 11, size: 4, split: 'valid', givenLabel: 1 }),
  ];
  const ids = insertSampleBatch(p.db, recs).ids.map((id) => id!);
  recordDecision(p.db, { sampleId: ids[6], action: 'relabel', label: 6, reviewer: 'ana' });
  recordDecision(p.db, { sampleId: ids[9], action: 'ambiguous', reviewer: 'ana' });
  recordDecision(p.db, { sampleId: ids[10], action: 'not_face', reviewer: 'ana' });
  p.db.close();
});
after(() => tmp.remove());

test('train --dry-run --json: faces per class, soft rows, reviewer rows and the faces left out, without a run', () => {
  const r = cli('train', '--project', project, '--model', 'cnn', '--dry-run');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.trainFaces, 9);
  assert.deepEqual(r.json.perClass, { neutral: 3, happy: 3, sad: 2, surprise: 0, fear: 0, disgust: 0, anger: 1, contempt: 0 }, 'the tie trains on votes; its class is the first most voted (neutral)');
  assert.equal(r.json.softTargetRows, 2, 'the unreviewed voted face and the tie');
  assert.equal(r.json.voteOnlyRows, 1);
  assert.equal(r.json.reviewerTargetRows, 1);
  assert.deepEqual(r.json.leftOut, { 'marked ambiguous by a reviewer': 1, 'marked not a face by a reviewer': 1 });
  assert.equal(r.json.validFaces, 1);

  const hard = cli('train', '--project', project, '--model', 'cnn', '--dry-run', '--hard-labels', '--max-samples', '4');
  assert.equal(hard.json.eligibleFaces, 8);
  assert.equal(hard.json.trainFaces, 4);
  assert.equal(hard.json.softTargetRows, 0);
  assert.equal(hard.json.leftOut['no majority (hard labels)'], 1);

  const weighted = cli('train', '--project', project, '--model', 'cnn', '--dry-run', '--reviewed-target', 'weighted');
  assert.equal(weighted.json.softTargetRows, 3, 'the relabelled voted face now trains on a blend');
  assert.equal(cli('train', '--project', project, '--model', 'cnn', '--dry-run', '--reviewed-target', 'votes').code, 2);

  const db = openProject(project);
  try {
    assert.equal(listRuns(db).length, 0, 'a dry run creates no run');
  } finally {
    db.close();
  }
});
