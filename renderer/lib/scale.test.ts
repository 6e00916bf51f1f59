import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extent, linearScale, niceStep, niceTicks } from './scale.ts';

test('linearScale maps the domain ends onto the range ends, inverted ranges included', () => {
  const y = linearScale([0, 10], [200, 0]);
  assert.equal(y(0), 200);
  assert.equal(y(10), 0);
  assert.equal(y(2.5), 150);
  assert.equal(linearScale([3, 3], [0, 100])(3), 50);
});

test('niceStep picks 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceStep(0, 1, 5), 0.2);
  assert.equal(niceStep(0, 870, 4), 500);
  assert.equal(niceStep(0, 37, 5), 10);
  assert.equal(niceStep(0, 0.012, 4), 0.005);
});

test('niceTicks cover the data and are evenly spaced', () => {
  const t = niceTicks(0.13, 0.87, 4);
  assert.deepEqual(t, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const u = niceTicks(1, 13, 6);
  assert.equal(u[0], 0);
  assert.ok(u[u.length - 1] >= 13);
  for (let i = 2; i < u.length; i++) assert.equal(u[i] - u[i - 1], u[1] - u[0]);
  assert.deepEqual(niceTicks(4, 4), [4]);
});

test('extent skips non-finite values and falls back when there are none', () => {
  assert.deepEqual(extent([3, NaN, -1, Infinity, 7]), [-1, 7]);
  assert.deepEqual(extent([NaN], [0, 5]), [0, 5]);
});
