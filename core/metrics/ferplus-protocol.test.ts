import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LABEL_CODE_NAMES } from '../../api/domain.ts';
import { ferplusMajorityLabels } from './ferplus-protocol.ts';

const row = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);

test('FER+ majority rule: more than half wins; half is not a majority; unknown / NF winning is excluded', () => {
  const votes = [
    row({ 0: 6, 1: 4 }), // neutral, 6 of 10
    row({ 0: 5, 1: 5 }), // exactly half: no majority
    row({ 0: 4, 1: 3, 2: 3 }), // plurality but not majority
    row({ 11: 6, 0: 4 }), // unknown wins
    row({ 10: 10 }), // not a face
    row({}), // no votes
    row({ 7: 1 }), // 1 of 1 is a majority
    row({ 0: 4, 11: 6 }), // the class loses to unknown in the total
    row({ 9: 6, 3: 4 }), // a non-class code other than unknown/NF
    row({ 3: 5, 4: 3, 11: 1, 10: 1 }), // 5 of 10 counting unknown and NF: not a majority
  ].flat();
  const r = ferplusMajorityLabels(votes);
  assert.deepEqual(Array.from(r.labels), [0, -1, -1, -1, -1, -1, 7, -1, -1, -1]);
  assert.equal(r.kept, 2);
  assert.deepEqual(r.excluded, { noVotes: 1, noMajority: 3, unknown: 2, notFace: 1, otherNonClass: 1 });
});

test('dropSingleVotes reproduces the official code’s outlier removal', () => {
  const votes = row({ 0: 5, 1: 4, 2: 1 });
  assert.equal(ferplusMajorityLabels(votes).labels[0], -1, '5 of 10 is not a majority');
  assert.equal(ferplusMajorityLabels(votes, { dropSingleVotes: true }).labels[0], 0, '5 of 9 after dropping the single vote');
  assert.throws(() => ferplusMajorityLabels([1, 2, 3]), /multiple of 12/);
});

// FER+ order of the vote columns in label.csv, mapped by name to LabelCodes.
const FERPLUS_COLUMNS = ['neutral', 'happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'not_face'];
const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FERPLUS_ROOT = path.resolve(REPO_ROOT, '..', 'shared', 'data', 'ferplus');

function readVotes(file: string): Float64Array {
  const codes = FERPLUS_COLUMNS.map((name) => (LABEL_CODE_NAMES as readonly string[]).indexOf(name));
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '');
  const votes = new Float64Array(lines.length * 12);
  lines.forEach((line, i) => {
    const m = line.match(/^[^,]+,"\([^)]*\)",(.*)$/);
    if (!m) throw new Error(`${file}:${i + 1}: not "name,(box),10 counts"`);
    m[1].split(',').forEach((v, j) => (votes[i * 12 + codes[j]] = Number(v)));
  });
  return votes;
}

test('on the real FER+ train and valid votes the rule gives the counts the data set documents', (t) => {
  const train = path.join(FERPLUS_ROOT, 'FER2013Train', 'label.csv');
  if (!existsSync(train)) {
    t.skip(`FER+ data not found at ${path.relative(REPO_ROOT, FERPLUS_ROOT)} (../shared/data/ferplus); skipped`);
    return;
  }
  const r = ferplusMajorityLabels(readVotes(train));
  assert.equal(r.kept, 21823);
  const perClass = new Array(8).fill(0);
  for (const l of r.labels) if (l >= 0) perClass[l]++;
  // neutral, happy, sad, surprise, fear, disgust, anger, contempt (project order)
  assert.deepEqual(perClass, [7485, 7080, 2388, 2748, 346, 52, 1648, 76]);
  assert.equal(r.kept + Object.values(r.excluded).reduce((s, v) => s + v, 0), 28558);
  assert.equal(ferplusMajorityLabels(readVotes(path.join(FERPLUS_ROOT, 'FER2013Valid', 'label.csv'))).kept, 2866);
});
