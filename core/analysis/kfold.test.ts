import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldSplit, stratifiedKFold } from './kfold.ts';

test('stratified folds are balanced overall and per class, and repeat with the seed', () => {
  const labels = Int32Array.from({ length: 1003 }, (_, i) => (i % 10 < 6 ? 0 : i % 10 < 9 ? 3 : i % 7 === 0 ? -1 : 7));
  const folds = stratifiedKFold(labels, { seed: 42 });
  const k = 5;
  const size = new Array(k).fill(0);
  const perClass = new Map<number, number[]>();
  labels.forEach((l, i) => {
    assert.ok(folds[i] >= 0 && folds[i] < k);
    size[folds[i]]++;
    if (!perClass.has(l)) perClass.set(l, new Array(k).fill(0));
    perClass.get(l)![folds[i]]++;
  });
  assert.ok(Math.max(...size) - Math.min(...size) <= 1, `fold sizes ${size}`);
  for (const [l, c] of perClass) assert.ok(Math.max(...c) - Math.min(...c) <= 1, `class ${l}: ${c}`);
  assert.deepEqual(stratifiedKFold(labels, { seed: 42 }), folds);
  assert.notDeepEqual(stratifiedKFold(labels, { seed: 43 }), folds);
  assert.throws(() => stratifiedKFold(labels, { k: 1, seed: 1 }), /k must be/);
});

test('foldSplit partitions the faces', () => {
  const folds = stratifiedKFold([0, 0, 0, 1, 1, 1, 2, 2, 2, 2], { k: 3, seed: 1 });
  const { train, heldOut } = foldSplit(folds, 1);
  assert.equal(train.length + heldOut.length, 10);
  for (const i of heldOut) assert.equal(folds[i], 1);
  for (const i of train) assert.notEqual(folds[i], 1);
});
