import assert from 'node:assert/strict';
import { test } from 'node:test';
import { recordDecision } from './relabel-store.ts';
import { countSamples, pageSamples } from './sample-browse.ts';
import { insertSampleBatch } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

test('faces page in id order with filters on split, labels and review state', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const ids = insertSampleBatch(
      p.db,
      Array.from({ length: 30 }, (_, i) => makeRecord({ index: i, size: 4, givenLabel: i % 3, split: i % 5 === 0 ? 'test' : 'train', votes: i % 2 ? [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : null })),
    ).ids.map((id) => id!);
    recordDecision(p.db, { sampleId: ids[1], action: 'relabel', label: 2, reviewer: 'r' });
    recordDecision(p.db, { sampleId: ids[4], action: 'confirm', reviewer: 'r' });

    const seen: number[] = [];
    let afterId: number | undefined;
    for (;;) {
      const page = pageSamples(p.db, { filter: { split: 'train' }, afterId, limit: 7 });
      seen.push(...page.items.map((s) => s.id));
      if (page.nextAfterId === null) break;
      afterId = page.nextAfterId;
    }
    assert.deepEqual(seen, ids.filter((_, i) => i % 5 !== 0));
    assert.equal(countSamples(p.db, { split: 'train' }), 24);

    const label2 = pageSamples(p.db, { filter: { currentLabel: 2, split: 'train' }, limit: 100 }).items;
    const expected = ids.filter((_, i) => i % 5 !== 0 && (i % 3 === 2 || i === 1));
    assert.deepEqual(label2.map((s) => s.id), expected);
    assert.deepEqual(pageSamples(p.db, { filter: { changed: true } }).items.map((s) => [s.id, s.givenLabel, s.currentLabel]), [[ids[1], 1, 2]]);
    assert.deepEqual(pageSamples(p.db, { filter: { reviewed: true } }).items.map((s) => s.lastAction), ['relabel', 'confirm']);
    assert.equal(countSamples(p.db, { reviewed: false }), 28);
    assert.equal(pageSamples(p.db, { limit: 2 }).items[1].hasVotes, true);
  } finally {
    p.remove();
  }
});
