import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { OutOfSampleTrainPredictions } from './select-cases.ts';
import { parseConfusionPairs, selectRelearnCases } from './select-cases.ts';

const DISGUST = 5;
const ANGER = 6;

/** Builds train predictions from blocks of [given, predicted, count]. */
function preds(blocks: [number, number, number][]): OutOfSampleTrainPredictions {
  const labels: number[] = [];
  const predicted: number[] = [];
  for (const [g, p, n] of blocks) for (let i = 0; i < n; i++) labels.push(g), predicted.push(p);
  return { split: 'train', outOfSample: true, labels: Int32Array.from(labels), predicted: Int32Array.from(predicted) };
}

const DATA = preds([
  [DISGUST, ANGER, 40], // 0..39 misclassified
  [ANGER, DISGUST, 10], // 40..49
  [1, 0, 3], // 50..52 happy>neutral
  [DISGUST, DISGUST, 30], // 53..82 correct disgust
  [ANGER, ANGER, 25], // 83..107 correct anger
  [0, 0, 50], // 108..157 correct neutral
]);

test('keeps the groups with at least nMin cases and draws an equal, balanced replay of the two classes', () => {
  const { groups, empty } = selectRelearnCases(DATA, { seed: 1 });
  assert.deepEqual(empty, []);
  assert.deepEqual(groups.map((g) => g.name), ['disgust>anger']);
  const g = groups[0];
  assert.deepEqual(Array.from(g.cases), Array.from({ length: 40 }, (_, i) => i));
  assert.equal(g.replay.length, 40, 'equal count');
  assert.equal(new Set(g.replay).size, 40, 'no face twice');
  const fromDisgust = Array.from(g.replay).filter((i) => i >= 53 && i <= 82).length;
  const fromAnger = Array.from(g.replay).filter((i) => i >= 83 && i <= 107).length;
  assert.deepEqual([fromDisgust, fromAnger], [20, 20], 'half from each class, all correctly classified');
  assert.deepEqual(selectRelearnCases(DATA, { seed: 1 }).groups[0].replay, g.replay, 'seeded');
  assert.notDeepEqual(selectRelearnCases(DATA, { seed: 2 }).groups[0].replay, g.replay);
});

test('a user-chosen pair list overrides nMin; a group replay does not depend on the other groups', () => {
  const both = selectRelearnCases(DATA, { seed: 1, pairs: 'disgust<>anger, happy>sad' });
  assert.deepEqual(both.groups.map((g) => [g.name, g.cases.length, g.replay.length]), [
    ['disgust>anger', 40, 40],
    ['anger>disgust', 10, 10],
  ]);
  assert.deepEqual(both.empty, ['happy>sad']);
  assert.deepEqual(both.groups[0].replay, selectRelearnCases(DATA, { seed: 1 }).groups[0].replay);
  assert.deepEqual(selectRelearnCases(DATA, { seed: 1, nMin: 3 }).groups.map((g) => g.name), ['disgust>anger', 'anger>disgust', 'happy>neutral']);
});

test('a class short of correct faces is topped up from the other one; replayRatio scales the sample', () => {
  const short = preds([
    [DISGUST, ANGER, 30],
    [DISGUST, DISGUST, 100],
    [ANGER, ANGER, 4],
  ]);
  const g = selectRelearnCases(short, { seed: 3 }).groups[0];
  assert.equal(g.replay.length, 30);
  assert.equal(Array.from(g.replay).filter((i) => i >= 130).length, 4, 'all 4 anger faces');
  assert.equal(selectRelearnCases(short, { seed: 3, replayRatio: 0.5 }).groups[0].replay.length, 15);
});

test('refuses anything but out-of-sample train predictions', () => {
  const asTest = { ...DATA, split: 'test' } as unknown as OutOfSampleTrainPredictions;
  assert.throws(() => selectRelearnCases(asTest, { seed: 1 }), /train split/);
  // @ts-expect-error: in-sample predictions are a type error, not only a runtime one
  assert.throws(() => selectRelearnCases({ ...DATA, outOfSample: false }, { seed: 1 }), /out-of-sample/);
});

test('pair lists parse names, arrows and both-way pairs, and name the bad token', () => {
  assert.deepEqual(parseConfusionPairs('disgust>anger,anger->disgust'), [
    { given: 5, predicted: 6 },
    { given: 6, predicted: 5 },
  ]);
  assert.deepEqual(parseConfusionPairs(' Fear <-> Surprise , fear>surprise'), [
    { given: 4, predicted: 3 },
    { given: 3, predicted: 4 },
  ]);
  assert.throws(() => parseConfusionPairs('disgust>angry'), /"disgust>angry": unknown class "angry"/);
  assert.throws(() => parseConfusionPairs('disgust'), /"disgust" is not of the form/);
  assert.throws(() => parseConfusionPairs('sad>sad'), /same class/);
});
