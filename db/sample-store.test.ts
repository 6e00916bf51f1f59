import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LABEL_NOT_FACE } from '../api/domain.ts';
import { listAnnotators } from './annotator-store.ts';
import { recordDecision } from './relabel-store.ts';
import { countSamplesByLabel, existingSourceRefs, getSample, hasSourceRef, insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

test('a batch is inserted with annotations and votes, and a repeat is skipped without duplicates', () => {
  const p = tempProject();
  try {
    const votes = [0, 1, 0, 6, 0, 0, 0, 0, 0, 0, 2, 1];
    const records = [
      makeRecord({ index: 0, givenLabel: 3, votes, annotations: [{ annotator: 'ann-A', label: 3 }, { annotator: 'ann-B', label: 9 }] }),
      makeRecord({ index: 1, split: 'valid', givenLabel: null }),
      makeRecord({ index: 2, split: 'test', givenLabel: 10, annotations: [{ annotator: 'ann-A', label: 10 }] }),
    ];
    const first = insertSampleBatch(p.db, records);
    assert.equal(first.inserted, 3);
    assert.equal(first.skipped, 0);
    const again = insertSampleBatch(p.db, [makeRecord({ index: 1, givenLabel: 5 }), makeRecord({ index: 3 })]);
    assert.deepEqual({ inserted: again.inserted, skipped: again.skipped }, { inserted: 1, skipped: 1 });
    assert.equal(again.ids[0], null);
    assert.equal(p.db.sqlite.prepare('SELECT count(*) FROM samples').pluck().get(), 4);
    // The skipped record must not overwrite the stored one.
    assert.equal(getSample(p.db, first.ids[1]!)!.givenLabel, null);

    const s = getSample(p.db, first.ids[0]!)!;
    assert.deepEqual(s.pixels, records[0].pixels);
    assert.deepEqual(s.votes, votes);
    assert.deepEqual(s.annotations.map((a) => [a.annotator, a.kind, a.label]), [['ann-A', 'simulated', 3], ['ann-B', 'simulated', 9]]);
    assert.deepEqual(s.faceBox, records[0].faceBox);
    assert.deepEqual(s.extra, { truth: 0 });
    assert.equal(s.currentLabel, 3);
    assert.equal(s.reviewed, false);
    assert.equal(getSample(p.db, 999), null);

    assert.ok(hasSourceRef(p.db, 'demo-2'));
    assert.ok(!hasSourceRef(p.db, 'demo-9'));
    assert.deepEqual([...existingSourceRefs(p.db)].sort(), ['demo-0', 'demo-1', 'demo-2', 'demo-3']);
    assert.equal(existingSourceRefs(p.db, 'ferplus').size, 0);

    const annotators = listAnnotators(p.db);
    assert.deepEqual(annotators.map((a) => [a.name, a.annotations]), [['ann-A', 2], ['ann-B', 1]]);
    assert.equal(annotators[0].perLabel[10], 1);
  } finally {
    p.remove();
  }
});

test('an invalid record fails the whole batch with its sourceRef and field, writing nothing', () => {
  const p = tempProject();
  try {
    const bad = makeRecord({ index: 1 });
    bad.pixels = new Uint8Array(10);
    assert.throws(() => insertSampleBatch(p.db, [makeRecord({ index: 0 }), bad]), /"demo-1": pixels: expected 2304 grey bytes, got 10/);
    const badVotes = makeRecord({ index: 2, votes: [1, 2, 3] });
    assert.throws(() => insertSampleBatch(p.db, [badVotes]), /votes/);
    assert.throws(() => insertSampleBatch(p.db, [makeRecord({ index: 3, size: 32 })]), /"demo-3": width: image is 32x32, the project's input size is 48x48/);
    assert.equal(p.db.sqlite.prepare('SELECT count(*) FROM samples').pluck().get(), 0);
  } finally {
    p.remove();
  }
});

test('counts per split and label follow the given label or the current label', () => {
  const p = tempProject();
  try {
    const { ids } = insertSampleBatch(p.db, [
      makeRecord({ index: 0, givenLabel: 1 }),
      makeRecord({ index: 1, givenLabel: 1 }),
      makeRecord({ index: 2, givenLabel: null, split: 'test' }),
    ]);
    recordDecision(p.db, { sampleId: ids[0]!, action: 'relabel', label: 6, reviewer: 'r' });
    recordDecision(p.db, { sampleId: ids[2]!, action: 'not_face', reviewer: 'r' });
    const given = countSamplesByLabel(p.db, 'given');
    assert.equal(given.train[1], 2);
    assert.equal(given.test[12], 1, 'index 12 counts faces without label');
    const current = countSamplesByLabel(p.db, 'current');
    assert.equal(current.train[1], 1);
    assert.equal(current.train[6], 1);
    assert.equal(current.test[LABEL_NOT_FACE], 1);
    assert.equal(current.test[12], 0);
  } finally {
    p.remove();
  }
});
