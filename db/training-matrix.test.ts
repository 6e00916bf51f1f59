import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ensureAnnotator } from './annotator-store.ts';
import { recordDecision } from './relabel-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';
import { loadPixelsByIds, loadTrainingMatrix, readPixelBlock } from './training-matrix.ts';

test('a split loads as pixel bytes, labels (given or current), votes and annotations', () => {
  const p = tempProject({ inputSize: { height: 3, width: 2 } });
  try {
    const votes = [7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0];
    const recs = [
      makeRecord({ index: 0, size: 0, givenLabel: 2 }),
      makeRecord({ index: 1, size: 0, givenLabel: 10 }),
      makeRecord({ index: 2, size: 0, givenLabel: 6, votes }),
      makeRecord({ index: 3, size: 0, givenLabel: 1, split: 'test' }),
      makeRecord({ index: 4, size: 0, givenLabel: null }),
    ].map((r, i) => ({ ...r, width: 2, height: 3, pixels: Uint8Array.from([0, 255, 51, i, 102, 204]), faceBox: null, annotations: i === 2 ? [{ annotator: 'x', label: 5 }, { annotator: 'y', label: 6 }] : [] }));
    const ids = insertSampleBatch(p.db, recs).ids.map((id) => id!);
    ensureAnnotator(p.db, 'unused', 'person');

    const given = loadTrainingMatrix(p.db, { split: 'train', labels: 'given' });
    assert.deepEqual([...given.ids], [ids[0], ids[2]], 'only faces with a class label (not 10, not null)');
    assert.deepEqual([...given.y], [2, 6]);
    assert.equal(given.x.length, 2 * 6);
    assert.ok(given.x instanceof Uint8Array, 'pixels stay bytes (1 byte per pixel)');
    assert.deepEqual([...given.x.subarray(0, 6)], [0, 255, 51, 0, 102, 204]);
    assert.equal(given.x[6 + 3], 2, 'the second loaded face is the third inserted (index 2)');
    assert.ok(given.votes);
    assert.deepEqual([...given.votes!.subarray(0, 12)], new Array(12).fill(0), 'a face without votes has a row of zeros');
    assert.deepEqual([...given.votes!.subarray(12, 24)], votes);
    assert.deepEqual(given.annotations.annotators.map((a) => a.name), ['x', 'y']);
    assert.deepEqual([...given.annotations.row], [1, 1]);
    assert.deepEqual([...given.annotations.label], [5, 6]);

    recordDecision(p.db, { sampleId: ids[0], action: 'not_face', reviewer: 'r' });
    recordDecision(p.db, { sampleId: ids[1], action: 'relabel', label: 3, reviewer: 'r' });
    recordDecision(p.db, { sampleId: ids[2], action: 'ambiguous', reviewer: 'r' });
    const current = loadTrainingMatrix(p.db, { split: 'train', labels: 'current' });
    assert.deepEqual([...current.ids], [ids[1], ids[2]]);
    assert.deepEqual([...current.y], [3, 6]);
    const noAmbiguous = loadTrainingMatrix(p.db, { split: 'train', excludeAmbiguous: true });
    assert.deepEqual([...noAmbiguous.ids], [ids[1]]);
    assert.equal(noAmbiguous.votes, null, 'no loaded face has votes');

    const everything = loadTrainingMatrix(p.db, { split: 'train', labels: 'given', onlyClassLabels: false });
    assert.deepEqual([...everything.y], [2, 10, 6, -1]);
    const test_ = loadTrainingMatrix(p.db, { split: 'test' });
    assert.deepEqual([...test_.y], [1]);

    const picked = loadPixelsByIds(p.db, [ids[3], ids[0]]);
    assert.deepEqual([...picked], [0, 1, 0.2, 3 / 255, 0.4, 0.8, 0, 1, 0.2, 0, 0.4, 0.8].map(Math.fround));
    assert.throws(() => loadPixelsByIds(p.db, [ids[0], 999]), /sample 999 does not exist/);

    // Block by block over every split in id order: blocks of 2 cover the 5 faces exactly once.
    const seen: number[] = [];
    for (let after = 0, b = readPixelBlock(p.db, after, 2); b.ids.length > 0; after = b.ids[b.ids.length - 1], b = readPixelBlock(p.db, after, 2)) {
      assert.ok(b.ids.length <= 2);
      b.ids.forEach((id, i) => assert.deepEqual([...b.x.subarray(i * 6, i * 6 + 6)], [0, 255, 51, ids.indexOf(id as (typeof ids)[number]), 102, 204]));
      seen.push(...b.ids);
    }
    assert.deepEqual(seen, ids);
  } finally {
    p.remove();
  }
});

test('30,000 faces of 48x48 load fast (time printed, not asserted)', () => {
  const p = tempProject();
  try {
    const n = 30_000;
    const base = makeRecord({ index: 0 });
    let t = performance.now();
    for (let start = 0; start < n; start += 5000) {
      const batch = [];
      for (let i = start; i < start + 5000; i++) batch.push({ ...base, sourceRef: `f-${i}`, givenLabel: i % 8, split: i % 10 === 0 ? ('valid' as const) : ('train' as const) });
      insertSampleBatch(p.db, batch);
    }
    const insertMs = performance.now() - t;
    t = performance.now();
    const m = loadTrainingMatrix(p.db, { split: 'train' });
    const loadMs = performance.now() - t;
    assert.equal(m.ids.length, 27_000);
    assert.equal(m.x.length, 27_000 * 48 * 48);
    assert.equal(m.x[5 * 2304 + 7], base.pixels[7]);
    console.log(`loadTrainingMatrix: inserted ${n} faces in ${insertMs.toFixed(0)} ms; loaded 27,000 train faces (48x48) in ${loadMs.toFixed(0)} ms`);
  } finally {
    p.remove();
  }
});
