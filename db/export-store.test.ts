// The export reads on a tiny real project: faces of two datasets, decisions of two reviewers,
// undos of a decision that was the latest one and of one that was not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SampleRecord } from '../api/domain.ts';
import { affectnetRowsForExport, auditRowsForExport, labelRowsForExport } from './export-store.ts';
import { recordBatch, undoBatch } from './relabel-batch-store.ts';
import { recordDecision, undoDecision, type LabelDecision } from './relabel-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

const affectnet = (r: SampleRecord, path: string): SampleRecord => ({ ...r, dataset: 'affectnet', sourceRef: `affectnet:${path}` });

function seed(p: ReturnType<typeof tempProject>) {
  const records = [
    makeRecord({ index: 0, givenLabel: 2 }),
    makeRecord({ index: 1, givenLabel: 4, split: 'valid' }),
    affectnet(makeRecord({ index: 2, givenLabel: 3 }), '101/a.png'),
    { ...affectnet(makeRecord({ index: 3, givenLabel: 6, split: 'test' }), '102/b.png'), valence: null, arousal: null },
    makeRecord({ index: 4, givenLabel: null }),
  ];
  const ids = insertSampleBatch(p.db, records).ids.map((id) => id!);
  const [s0, s1, s2, s3] = ids;
  const d: LabelDecision[] = [];
  d.push(recordDecision(p.db, { sampleId: s0, action: 'relabel', label: 5, reviewer: 'alice', note: 'looks "disgusted", not neutral' }));
  d.push(recordDecision(p.db, { sampleId: s0, action: 'ambiguous', reviewer: 'bob' }));
  d.push(undoDecision(p.db, { decisionId: d[1].id, reviewer: 'bob' }));
  d.push(recordDecision(p.db, { sampleId: s1, action: 'confirm', reviewer: 'bob' }));
  d.push(recordDecision(p.db, { sampleId: s2, action: 'relabel', label: 6, reviewer: 'alice' }));
  d.push(undoDecision(p.db, { decisionId: d[4].id, reviewer: 'alice' }));
  d.push(recordDecision(p.db, { sampleId: s3, action: 'not_face', reviewer: 'bob' }));
  d.push(recordDecision(p.db, { sampleId: s1, action: 'ambiguous', reviewer: 'alice' }));
  // A bulk accept of two suggestions, then its undo: two batches.
  const bulk = recordBatch(p.db, { kind: 'accept_suggestions', reviewer: 'carol', decisions: [{ sampleId: s2, label: 1 }, { sampleId: s3, label: 2 }] });
  d.push(...bulk.decisions);
  const undo = undoBatch(p.db, { batchId: bulk.batchId, reviewer: 'carol' });
  d.push(...undo.decisions);
  return { records, ids, d, batches: [bulk.batchId, undo.batchId] };
}

test('labelRowsForExport: every face with its current label and latest effective decision', () => {
  const p = tempProject();
  try {
    const { records, ids, d } = seed(p);
    const rows = labelRowsForExport(p.db);
    assert.deepEqual(rows.map((r) => r.sampleId), ids);
    assert.deepEqual(rows.map((r) => r.sourceRef), records.map((r) => r.sourceRef));
    assert.deepEqual(rows.map((r) => [r.dataset, r.split]), records.map((r) => [r.dataset, r.split]));
    assert.deepEqual(rows.map((r) => r.givenLabel), [2, 4, 3, 6, null]);
    assert.deepEqual(rows.map((r) => r.currentLabel), [5, 4, 3, 10, null], 'relabel kept, undone relabel dropped, not_face = 10');
    // Face 0's latest decision (bob's ambiguous) was undone, so alice's relabel is the last effective one;
    // face 1 has two effective decisions and the later one counts.
    assert.deepEqual(rows.map((r) => [r.lastAction, r.reviewer, r.decidedAt]), [
      ['relabel', 'alice', d[0].createdAt],
      ['ambiguous', 'alice', d[7].createdAt],
      [null, null, null],
      ['not_face', 'bob', d[6].createdAt],
      [null, null, null],
    ]);
  } finally {
    p.remove();
  }
});

test('auditRowsForExport: the whole trail oldest first, undos included and undone rows flagged', () => {
  const p = tempProject();
  try {
    const { records, ids, d, batches } = seed(p);
    const refOf = new Map(ids.map((id, i) => [id as number, records[i].sourceRef]));
    const rows = auditRowsForExport(p.db);
    assert.deepEqual(rows.map((r) => r.decisionId), d.map((x) => x.id));
    assert.deepEqual(rows.map((r) => r.action), ['relabel', 'ambiguous', 'undo', 'confirm', 'relabel', 'undo', 'not_face', 'ambiguous', 'relabel', 'relabel', 'undo', 'undo']);
    assert.deepEqual(rows.map((r) => r.undone), [false, true, false, false, true, false, false, false, true, true, false, false]);
    assert.deepEqual(rows.map((r) => r.revertsId), [null, null, d[1].id, null, null, d[4].id, null, null, null, null, d[9].id, d[8].id]);
    assert.deepEqual(rows.map((r) => r.sourceRef), d.map((x) => refOf.get(x.sampleId)));
    assert.deepEqual(rows.map((r) => r.reviewer), ['alice', 'bob', 'bob', 'bob', 'alice', 'alice', 'bob', 'alice', 'carol', 'carol', 'carol', 'carol']);
    assert.deepEqual(rows.map((r) => r.batchId), [null, null, null, null, null, null, null, null, batches[0], batches[0], batches[1], batches[1]]);
    assert.notEqual(batches[0], batches[1]);
    assert.deepEqual(rows.map((r) => [r.label, r.previousLabel]), d.map((x) => [x.label, x.previousLabel]));
    assert.deepEqual([rows[0].label, rows[0].previousLabel], [5, 2]);
    assert.deepEqual([rows[5].label, rows[5].previousLabel], [3, 6], 'the undo restores the given label');
    assert.equal(rows[0].note, 'looks "disgusted", not neutral');
    assert.equal(rows[3].note, null);
    assert.deepEqual(rows.map((r) => r.createdAt), d.map((x) => x.createdAt));
  } finally {
    p.remove();
  }
});

test('affectnetRowsForExport: only AffectNet faces, with box, current label, valence and arousal', () => {
  const p = tempProject();
  try {
    const { records } = seed(p);
    const rows = affectnetRowsForExport(p.db);
    const [a, b] = [records[2], records[3]];
    assert.deepEqual(rows, [
      { sourceRef: 'affectnet:101/a.png', split: 'train', faceX: a.faceBox!.x, faceY: a.faceBox!.y, faceWidth: a.faceBox!.width, faceHeight: a.faceBox!.height, currentLabel: 3, valence: a.valence, arousal: a.arousal },
      { sourceRef: 'affectnet:102/b.png', split: 'test', faceX: b.faceBox!.x, faceY: b.faceBox!.y, faceWidth: b.faceBox!.width, faceHeight: b.faceBox!.height, currentLabel: 10, valence: null, arousal: null },
    ]);
    assert.equal(a.valence, 0.25, 'the fixture carries a valence to read back');
  } finally {
    p.remove();
  }
});

test('the export reads of an empty project are empty', () => {
  const p = tempProject();
  try {
    assert.deepEqual(labelRowsForExport(p.db), []);
    assert.deepEqual(auditRowsForExport(p.db), []);
    assert.deepEqual(affectnetRowsForExport(p.db), []);
  } finally {
    p.remove();
  }
});
