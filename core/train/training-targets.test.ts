/** The training-target rule: reviewer authority, exclusions, soft targets and faces without a majority. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_LABEL_CODES } from '../../api/domain.ts';
import { TARGET_FROM_LABEL, TARGET_FROM_REVIEWER, TARGET_FROM_VOTES, TARGET_FROM_VOTES_ONLY, targetMatrix, trainingTargets, type TargetEvidence } from './training-targets.ts';

const NEUTRAL = 0, HAPPY = 1, SAD = 2, ANGER = 6, NF = 10;
const row = (m: Record<number, number>) => Array.from({ length: NUM_LABEL_CODES }, (_, c) => m[c] ?? 0);
const round = (a: ArrayLike<number>) => Array.from(a, (v) => +v.toFixed(6));

// Face 0: 8 happy / 2 neutral relabelled to anger. 1: the same votes, unreviewed. 2: marked
// ambiguous. 3: not a face. 4: no majority (4 neutral / 4 sad / 2 happy), no label. 5: NF
// majority, no label. 6: a face with only 2 class votes and label sad. 7: 6 happy / 4 neutral
// confirmed by a reviewer. 8: no label, no votes.
const evidence: TargetEvidence = {
  labels: Int32Array.from([ANGER, HAPPY, HAPPY, NF, -1, -1, SAD, HAPPY, -1]),
  lastAction: ['relabel', null, 'ambiguous', 'not_face', null, null, null, 'confirm', null],
  counts: Float32Array.from([
    row({ [HAPPY]: 8, [NEUTRAL]: 2 }),
    row({ [HAPPY]: 8, [NEUTRAL]: 2 }),
    row({ [HAPPY]: 8, [NEUTRAL]: 2 }),
    row({ [HAPPY]: 8, [NEUTRAL]: 2 }),
    row({ [NEUTRAL]: 4, [SAD]: 4, [HAPPY]: 2 }),
    row({ [NF]: 7, [HAPPY]: 3 }),
    row({ [SAD]: 2 }),
    row({ [HAPPY]: 6, [NEUTRAL]: 4 }),
    row({}),
  ].flat()),
};

test("one-hot rule: a reviewer's class wins over the votes; unreviewed voted faces train on their votes", () => {
  const t = trainingTargets(evidence, { softTargets: true });
  assert.deepEqual(Array.from(t.rows), [0, 1, 4, 6, 7]);
  assert.deepEqual(Array.from(t.y), [ANGER, HAPPY, NEUTRAL, SAD, HAPPY], 'no-majority face 4: the most voted class, lowest index on a tie');
  assert.deepEqual(Array.from(t.source), [TARGET_FROM_REVIEWER, TARGET_FROM_VOTES, TARGET_FROM_VOTES_ONLY, TARGET_FROM_LABEL, TARGET_FROM_REVIEWER]);
  assert.equal(t.reviewerRows, 2);
  assert.equal(t.softRows, 2);
  assert.equal(t.voteOnlyRows, 1);
  const m = targetMatrix(t.y, t.soft);
  assert.deepEqual(round(m.subarray(0, 8)), [0, 0, 0, 0, 0, 0, 1, 0], 'relabelled to anger: one-hot anger, not 80% happy');
  assert.deepEqual(round(m.subarray(8, 16)), [0.2, 0.8, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(round(m.subarray(16, 24)), [0.4, 0.2, 0.4, 0, 0, 0, 0, 0], 'no majority: the vote distribution (METHOD 3.5)');
  assert.deepEqual(round(m.subarray(24, 32)), [0, 0, 1, 0, 0, 0, 0, 0], 'fewer than 3 class votes: one-hot on the label');
  assert.deepEqual(round(m.subarray(32, 40)), [0, 1, 0, 0, 0, 0, 0, 0], 'confirmed: one-hot on the confirmed class');
  assert.deepEqual(t.leftOut, {
    'marked ambiguous by a reviewer': 1,
    'marked not a face by a reviewer': 1,
    'votes: not a face holds the majority': 1,
    'no label': 1,
  });
});

test('weighted rule: the reviewer counts as one more vote than all annotators, so their class holds the majority', () => {
  const t = trainingTargets(evidence, { softTargets: true, reviewedTarget: 'weighted' });
  const m = targetMatrix(t.y, t.soft);
  // (2 neutral, 8 happy, 0 + 11 anger) / 21, computed by hand.
  assert.deepEqual(round(m.subarray(0, 8)), round([2 / 21, 8 / 21, 0, 0, 0, 0, 11 / 21, 0]));
  assert.deepEqual(round(m.subarray(32, 40)), round([4 / 21, (6 + 11) / 21, 0, 0, 0, 0, 0, 0]));
  assert.equal(t.softRows, 4);
});

test('hard labels: no soft rows, and faces without a majority are left out and counted', () => {
  const t = trainingTargets(evidence, { softTargets: false });
  assert.deepEqual(Array.from(t.rows), [0, 1, 6, 7]);
  assert.equal(t.soft, null);
  assert.equal(t.leftOut['no majority (hard labels)'], 1);
  assert.deepEqual(round(targetMatrix(t.y, t.soft).subarray(8, 16)), [0, 1, 0, 0, 0, 0, 0, 0]);
});

test('bad input is refused with the reason', () => {
  assert.throws(() => trainingTargets(evidence, { softTargets: true, reviewedTarget: 'vote' as 'weighted' }), /reviewedTarget must be one of one-hot, weighted/);
  assert.throws(() => trainingTargets({ ...evidence, lastAction: [] }, { softTargets: true }), /9 labels but 0 decisions/);
  assert.throws(() => targetMatrix(Int32Array.from([9]), null), /row 0 has label 9/);
});
