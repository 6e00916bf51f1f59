import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { drawVotes, fewVotes, pluralityCode } from './ferplus-subsample.ts';

// Counts by label code: neutral 0, happy 1, ..., contempt 7, none 8, uncertain 9, not_face 10, unknown 11.
const V = (o: Record<number, number>) => Array.from({ length: 12 }, (_, c) => o[c] ?? 0);

test('drawVotes keeps exactly k votes, never more of a code than the face had', () => {
  const counts = V({ 0: 4, 5: 3, 6: 2, 11: 1 });
  for (let s = 0; s < 200; s++) {
    const k = 1 + (s % 10);
    const kept = drawVotes(counts, k, new Rng(s));
    assert.equal(kept.reduce((a, b) => a + b, 0), k);
    kept.forEach((n, c) => assert.ok(n <= counts[c], `seed ${s}: code ${c} kept ${n} of ${counts[c]}`));
  }
  assert.deepEqual(drawVotes(counts, 10, new Rng(3)), counts, 'k = all votes keeps them all');
  assert.deepEqual(drawVotes(V({ 1: 2 }), 3, new Rng(3)), V({ 1: 2 }), 'fewer votes than k: all of them');
});

test('a single kept vote follows the vote shares (without replacement, not the majority)', () => {
  // 7 happy, 3 sad: one vote drawn 4,000 times should be sad 30% of the time (sd 0.72%).
  let sad = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) sad += fewVotes(V({ 1: 7, 2: 3 }), 1, 1, `face${i}`).votes[2];
  assert.ok(Math.abs(sad / n - 0.3) < 0.03, `sad share ${sad / n}`);
  // Two of (1 happy, 1 sad): without replacement both are always kept.
  for (let i = 0; i < 50; i++) assert.deepEqual(fewVotes(V({ 1: 1, 2: 1 }), 2, 9, `f${i}`).votes, V({ 1: 1, 2: 1 }));
});

test('the draw is fixed by (seed, face), so a resumed import repeats it; another seed draws differently', () => {
  const counts = V({ 0: 3, 1: 3, 2: 2, 3: 2 });
  const a = Array.from({ length: 100 }, (_, i) => fewVotes(counts, 3, 7, `ferplus:FER2013Train/fer${i}.png`));
  const again = Array.from({ length: 100 }, (_, i) => fewVotes(counts, 3, 7, `ferplus:FER2013Train/fer${i}.png`));
  assert.deepEqual(again, a);
  const other = Array.from({ length: 100 }, (_, i) => fewVotes(counts, 3, 8, `ferplus:FER2013Train/fer${i}.png`));
  assert.ok(other.some((o, i) => JSON.stringify(o) !== JSON.stringify(a[i])));
});

test('plurality label: ties broken by the seed (each side wins sometimes), unknown/NF give no class label', () => {
  assert.equal(pluralityCode(V({ 3: 2, 5: 1 }), new Rng(1)), 3);
  assert.equal(pluralityCode(V({}), new Rng(1)), -1);
  const winners = new Set<number>();
  for (let s = 0; s < 60; s++) winners.add(pluralityCode(V({ 4: 1, 6: 1 }), new Rng(s)));
  assert.deepEqual([...winners].sort(), [4, 6]);
  // K = 3 of (happy, sad, fear): a three-way tie, label is one of them, and always one of the kept votes.
  for (let i = 0; i < 30; i++) {
    const f = fewVotes(V({ 1: 1, 2: 1, 4: 1 }), 3, 1, `t${i}`);
    assert.ok([1, 2, 4].includes(f.label!));
  }
  assert.equal(fewVotes(V({ 11: 10 }), 1, 1, 'x').label, null, 'a kept unknown vote is no emotion label');
  assert.equal(fewVotes(V({ 10: 10 }), 3, 1, 'x').label, null, 'nor NF');
  assert.throws(() => fewVotes(V({ 1: 10 }), 0, 1, 'x'), /integer >= 1/);
});
