// FER+ imported with --votes-per-face into a real project file: what the trainers and scores
// read (sample_votes, the given label, db/analysis-inputs.ts) holds only the K votes; the full
// counts are only reachable through db/reference-votes.ts.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makeTempDir, patchPixels, writeImage, writeText } from '../../../core/datasets/test-fixtures.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { readReferenceVotes, referenceAmbiguous, referenceMajority } from '../../../db/reference-votes.ts';
import { importDataset } from './import.ts';

let dir = '';
let cleanup = () => {};
let db: ProjectDb;
const N = 12;
// FER+ order: neutral, happiness, surprise, sadness, anger, disgust, fear, contempt, unknown, NF.
const ROWS = ['0,6,4,0,0,0,0,0,0,0', '0,0,0,0,5,5,0,0,0,0', '9,1,0,0,0,0,0,0,0,0'];

before(async () => {
  ({ dir, cleanup } = makeTempDir('few-votes'));
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    await writeImage(join(dir, 'fer', 'FER2013Train', `f${i}.png`), 48, 48, patchPixels(48, 48, { x: 8, y: 8, width: 32, height: 32, left: 10 * i, right: 200, background: 0 }), 'png');
    lines.push(`f${i}.png,"(0, 0, 48, 48)",${ROWS[i % 3]}`);
  }
  writeText(join(dir, 'fer', 'FER2013Train', 'label.csv'), lines.join('\n'));
  db = openProject(join(dir, 'k1.arproj'), { create: true });
});
after(() => {
  db?.close();
  cleanup();
});

test('K = 1: one vote per face for everything that trains or scores, 10 in the reference', async () => {
  const report = await importDataset(db, { kind: 'ferplus', path: join(dir, 'fer'), options: { votesPerFace: 1, voteSeed: 3 } });
  assert.equal(report.accepted, N);
  const ev = loadSplitEvidence(db, 'train');
  assert.equal(ev.ids.length, N);
  const ref = readReferenceVotes(db, 'train');
  assert.equal(ref.size, N);
  let disagree = 0;
  ev.ids.forEach((id, i) => {
    const seen = Array.from(ev.counts.subarray(i * 12, i * 12 + 12));
    assert.equal(seen.reduce((a, b) => a + b, 0), 1, `face ${id}: the evidence holds one vote`);
    const full = ref.get(id)!;
    assert.equal(full.reduce((a, b) => a + b, 0), 10);
    const label = seen.indexOf(1);
    assert.equal(ev.labels[i], label, 'the given label is the kept vote');
    assert.ok(full[label] > 0, 'the kept vote is one of the face\'s votes');
    if (referenceMajority(full) !== label) disagree++;
  });
  // Faces 0 (6 happy / 4 surprise), 1 (5 anger / 5 disgust: no majority) disagree with their reference for some draws.
  assert.ok(disagree > 0, 'some single votes differ from the 10-vote majority');
  assert.equal(referenceMajority([0, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0]), null);
  assert.equal(referenceAmbiguous([0, 0, 0, 0, 0, 5, 5, 0, 0, 0, 0, 0]), true);
  assert.equal(referenceAmbiguous([1, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), false);
  assert.equal(referenceAmbiguous([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0]), null, 'no class votes: undefined');
});

test('one vote draw per project: another K or seed is refused, the same one resumes', async () => {
  await assert.rejects(importDataset(db, { kind: 'ferplus', path: join(dir, 'fer'), options: { votesPerFace: 3, voteSeed: 3 } }), /--votes-per-face 1 --vote-seed 3.*new project/);
  await assert.rejects(importDataset(db, { kind: 'ferplus', path: join(dir, 'fer'), options: {} }), /would mix two vote draws/);
  const again = await importDataset(db, { kind: 'ferplus', path: join(dir, 'fer'), options: { votesPerFace: 1, voteSeed: 3 } });
  assert.equal(again.accepted, 0);
  assert.equal(again.skippedExisting, N);
  await assert.rejects(importDataset(db, { kind: 'folder', path: join(dir, 'fer'), options: { votesPerFace: 1 } }), /FER\+ imports only/);
});
