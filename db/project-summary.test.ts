import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureAnnotator } from './annotator-store.ts';
import { projectSummary } from './project-summary.ts';
import { recordDecision } from './relabel-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

const v = (counts: Record<number, number>) => Array.from({ length: 12 }, (_, i) => counts[i] ?? 0);

test('the summary counts faces, annotators, votes, reviews and simple agreement with the given label', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const ids = insertSampleBatch(p.db, [
      // votes: majority 1 = given -> agree
      makeRecord({ index: 0, size: 4, givenLabel: 1, votes: v({ 1: 6, 2: 4 }), annotations: [{ annotator: 'A', label: 1 }, { annotator: 'B', label: 2 }] }),
      // votes: exactly half is not a majority -> without majority
      makeRecord({ index: 1, size: 4, givenLabel: 2, votes: v({ 2: 5, 3: 5 }), annotations: [{ annotator: 'A', label: 2 }] }),
      // votes: majority 3 != given 4 -> disagree
      makeRecord({ index: 2, size: 4, givenLabel: 4, votes: v({ 3: 7, 4: 3 }), split: 'valid' }),
      // no given label: not compared
      makeRecord({ index: 3, size: 4, givenLabel: null, votes: v({ 0: 10 }), annotations: [{ annotator: 'A', label: 0 }], split: 'test' }),
    ]).ids.map((id) => id!);
    ensureAnnotator(p.db, 'alice', 'reviewer');
    recordDecision(p.db, { sampleId: ids[2], action: 'relabel', label: 3, reviewer: 'alice' });
    recordDecision(p.db, { sampleId: ids[1], action: 'ambiguous', reviewer: 'alice' });
    recordDecision(p.db, { sampleId: ids[3], action: 'not_face', reviewer: 'alice' });

    const s = projectSummary(p.db);
    assert.equal(s.project.inputSize.width, 4);
    assert.equal(s.samples, 4);
    assert.deepEqual(s.bySplit, { train: 2, valid: 1, test: 1 });
    assert.equal(s.byGivenLabel.valid[4], 1);
    assert.equal(s.byCurrentLabel.valid[3], 1);
    assert.equal(s.byCurrentLabel.test[10], 1);
    assert.deepEqual(s.annotators.map((a) => [a.name, a.kind, a.annotations]), [['A', 'simulated', 3], ['B', 'simulated', 1], ['alice', 'reviewer', 0]]);
    assert.equal(s.facesWithVotes, 4);
    assert.equal(s.facesWithAnnotations, 3);
    assert.deepEqual(s.review, { decisions: 3, auditRows: 3, reviewedFaces: 3, relabeledFaces: 1, notFaceFaces: 1, ambiguousFaces: 1 });
    // Annotations on faces with a given label: A:1=1 yes, B:2 vs 1 no, A:2=2 yes -> 2/3.
    assert.deepEqual(s.agreement.annotatorsWithGiven, { compared: 3, agreeing: 2, fraction: 2 / 3 });
    assert.deepEqual(s.agreement.voteMajorityWithGiven, { compared: 3, agreeing: 1, fraction: 1 / 3, withoutMajority: 1 });
  } finally {
    p.remove();
  }
});

test('an empty project summarises to zeros and null fractions', () => {
  const p = tempProject();
  try {
    const s = projectSummary(p.db);
    assert.equal(s.samples, 0);
    assert.equal(s.agreement.annotatorsWithGiven.fraction, null);
    assert.equal(s.agreement.voteMajorityWithGiven.fraction, null);
    assert.deepEqual(s.review, { decisions: 0, auditRows: 0, reviewedFaces: 0, relabeledFaces: 0, notFaceFaces: 0, ambiguousFaces: 0 });
  } finally {
    p.remove();
  }
});
