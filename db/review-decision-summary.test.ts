// The report's review numbers follow the audit trail: undone decisions do not count, a
// confirmation is reviewed without a class change, and changes are counted per pair.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { projectSummary } from './project-summary.ts';
import { recordDecision, undoLastDecision } from './relabel-store.ts';
import { reviewDecisionSummary } from './review-decision-summary.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

test('faces reviewed, by action and by class change', (t) => {
  const p = tempProject();
  t.after(() => p.remove());
  // Given labels: faces 0-3 happy (1), face 4 anger (6), face 5 sad (2).
  const ids = insertSampleBatch(p.db, [1, 1, 1, 1, 6, 2].map((l, i) => makeRecord({ index: i, givenLabel: l as never }))).ids.map((id) => id!);
  const decide = (i: number, action: 'relabel' | 'confirm' | 'ambiguous' | 'not_face', label?: number) =>
    recordDecision(p.db, { sampleId: ids[i], action, label: label as never, reviewer: 'ana' });
  decide(0, 'relabel', 2); // happy → sad
  decide(1, 'relabel', 2); // happy → sad
  decide(2, 'relabel', 6); // happy → anger
  decide(3, 'confirm');
  decide(4, 'not_face');
  decide(5, 'relabel', 0); // sad → neutral, then undone
  undoLastDecision(p.db, { reviewer: 'ana', sampleId: ids[5] });
  const s = reviewDecisionSummary(p.db);
  assert.equal(s.reviewedFaces, 5);
  assert.deepEqual(s.byAction, { relabel: 3, confirm: 1, not_face: 1 });
  assert.deepEqual(s.changes, [
    { from: 1, to: 2, faces: 2 },
    { from: 1, to: 6, faces: 1 },
    { from: 6, to: 10, faces: 1 },
  ]);
  assert.equal(s.reviewedFaces, projectSummary(p.db).review.reviewedFaces, 'the Project view counts the same faces');
});
