import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from './rng.ts';

test('same seed gives the same stream; state restores it exactly', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  for (let i = 0; i < 5; i++) assert.equal(a.next(), b.next());
  a.normal();
  const saved = a.state;
  const x = [a.normal(), a.next(), a.int(10)];
  const c = Rng.fromState(saved);
  assert.deepEqual([c.normal(), c.next(), c.int(10)], x);
});

test('uniform mean and normal moments are right', () => {
  const r = new Rng(7);
  let s = 0;
  let s2 = 0;
  let u = 0;
  const n = 20000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s += z;
    s2 += z * z;
    u += r.next();
  }
  assert.ok(Math.abs(s / n) < 0.03);
  assert.ok(Math.abs(s2 / n - 1) < 0.05);
  assert.ok(Math.abs(u / n - 0.5) < 0.01);
});
