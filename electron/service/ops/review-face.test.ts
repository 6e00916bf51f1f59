// The review detail panel says what the next training run does with a face, from the same
// target rule the trainers use, on a real project file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ferPlusMajority } from '../../../core/datasets/label-names.ts';
import { recordDecision, undoLastDecision } from '../../../db/relabel-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { faceDetail } from './review-face.ts';

const votes = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);

test('the detail panel tells whether and how a face trains after each decision', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const v = votes({ 1: 8, 0: 2 });
    const tie = votes({ 0: 5, 3: 5 });
    const [id, tieId, plainId] = insertSampleBatch(p.db, [
      makeRecord({ index: 0, size: 4, votes: v, givenLabel: ferPlusMajority(v) }),
      makeRecord({ index: 1, size: 4, votes: tie, givenLabel: ferPlusMajority(tie) }),
      makeRecord({ index: 2, size: 4, givenLabel: 5 }),
    ]).ids.map((x) => x!);
    const note = (face: number) => faceDetail(p.db, face).training;
    assert.deepEqual(note(id), { included: true, note: "trains on the annotators' distribution (label happy)" });
    assert.deepEqual(note(tieId), { included: true, note: "no majority: trains on the annotators' distribution" });
    assert.deepEqual(note(plainId), { included: true, note: 'trains as disgust' });
    recordDecision(p.db, { sampleId: id, action: 'relabel', label: 6, reviewer: 'ana' });
    assert.deepEqual(note(id), { included: true, note: "trains as anger: a reviewer's decision, over the votes" });
    recordDecision(p.db, { sampleId: id, action: 'ambiguous', reviewer: 'ana' });
    assert.deepEqual(note(id), { included: false, note: 'left out of training: marked ambiguous by a reviewer' });
    recordDecision(p.db, { sampleId: plainId, action: 'not_face', reviewer: 'ana' });
    assert.deepEqual(note(plainId), { included: false, note: 'left out of training: marked not a face by a reviewer' });
    undoLastDecision(p.db, { reviewer: 'ana', sampleId: id });
    assert.equal(note(id).note, "trains as anger: a reviewer's decision, over the votes", 'undoing "ambiguous" restores the relabel');
    assert.deepEqual(faceDetail(p.db, id).annotatorDistribution, [0.2, 0.8, 0, 0, 0, 0, 0, 0]);
  } finally {
    p.remove();
  }
});
