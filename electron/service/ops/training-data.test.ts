// What every trainer is handed from a real project file: a reviewer's class wins over the
// votes, ambiguous / not-a-face faces are left out, FER+ faces without a majority train on
// their votes, and a tiny CNN and DBN build their targets from exactly that.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES } from '../../../api/domain.ts';
import { ferPlusMajority } from '../../../core/datasets/label-names.ts';
import { createTrainer } from '../../../core/train/create-trainer.ts';
import { recordDecision } from '../../../db/relabel-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { initBackend } from '../../../core/backend/init-backend.ts';
import { ensureTrainerKinds } from './analysis-folds.ts';
import { loadProjectTrainingData, loadTrainingSet } from './training-data.ts';

const HAPPY = 1, NEUTRAL = 0, SAD = 2, ANGER = 6;
const votes = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);

/** 16 labelled faces without votes, a voted 8 happy / 2 neutral face, a no-majority face, two faces to exclude. */
function fixture() {
  const p = tempProject({ inputSize: { height: 8, width: 8 } });
  const recs = [];
  for (let i = 0; i < 16; i++) recs.push(makeRecord({ index: i, size: 8, givenLabel: i % NUM_CLASSES }));
  const voted = votes({ [HAPPY]: 8, [NEUTRAL]: 2 });
  const noMajority = votes({ [NEUTRAL]: 4, [SAD]: 4, [HAPPY]: 2 });
  recs.push(makeRecord({ index: 16, size: 8, givenLabel: ferPlusMajority(voted), votes: voted }));
  recs.push(makeRecord({ index: 17, size: 8, givenLabel: ferPlusMajority(noMajority), votes: noMajority }));
  recs.push(makeRecord({ index: 18, size: 8, givenLabel: 3 }));
  recs.push(makeRecord({ index: 19, size: 8, givenLabel: 4 }));
  recs.push(makeRecord({ index: 20, size: 8, split: 'valid', givenLabel: 1 }));
  const ids = insertSampleBatch(p.db, recs).ids.map((id) => id!);
  return { p, ids, voted: ids[16], noMajority: ids[17], ambiguous: ids[18], notFace: ids[19] };
}

test('a face voted 8 happy / 2 neutral trains as 80% happy until a reviewer relabels it to anger, then as anger', async () => {
  const f = fixture();
  try {
    const before = loadProjectTrainingData(f.p.db, { useSoftTargets: true, seed: 1 });
    const r0 = before.trainIds.indexOf(f.voted);
    assert.equal(before.data.y[r0], HAPPY);
    assert.deepEqual(Array.from(before.data.soft!.subarray(r0 * 8, r0 * 8 + 8)), [0.2, 0.8, 0, 0, 0, 0, 0, 0].map(Math.fround));

    recordDecision(f.p.db, { sampleId: f.voted, action: 'relabel', label: ANGER, reviewer: 'ana' });
    recordDecision(f.p.db, { sampleId: f.ambiguous, action: 'ambiguous', reviewer: 'ana' });
    recordDecision(f.p.db, { sampleId: f.notFace, action: 'not_face', reviewer: 'ana' });
    const after = loadProjectTrainingData(f.p.db, { useSoftTargets: true, seed: 1 });
    const r = after.trainIds.indexOf(f.voted);
    assert.equal(after.data.y[r], ANGER);
    assert.ok(after.data.soft!.subarray(r * 8, r * 8 + 8).every(Number.isNaN), 'no vote distribution overrides the reviewer');
    assert.equal(after.reviewerRows, 1);
    assert.ok(!after.trainIds.includes(f.ambiguous) && !after.trainIds.includes(f.notFace), 'ambiguous and not-a-face faces are left out');
    const m = after.trainIds.indexOf(f.noMajority);
    assert.ok(m >= 0, 'the face without a majority is trained on');
    assert.deepEqual(Array.from(after.data.soft!.subarray(m * 8, m * 8 + 8)), [0.4, 0.2, 0.4, 0, 0, 0, 0, 0].map(Math.fround));

    const weighted = loadProjectTrainingData(f.p.db, { useSoftTargets: true, reviewedTarget: 'weighted', seed: 1 });
    assert.deepEqual(Array.from(weighted.data.soft!.subarray(r * 8, r * 8 + 8)), [2 / 21, 8 / 21, 0, 0, 0, 0, 11 / 21, 0].map(Math.fround));

    const set = loadTrainingSet(f.p.db, { useSoftTargets: false });
    assert.deepEqual(set.targets.leftOut, { 'marked ambiguous by a reviewer': 1, 'marked not a face by a reviewer': 1, 'no majority (hard labels)': 1 });

    // The trainers' own target rows (the input of their loss) carry the reviewer's class.
    await initBackend();
    ensureTrainerKinds();
    const cnn = createTrainer('cnn', { maxEpochs: 1, batchSize: 8 }, after.data, 1);
    const dbn = createTrainer('dbn', { hiddenUnits: [4], maxEpochsPerLayer: 1, fineTuneEpochs: 1, useSoftTargets: true }, after.data, 1);
    try {
      const cnnTargets = (cnn as unknown as { targets: Float32Array }).targets;
      assert.deepEqual(Array.from(cnnTargets.subarray(r * 8, r * 8 + 8)), [0, 0, 0, 0, 0, 0, 1, 0]);
      assert.deepEqual(Array.from(cnnTargets.subarray(m * 8, m * 8 + 8)), [0.4, 0.2, 0.4, 0, 0, 0, 0, 0].map(Math.fround));
      while (!dbn.done) await dbn.step();
      const dbnTargets = (dbn as unknown as { targets: Float32Array }).targets;
      assert.deepEqual(Array.from(dbnTargets.subarray(r * 8, r * 8 + 8)), [0, 0, 0, 0, 0, 0, 1, 0]);
    } finally {
      cnn.dispose();
      dbn.dispose();
    }
  } finally {
    f.p.remove();
  }
});
