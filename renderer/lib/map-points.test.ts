import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NO_LABEL, categories, legend, normalise, scoreValues } from './map-points.ts';

test('normalise keeps the aspect ratio and fits the longer axis into [-0.95, 0.95]', () => {
  const n = normalise([0, 10, 5], [0, 2, 1]);
  assert.deepEqual(Array.from(n.x, (v) => +v.toFixed(4)), [-0.95, 0.95, 0]);
  // y spans 2 of the 10 units: a fifth of the width, centred.
  assert.deepEqual(Array.from(n.y, (v) => +v.toFixed(4)), [-0.19, 0.19, 0]);
});

test('label categories and legend counts, with missing labels as their own category', () => {
  const cats = categories([6, 6, null, 1, 10]);
  assert.deepEqual(Array.from(cats), [6, 6, NO_LABEL, 1, 10]);
  assert.deepEqual(legend(cats).map((e) => [e.name, e.count]), [['happy', 1], ['anger', 2], ['not face', 1], ['no label', 1]]);
  assert.deepEqual(legend(cats, [0, 3]).map((e) => [e.name, e.count]), [['happy', 1], ['anger', 1]]);
});

test('scores scale between robust percentiles and clamp', () => {
  const s = Array.from({ length: 101 }, (_, i) => i);
  s[100] = 1e6;
  const { values, low, high } = scoreValues([...s, null]);
  assert.equal(low, 2);
  assert.equal(high, 98);
  assert.equal(values[50], 0.5);
  assert.equal(values[100], 1);
  assert.equal(values[0], 0);
  assert.equal(values[101], 0);
});
