import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { createModel } from './model-store.ts';
import { recordDecision } from './relabel-store.ts';
import { countReviewQueue, deleteScores, getScores, listScores, pageReviewQueue, upsertScores, type QueuePageRequest, type QueueItem } from './score-store.ts';
import { lcg, makeRecord, tempProject } from './test-support.ts';
import { insertSampleBatch } from './sample-store.ts';

/** n tiny faces (1x1 pixel: the queue reads scores, not images) inserted straight through SQL. */
function bulkSamples(db: ProjectDb, n: number): void {
  const insert = db.sqlite.prepare("INSERT INTO samples (id, source_ref, dataset, split, width, height, pixels, given_label) VALUES (?, ?, 'demo', ?, 1, 1, x'80', ?)");
  db.write(() => {
    for (let i = 1; i <= n; i++) insert.run(i, `s${i}`, i % 10 === 0 ? 'test' : 'train', i % 8);
  });
}

function allPages(db: ProjectDb, req: QueuePageRequest): QueueItem[] {
  const out: QueueItem[] = [];
  let after = null;
  for (;;) {
    const page = pageReviewQueue(db, { ...req, after });
    out.push(...page.items);
    if (!page.next) return out;
    after = page.next;
  }
}

test('upsert keeps fields it is not given and clears fields given as null', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const [id] = insertSampleBatch(p.db, [makeRecord({ index: 0, size: 4 })]).ids;
    const model = createModel(p.db, { kind: 'adbn', name: 'm', filePath: 'm.bin', inputSize: { height: 4, width: 4 } });
    upsertScores(p.db, model, [{ sampleId: id!, margin: 0.5, klAnnotator: 1.25, misclassified: true, predictedLabel: 3, extra: { top2: [3, 1] } }]);
    upsertScores(p.db, model, [{ sampleId: id!, klParentChild: 0.75, klAnnotator: null }]);
    const s = getScores(p.db, model, id!)!;
    assert.deepEqual(
      [s.margin, s.klAnnotator, s.klParentChild, s.misclassified, s.predictedLabel, s.confidentLearningIssue, s.extra],
      [0.5, null, 0.75, true, 3, null, { top2: [3, 1] }],
    );
    assert.throws(() => upsertScores(p.db, model, [{ sampleId: id!, margin: NaN }]), /NaN/);
    assert.deepEqual(listScores(p.db, model).map((r) => r.klParentChild), [0.75]);
    assert.deepEqual(listScores(p.db, model, 'test'), []);
    assert.equal(deleteScores(p.db, model), 1);
    assert.equal(getScores(p.db, model, id!), null);
  } finally {
    p.remove();
  }
});

test('the review queue pages in score order with a keyset cursor and filters', () => {
  const p = tempProject();
  try {
    bulkSamples(p.db, 200);
    const model = createModel(p.db, { kind: 'cnn', name: 'm', filePath: 'm.bin', inputSize: { height: 48, width: 48 } });
    const rand = lcg(7);
    const rows = Array.from({ length: 200 }, (_, i) => ({
      sampleId: i + 1,
      // Ties (rounded values) test that the cursor's sample_id tie-break neither skips nor repeats.
      margin: Math.round(rand() * 20) / 20,
      klAnnotator: i % 3 === 0 ? null : rand(),
      misclassified: i % 2 === 0,
    }));
    upsertScores(p.db, model, rows);

    const byMargin = allPages(p.db, { modelId: model, sortBy: 'margin', direction: 'asc', limit: 7 });
    const expected = [...rows].sort((a, b) => a.margin - b.margin || a.sampleId - b.sampleId).map((r) => r.sampleId);
    assert.deepEqual(byMargin.map((r) => r.sampleId), expected);

    const kl = allPages(p.db, { modelId: model, sortBy: 'kl_annotator', limit: 10, filter: { split: 'train', misclassified: true } });
    const klExpected = rows
      .filter((r) => r.klAnnotator !== null && r.misclassified && r.sampleId % 10 !== 0)
      .sort((a, b) => b.klAnnotator! - a.klAnnotator! || b.sampleId - a.sampleId)
      .map((r) => r.sampleId);
    assert.deepEqual(kl.map((r) => r.sampleId), klExpected);
    assert.equal(countReviewQueue(p.db, { modelId: model, sortBy: 'kl_annotator', filter: { split: 'train', misclassified: true } }), klExpected.length);

    recordDecision(p.db, { sampleId: klExpected[0], action: 'relabel', label: 7, reviewer: 'r' });
    const unreviewed = allPages(p.db, { modelId: model, sortBy: 'kl_annotator', limit: 50, filter: { split: 'train', misclassified: true, reviewed: false } });
    assert.deepEqual(unreviewed.map((r) => r.sampleId), klExpected.slice(1));
    const relabeled = pageReviewQueue(p.db, { modelId: model, sortBy: 'kl_annotator', filter: { currentLabel: 7, reviewed: true } });
    assert.deepEqual(relabeled.items.map((r) => [r.sampleId, r.currentLabel, r.reviewed]), [[klExpected[0], 7, true]]);
    assert.throws(() => pageReviewQueue(p.db, { modelId: model, sortBy: 'given_label; DROP TABLE samples' as never }), /cannot sort/);
  } finally {
    p.remove();
  }
});

test('sorting 300,000 scores pages fast (times printed, not asserted)', () => {
  const p = tempProject();
  try {
    const n = 300_000;
    let t = performance.now();
    bulkSamples(p.db, n);
    const model: ModelId = createModel(p.db, { kind: 'cnn', name: 'big', filePath: 'big.bin', inputSize: { height: 48, width: 48 } });
    const rand = lcg(3);
    const rows = Array.from({ length: n }, (_, i) => ({ sampleId: i + 1, klAnnotator: rand(), margin: rand(), voteEntropy: rand(), misclassified: rand() < 0.3 }));
    for (let i = 0; i < n; i += 50_000) upsertScores(p.db, model, rows.slice(i, i + 50_000));
    const writeMs = performance.now() - t;

    const timings: string[] = [];
    const time = (label: string, fn: () => QueueItem[]) => {
      const t0 = performance.now();
      const items = fn();
      timings.push(`${label} ${(performance.now() - t0).toFixed(1)} ms`);
      return items;
    };
    const first = time('first page (50) by kl_annotator desc', () => pageReviewQueue(p.db, { modelId: model, sortBy: 'kl_annotator', limit: 50 }).items);
    assert.equal(first.length, 50);
    const maxKl = rows.reduce((m, r) => Math.max(m, r.klAnnotator), -Infinity);
    assert.equal(first[0].value, maxKl);
    // Walk 200 pages to reach deep into the queue, then time one page there.
    let after = pageReviewQueue(p.db, { modelId: model, sortBy: 'kl_annotator', limit: 50 }).next;
    for (let i = 0; i < 200; i++) after = pageReviewQueue(p.db, { modelId: model, sortBy: 'kl_annotator', limit: 50, after }).next;
    const deep = time('page 202 by kl_annotator desc', () => pageReviewQueue(p.db, { modelId: model, sortBy: 'kl_annotator', limit: 50, after }).items);
    assert.ok(deep[0].value <= after!.value);
    time('first page by margin asc, filtered train+misclassified+unreviewed', () =>
      pageReviewQueue(p.db, { modelId: model, sortBy: 'margin', direction: 'asc', limit: 50, filter: { split: 'train', misclassified: true, reviewed: false } }).items,
    );
    const plan = p.db.sqlite
      .prepare('EXPLAIN QUERY PLAN SELECT sample_id FROM scores WHERE model_id = ? AND kl_annotator IS NOT NULL AND (kl_annotator, sample_id) < (?, ?) ORDER BY kl_annotator DESC, sample_id DESC LIMIT 50')
      .all(model, 0.5, 1)
      .map((r) => (r as { detail: string }).detail)
      .join('; ');
    assert.match(plan, /scores_by_kl_annotator/, 'the queue reads the score index');
    assert.doesNotMatch(plan, /TEMP B-TREE/, 'no sort of the whole table');
    console.log(`review queue at ${n} faces: wrote samples+scores in ${writeMs.toFixed(0)} ms; ${timings.join('; ')}; plan: ${plan}`);
  } finally {
    p.remove();
  }
});
