import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_N_MIN, groupConfusions } from './confusion-groups.ts';

test('misclassified faces grouped by (given -> predicted), largest first, filtered by nMin', () => {
  //            0  1  2  3  4  5  6  7  8  9 10 11
  const given = [5, 5, 6, 5, 6, 1, 1, 0, 5, -1, 8, 6];
  const pred = [6, 6, 5, 6, 5, 1, 0, 1, 5, 3, 2, 5];
  const all = groupConfusions(given, pred, { nMin: 1 });
  assert.deepEqual(
    all.map((g) => [g.name, g.count, Array.from(g.indices)]),
    [
      ['disgust>anger', 3, [0, 1, 3]],
      ['anger>disgust', 3, [2, 4, 11]],
      ['neutral>happy', 1, [7]],
      ['happy>neutral', 1, [6]],
    ],
  );
  assert.deepEqual(groupConfusions(given, pred, { nMin: 2 }).map((g) => g.name), ['disgust>anger', 'anger>disgust']);
  assert.equal(DEFAULT_N_MIN, 30);
  assert.equal(groupConfusions(given, pred).length, 0, 'default nMin 30 drops these small groups');
});
