// "Keep one" of an exact-duplicate group on a real project file: every byte-identical twin gets
// a "duplicate of face N" decision in the audit trail, leaves the training set (the same path
// as an ambiguous face), comes back on undo, and repeating the request appends nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SampleId } from '../../../api/domain.ts';
import { labelHistory, recordDuplicateDecision } from '../../../db/relabel-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { exactTwins, keepOne } from './health-decisions.ts';
import { undo } from './review.ts';
import { loadTrainingSet } from './training-data.ts';

test('keep one face of a duplicate group: the twins leave training with a "duplicate of" audit row', async () => {
  const p = tempProject();
  try {
    const recs = Array.from({ length: 10 }, (_, i) => makeRecord({ index: i, split: i < 8 ? 'train' : 'valid', givenLabel: 1 }));
    recs[5].pixels = Uint8Array.from(recs[2].pixels);
    recs[8].pixels = Uint8Array.from(recs[2].pixels); // a valid twin
    recs[6].pixels = Uint8Array.from(recs[2].pixels);
    recs[6].pixels[100] ^= 1; // one pixel different: not a twin
    const ids = insertSampleBatch(p.db, recs).ids as SampleId[];
    assert.deepEqual(await exactTwins(p.db, ids[2], { fill: false }), [], 'nothing hashed yet: no twins known, and none hashed on the way');
    assert.deepEqual(await exactTwins(p.db, ids[2]), [ids[5], ids[8]]);

    const trainIds = () => Array.from(loadTrainingSet(p.db, { useSoftTargets: false }).train.ids);
    assert.ok(trainIds().includes(ids[5]));

    const r = await keepOne(p.db, { keep: ids[2], reviewer: 'ana' });
    assert.deepEqual(r.twins, [ids[5], ids[8]]);
    assert.deepEqual(r.decisions.map((d) => [d.sampleId, d.action, d.duplicateOf, d.note]), [
      [ids[5], 'ambiguous', ids[2], `duplicate of face ${ids[2]}`],
      [ids[8], 'ambiguous', ids[2], `duplicate of face ${ids[2]}`],
    ]);
    assert.deepEqual(r.faces.map((f) => [f.id, f.reviewed, f.lastAction]), [[ids[5], true, 'ambiguous'], [ids[8], true, 'ambiguous']]);
    const after = trainIds();
    assert.ok(!after.includes(ids[5]), 'the train twin left training');
    assert.ok(after.includes(ids[2]) && after.includes(ids[6]), 'the kept face and the near copy still train');
    assert.equal(labelHistory(p.db, ids[5])[0].reviewer, 'ana');

    // Again: nothing new. Marking against a face that is itself a duplicate is refused.
    assert.deepEqual((await keepOne(p.db, { keep: ids[2], reviewer: 'ana' })).decisions, []);
    assert.throws(() => recordDuplicateDecision(p.db, { sampleId: ids[2], of: ids[5], reviewer: 'ana' }), new RegExp(`face ${ids[5]} is itself marked a duplicate`));
    assert.throws(() => recordDuplicateDecision(p.db, { sampleId: ids[2], of: ids[2], reviewer: 'ana' }), /cannot be a duplicate of itself/);
    await assert.rejects(keepOne(p.db, { keep: ids[0], reviewer: 'ana' }), /has no exact duplicate/);

    // Undo brings the twin back into training.
    undo(p.db, { reviewer: 'ana', sampleId: ids[5] });
    assert.ok(trainIds().includes(ids[5]));
  } finally {
    p.remove();
  }
});
