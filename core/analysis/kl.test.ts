import assert from 'node:assert/strict';
import { test } from 'node:test';
import { annotatorDistribution, klAnnotator, klAnnotatorBatch, klDivergence, klParentChild, klParentChildBatch } from './kl.ts';
import { LOG_EPSILON } from '../util/log-epsilon.ts';

const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);
/** A 12-long vote row from {code: count}. */
const votes = (m: Record<number, number>) => Array.from({ length: 12 }, (_, c) => m[c] ?? 0);
const probs8 = (m: Record<number, number>) => Float32Array.from({ length: 8 }, (_, c) => m[c] ?? 0);

test('KL is asymmetric and matches hand values in nats', () => {
  // 0.5 ln(0.5/0.9) + 0.5 ln(0.5/0.1) and 0.9 ln(1.8) + 0.1 ln(0.2)
  close(klDivergence([0.5, 0.5], [0.9, 0.1]), 0.5108253);
  close(klDivergence([0.9, 0.1], [0.5, 0.5]), 0.3680642);
});

test('identical distributions give exactly 0', () => {
  assert.equal(klDivergence([0.2, 0.3, 0.5], [0.2, 0.3, 0.5]), 0);
  const p = probs8({ 0: 0.1, 1: 0.6, 6: 0.3 });
  assert.equal(klParentChild(p, p), 0);
});

test('zeros are handled by the named epsilon, not Infinity', () => {
  assert.equal(LOG_EPSILON, 1e-7);
  // a puts all mass where p has none: ln((1 + eps) / eps)
  close(klDivergence([1, 0], [0, 1]), Math.log((1 + 1e-7) / 1e-7), 1e-9);
  close(klDivergence([1, 0], [0, 1]), 16.1180958, 1e-6);
  // a_k = 0 contributes nothing: only ln(1 / 0.5) remains
  close(klDivergence([0, 1], [0.5, 0.5]), Math.LN2, 1e-6);
});

test('annotator distribution uses the 8 classes only; KL(a || p) for one face', () => {
  const v = votes({ 0: 6, 1: 4, 11: 2 }); // 2 unknown votes are not part of a(x)
  assert.deepEqual(Array.from(annotatorDistribution(v)!.slice(0, 3)), [0.6, 0.4, 0]);
  close(klAnnotator(v, probs8({ 0: 0.5, 1: 0.5 })), 0.0201355);
  assert.equal(annotatorDistribution(votes({ 10: 3, 11: 7 })), null);
  assert.ok(Number.isNaN(klAnnotator(votes({ 10: 3, 11: 7 }), probs8({ 0: 1 }))));
});

test('batch versions equal the per-face values, NaN where no class votes', () => {
  const v = [...votes({ 0: 6, 1: 4 }), ...votes({ 11: 10 }), ...votes({ 5: 3, 6: 7 })];
  const p = Float32Array.from([...probs8({ 0: 0.5, 1: 0.5 }), ...probs8({ 0: 1 }), ...probs8({ 5: 0.2, 6: 0.7, 0: 0.1 })]);
  const k = klAnnotatorBatch(v, p);
  close(k[0], klAnnotator(votes({ 0: 6, 1: 4 }), p.subarray(0, 8)), 1e-12);
  assert.ok(Number.isNaN(k[1]));
  close(k[2], klAnnotator(votes({ 5: 3, 6: 7 }), p.subarray(16, 24)), 1e-12);
  const c = Float32Array.from([...probs8({ 1: 1 }), ...probs8({ 0: 1 }), ...probs8({ 5: 0.2, 6: 0.7, 0: 0.1 })]);
  const pc = klParentChildBatch(p, c);
  close(pc[0], klParentChild(p.subarray(0, 8), c.subarray(0, 8)), 1e-12);
  assert.equal(pc[1], 0);
  assert.equal(pc[2], 0);
  assert.throws(() => klAnnotatorBatch(v, p.subarray(0, 16)), /vote rows/);
});
