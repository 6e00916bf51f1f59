// Dataset health on a real project file: planted exact duplicates (within and across splits),
// a near-duplicate, a blank, a dark face and not-a-face votes are found and counted, the report
// is stored, the faces behind each finding come back, and the hash cache is filled on demand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { HEALTH_MAX_NEAR_THRESHOLD } from '../../../api/contract.ts';
import { MAX_NEAR_THRESHOLD } from '../../../core/health/near-duplicates.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { lcg, makeRecord, tempProject } from '../../../db/test-support.ts';
import { computeHealth, healthFaces, latestHealth } from './health.ts';
import { listForReview } from './review.ts';

const NF = 10; // LabelCode of "not a face"

function votes(notFace: number): number[] {
  const v = new Array(12).fill(0);
  v[0] = 10 - notFace;
  v[NF] = notFace;
  return v;
}

test('health finds the planted duplicates, blanks and dark faces, and stores the report', async () => {
  const p = tempProject();
  try {
    const recs = Array.from({ length: 40 }, (_, i) => makeRecord({ index: i, split: i < 30 ? 'train' : i < 36 ? 'valid' : 'test', votes: votes(0) }));
    // Exact: 1 = 2 (train+train), 3 = 31 (train+valid), 4 = 32 = 37 (train+valid+test).
    recs[2].pixels = Uint8Array.from(recs[1].pixels);
    recs[31].pixels = Uint8Array.from(recs[3].pixels);
    recs[32].pixels = Uint8Array.from(recs[4].pixels);
    recs[37].pixels = Uint8Array.from(recs[4].pixels);
    // Near: 6 with a handful of pixels nudged (not byte-identical).
    recs[7].pixels = recs[6].pixels.map((v, k) => (k % 97 === 0 ? v ^ 1 : v));
    // Blank (and voted not a face by every voter), dark.
    recs[10].pixels = new Uint8Array(48 * 48).fill(128);
    recs[10].votes = votes(10);
    const r = lcg(99);
    recs[11].pixels = recs[11].pixels.map(() => Math.floor(r() * 60));
    recs[12].votes = votes(1);
    const ids = insertSampleBatch(p.db, recs).ids as number[];

    const progress: string[] = [];
    const report = await computeHealth(p.db, { nearThreshold: 4, onProgress: (e) => progress.push(`${e.stage} ${e.done}/${e.total}`) });
    // Every stage reports and ends complete, in order (what the Project view's bar shows).
    assert.deepEqual([...new Set(progress.map((x) => x.split(' ')[0]))], ['hash', 'duplicates', 'outliers']);
    assert.ok(progress.includes('hash 40/40') && progress.includes('duplicates 40/40') && progress.at(-1) === 'outliers 80/80', progress.join(', '));
    const s = report.summary;
    assert.equal(s.faces, 40);
    assert.deepEqual(s.exactDuplicates, {
      groups: 3,
      redundantFaces: 4,
      withinSplit: { train: 1, valid: 0, test: 0 },
      crossSplit: { 'train+valid': 1, 'train+test': 0, 'valid+test': 0, 'train+valid+test': 1 },
    });
    // The nudged copy, and nothing among the random-noise faces (exact groups count once, not as near pairs).
    assert.equal(s.nearDuplicates.pairs, 1);
    assert.deepEqual(s.nearDuplicates.withinSplit, { train: 1, valid: 0, test: 0 });
    assert.deepEqual({ blank: s.imageChecks.blank, lowContrast: s.imageChecks.lowContrast, dark: s.imageChecks.dark }, { blank: 1, lowContrast: 0, dark: 1 });
    assert.equal(s.outliers.scored, 40);
    assert.ok(s.notFace);
    assert.equal(s.notFace.positives, 2);
    assert.equal(s.notFace.negatives, 38);
    // The blank, voted "not a face" by all, is the one face with std 0: the low-std score ranks it first.
    assert.ok(s.notFace.auroc.blank! > 0.7, `blank flag AUROC ${s.notFace.auroc.blank}`);

    assert.deepEqual(latestHealth(p.db), report);
    assert.deepEqual(healthFaces(p.db, 'exactDuplicates'), [ids[1], ids[2], ids[3], ids[31], ids[4], ids[32], ids[37]]);
    assert.deepEqual(healthFaces(p.db, 'crossSplitDuplicates'), [ids[3], ids[31], ids[4], ids[32], ids[37]]);
    assert.deepEqual(healthFaces(p.db, 'nearDuplicates'), [ids[6], ids[7]]);
    assert.deepEqual(healthFaces(p.db, 'blank'), [ids[10]]);
    assert.deepEqual(healthFaces(p.db, 'dark'), [ids[11]]);
    assert.equal(healthFaces(p.db, 'outliers').length, 40);

    // The review queue's duplicate filter lists the faces in exact groups (and only those).
    const dupIds = listForReview(p.db, { sort: 'id', filter: { duplicate: true }, limit: 100 }).items.map((i) => i.id);
    assert.deepEqual(dupIds, [ids[1], ids[2], ids[3], ids[4], ids[31], ids[32], ids[37]]);
    assert.equal(listForReview(p.db, { sort: 'id', filter: { duplicate: false, split: 'valid' }, limit: 100 }).items.length, 4);

    // Faces added later are hashed on the next run; the cached ones are not recomputed.
    const cached = p.db.sqlite.prepare('SELECT count(*) AS n FROM sample_hashes').get() as { n: number };
    assert.equal(cached.n, 40);
    const extra = makeRecord({ index: 40, split: 'test', votes: votes(0) });
    extra.pixels = Uint8Array.from(recs[1].pixels);
    insertSampleBatch(p.db, [extra]);
    const again = await computeHealth(p.db);
    assert.equal(again.summary.exactDuplicates.crossSplit['train+test'], 1, 'faces 1, 2 and the new test face: train+test');
    assert.equal(again.summary.exactDuplicates.withinSplit.train, 0);
    assert.notEqual(again.id, report.id);
  } finally {
    p.remove();
  }
});

test('health.faces before any report is a clear error; the contract and core agree on the threshold bound', () => {
  const p = tempProject();
  try {
    assert.throws(() => healthFaces(p.db, 'blank'), /no health report in this project yet/);
    assert.equal(HEALTH_MAX_NEAR_THRESHOLD, MAX_NEAR_THRESHOLD);
  } finally {
    p.remove();
  }
});
