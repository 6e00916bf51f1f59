import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capRows } from './sample-cap.ts';

const rows = Int32Array.from({ length: 100 }, (_, i) => 1000 + i);

test('the cap keeps max distinct rows of the pool, ascending, the same for the same seed', () => {
  const a = capRows(rows, 10, 7);
  assert.equal(a.length, 10);
  assert.equal(new Set(a).size, 10);
  for (const r of a) assert.ok(rows.includes(r));
  for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] < a[i]);
  assert.deepEqual(capRows(rows, 10, 7), a);
  assert.notDeepEqual(capRows(rows, 10, 8), a, 'another seed draws other faces');
  assert.notDeepEqual(Array.from(a), Array.from(rows.subarray(0, 10)), 'not simply the first rows');
});

test('no cap, or a cap at least the pool size, keeps every row', () => {
  assert.equal(capRows(rows, undefined, 1), rows);
  assert.equal(capRows(rows, 100, 1), rows);
});
