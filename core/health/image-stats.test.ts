import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CentroidScorer, standardisedPixels } from './centroid-outliers.ts';
import { BLANK_MAX_STD, DARK_MAX_MEAN, LOW_CONTRAST_MAX_STD, imageChecks, imageStats } from './image-stats.ts';

test('imageStats: mean and population std by hand', () => {
  // 0, 0, 10, 10: mean 5, every pixel 5 away, std 5.
  assert.deepEqual(imageStats(Uint8Array.from([0, 0, 10, 10])), { mean: 5, std: 5 });
  assert.deepEqual(imageStats(new Uint8Array(9).fill(200)), { mean: 200, std: 0 });
});

test('image checks at their thresholds', () => {
  assert.deepEqual(imageChecks({ mean: 200, std: 0 }), { blank: true, lowContrast: false, dark: false });
  assert.deepEqual(imageChecks({ mean: 120, std: BLANK_MAX_STD }), { blank: false, lowContrast: true, dark: false });
  assert.deepEqual(imageChecks({ mean: 120, std: LOW_CONTRAST_MAX_STD }), { blank: false, lowContrast: false, dark: false });
  assert.deepEqual(imageChecks({ mean: DARK_MAX_MEAN - 0.5, std: 40 }), { blank: false, lowContrast: false, dark: true });
  assert.deepEqual(imageChecks({ mean: DARK_MAX_MEAN, std: 40 }), { blank: false, lowContrast: false, dark: false });
});

test('standardised pixels: zero mean, unit variance; a flat image is all zeros', () => {
  const z = standardisedPixels(Uint8Array.from([0, 0, 10, 10]));
  assert.deepEqual(Array.from(z), [-1, -1, 1, 1]);
  assert.deepEqual(Array.from(standardisedPixels(new Uint8Array(4).fill(9))), [0, 0, 0, 0]);
});

test('centroid distances by hand: global and per class', () => {
  const s = new CentroidScorer(2);
  s.add([0, 0], 0);
  s.add([2, 0], 0);
  s.add([1, 3], 1);
  s.add([1, 3], null);
  // Global centroid (1, 1.5); class 0 centroid (1, 0); class 1 centroid (1, 3).
  const a = s.score([0, 0], 0);
  assert.ok(Math.abs(a.global - Math.hypot(1, 1.5)) < 1e-12);
  assert.equal(a.cls, 1);
  assert.equal(s.score([1, 3], 1).cls, 0);
  assert.ok(Number.isNaN(s.score([1, 3], null).cls));
  assert.throws(() => s.add([0, 0], 0), /after score/);
});
