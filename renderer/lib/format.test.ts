import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateRemaining, formatCount, formatDuration, formatMetric, formatPercent, plural } from './format.ts';

test('numbers format with grouping, fixed decimals and a dash for missing values', () => {
  assert.equal(formatCount(1234567), '1,234,567');
  assert.equal(formatCount(null), '–');
  assert.equal(formatPercent(0.8766), "87.7%");
  assert.equal(formatPercent(Number.NaN), '–');
  assert.equal(formatMetric(0.12345), '0.123');
});

test('counts take the noun in the right number', () => {
  assert.equal(plural(1, 'epoch'), '1 epoch');
  assert.equal(plural(0, 'epoch'), '0 epochs');
  assert.equal(plural(1200, 'new layer'), '1,200 new layers');
});

test('durations read as seconds, minutes or hours', () => {
  assert.equal(formatDuration(45.4), '45 s');
  assert.equal(formatDuration(185), '3 min 05 s');
  assert.equal(formatDuration(3720), '1 h 02 min');
  assert.equal(formatDuration(null), '–');
});

test('remaining time follows from the rate, is 0 when done and unknown without a rate', () => {
  assert.equal(estimateRemaining(100, 400, 50), 6);
  assert.equal(estimateRemaining(400, 400, 50), 0);
  assert.equal(estimateRemaining(10, 400, 0), null);
});
