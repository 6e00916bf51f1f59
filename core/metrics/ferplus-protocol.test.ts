import assert from 'node:assert/strict';
import { test } from 'node:test';
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
