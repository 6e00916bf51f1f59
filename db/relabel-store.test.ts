import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openProject } from './connection.ts';
import { currentLabel, currentLabels, labelHistory, recordDecision, reviewState, undoDecision, undoLastDecision } from './relabel-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

function seed(p: ReturnType<typeof tempProject>) {
  return insertSampleBatch(p.db, [
    makeRecord({ index: 0, givenLabel: 2 }),
    makeRecord({ index: 1, givenLabel: 4 }),
    makeRecord({ index: 2, givenLabel: null, split: 'valid' }),
  ]).ids.map((id) => id!);
}

test('the audit trail refuses UPDATE and DELETE', () => {
  const p = tempProject();
  try {
    const [a] = seed(p);
    const d = recordDecision(p.db, { sampleId: a, action: 'relabel', label: 5, reviewer: 'alice' });
    assert.throws(() => p.db.sqlite.prepare('UPDATE relabels SET label = 1 WHERE id = ?').run(d.id), /append-only audit trail: UPDATE/);
    assert.throws(() => p.db.sqlite.prepare('DELETE FROM relabels').run(), /append-only audit trail: DELETE/);
    // Deleting a reviewed face would erase its history through the foreign key: refused too.
    assert.throws(() => p.db.sqlite.prepare('DELETE FROM samples WHERE id = ?').run(a), /FOREIGN KEY/);
    assert.equal(currentLabel(p.db, a), 5);
  } finally {
    p.remove();
  }
});

test('current label: given, overridden by the latest effective relabel/not_face, restored by undo', () => {
  const p = tempProject();
  try {
    const [a, b, c] = seed(p);
    assert.equal(currentLabel(p.db, a), 2);
    recordDecision(p.db, { sampleId: a, action: 'relabel', label: 5, reviewer: 'alice', note: 'looks disgusted' });
    recordDecision(p.db, { sampleId: a, action: 'confirm', reviewer: 'bob' });
    assert.equal(currentLabel(p.db, a), 5, 'confirm keeps the relabel');
    recordDecision(p.db, { sampleId: a, action: 'ambiguous', reviewer: 'bob' });
    assert.equal(currentLabel(p.db, a), 5, 'ambiguous does not change the label');
    assert.deepEqual(reviewState(p.db, a), { reviewed: true, lastAction: 'ambiguous' });
    recordDecision(p.db, { sampleId: a, action: 'not_face', reviewer: 'alice' });
    assert.equal(currentLabel(p.db, a), 10);

    // Alice undoes her own decisions, latest first; Bob's stay.
    const u1 = undoLastDecision(p.db, { reviewer: 'alice' })!;
    assert.equal(u1.action, 'undo');
    assert.equal(u1.label, 5, 'the undo row records the label it restores');
    assert.equal(u1.previousLabel, 10);
    assert.equal(currentLabel(p.db, a), 5);
    undoLastDecision(p.db, { reviewer: 'alice' });
    assert.equal(currentLabel(p.db, a), 2, 'back to the given label');
    assert.equal(undoLastDecision(p.db, { reviewer: 'alice' }), null, 'nothing left to undo for alice');
    assert.deepEqual(reviewState(p.db, a), { reviewed: true, lastAction: 'ambiguous' });

    const history = labelHistory(p.db, a);
    assert.deepEqual(history.map((h) => h.action), ['relabel', 'confirm', 'ambiguous', 'not_face', 'undo', 'undo']);
    assert.equal(history[0].note, 'looks disgusted');
    assert.equal(history[0].previousLabel, 2);
    assert.equal(history[1].label, 5, 'confirm records the label confirmed');
    assert.equal(history[3].undoneById, history[4].id);
    assert.equal(history[0].undoneById, history[5].id);
    assert.equal(history[5].revertsId, history[0].id);

    // An undo cannot be undone again, and a decision cannot be undone twice.
    assert.throws(() => undoDecision(p.db, { decisionId: history[4].id, reviewer: 'alice' }), /earlier non-undo decision/);
    assert.throws(() => undoDecision(p.db, { decisionId: history[0].id, reviewer: 'alice' }), /UNIQUE/);

    recordDecision(p.db, { sampleId: c, action: 'relabel', label: 7, reviewer: 'bob' });
    assert.deepEqual(reviewState(p.db, b), { reviewed: false, lastAction: null });
    const all = currentLabels(p.db);
    assert.deepEqual([...all.ids], [a, b, c]);
    assert.deepEqual([...all.labels], [2, 4, 7]);
    const valid = currentLabels(p.db, 'valid');
    assert.deepEqual([...valid.ids], [c]);
  } finally {
    p.remove();
  }
});

test('undo of one face only, and bad decisions are refused', () => {
  const p = tempProject();
  try {
    const [a, b] = seed(p);
    recordDecision(p.db, { sampleId: a, action: 'relabel', label: 1, reviewer: 'r' });
    recordDecision(p.db, { sampleId: b, action: 'relabel', label: 0, reviewer: 'r' });
    undoLastDecision(p.db, { reviewer: 'r', sampleId: a });
    assert.equal(currentLabel(p.db, a), 2);
    assert.equal(currentLabel(p.db, b), 0);
    assert.throws(() => recordDecision(p.db, { sampleId: a, action: 'relabel', label: 10, reviewer: 'r' }), /class label 0..7/);
    assert.throws(() => recordDecision(p.db, { sampleId: a, action: 'relabel', reviewer: 'r' }), /class label/);
    assert.throws(() => recordDecision(p.db, { sampleId: 999, action: 'confirm', reviewer: 'r' }), /sample 999 does not exist/);
  } finally {
    p.remove();
  }
});

test('a relabel survives closing and reopening the project', () => {
  const p = tempProject();
  try {
    const [a] = seed(p);
    recordDecision(p.db, { sampleId: a, action: 'relabel', label: 6, reviewer: 'alice' });
    const file = p.db.path;
    p.db.close();
    const reopened = openProject(file);
    try {
      assert.equal(currentLabel(reopened, a), 6);
      assert.equal(labelHistory(reopened, a)[0].reviewer, 'alice');
    } finally {
      reopened.close();
    }
  } finally {
    p.remove();
  }
});

test('choosing the class a face already has is recorded as a confirmation, not a relabel', () => {
  const p = tempProject();
  try {
    const [a, b] = seed(p);
    const same = recordDecision(p.db, { sampleId: a, action: 'relabel', label: 2, reviewer: 'alice' });
    assert.deepEqual([same.action, same.label, same.previousLabel], ['confirm', 2, 2]);
    // After a real relabel the new class is the current one: choosing it again confirms it.
    assert.equal(recordDecision(p.db, { sampleId: b, action: 'relabel', label: 6, reviewer: 'alice' }).action, 'relabel');
    const again = recordDecision(p.db, { sampleId: b, action: 'relabel', label: 6, reviewer: 'alice' });
    assert.deepEqual([again.action, again.label, again.previousLabel], ['confirm', 6, 6]);
    assert.equal(reviewState(p.db, a).lastAction, 'confirm');
    assert.equal(currentLabel(p.db, b), 6);
    // Choosing the given class back after a relabel is a change, so it stays a relabel.
    assert.equal(recordDecision(p.db, { sampleId: b, action: 'relabel', label: 4, reviewer: 'alice' }).action, 'relabel');
  } finally {
    p.remove();
  }
});
