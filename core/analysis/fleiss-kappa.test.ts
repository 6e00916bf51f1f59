import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fleissKappa } from './fleiss-kappa.ts';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test("Fleiss' kappa on the textbook example (Fleiss 1971 / Wikipedia: 10 items, 14 raters, 5 categories) is 0.210", () => {
  const counts = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
  ].flat();
  const r = fleissKappa(counts, 5);
  assert.equal(r.kappa.toFixed(3), '0.210');
  close(r.observedAgreement, 0.378, 5e-4);
  close(r.expectedAgreement, 0.213, 5e-4);
  close(r.categoryProportions[0], 0.143, 5e-4);
  close(r.categoryProportions[2], 0.279, 5e-4);
  assert.equal(r.itemsUsed, 10);
  assert.equal(r.ratings, 140);
});

test('perfect agreement gives 1; one category everywhere is undefined (NaN), not 1', () => {
  assert.equal(fleissKappa([3, 0, 0, 3, 3, 0], 2).kappa, 1);
  assert.ok(Number.isNaN(fleissKappa([3, 0, 4, 0], 2).kappa));
});

test('systematic disagreement is negative: two raters always split', () => {
  // P_i = 0 for each item, P_e = 0.5 -> kappa = -1
  assert.equal(fleissKappa([1, 1, 1, 1], 2).kappa, -1);
});

test('different numbers of raters per item use the generalised formula; single-rater items are skipped', () => {
  // P = [1, 1, 0], P_bar = 2/3, p = [3/7, 4/7], P_e = 25/49 -> kappa = 23/72
  const r = fleissKappa([2, 0, 0, 3, 1, 1, 1, 0], 2);
  close(r.kappa, 23 / 72);
  assert.equal(r.itemsUsed, 3);
  assert.equal(r.itemsSkipped, 1);
  assert.throws(() => fleissKappa([1, 2, 3], 2), /multiple/);
});
