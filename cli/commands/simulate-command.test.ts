import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelId } from '../../api/domain.ts';
import type { SimulateResult } from '../../electron/service/ops/simulate-review.ts';
import { curveText } from './simulate-command.ts';

const point = (reviewed: number, valid: number, dev: number | null) => ({
  reviewed, relabelled: reviewed / 2, markedAmbiguous: 0, confirmed: reviewed / 2, scratchModelId: reviewed ? (2 as ModelId) : null,
  validAccuracy: valid, testAccuracy: null, devTestAccuracy: dev, runs: [],
});

test('the curve table has a dev-test column only when the project has a carve', () => {
  const base: SimulateResult = {
    parentModelId: 1 as ModelId, order: 'crowdlab', seed: 1, trainSeeds: [], truth: { valid: 'reference majority', test: null },
    validFaces: 3000, testFaces: 0, devTestFaces: 0, orderHash: null, labelVersion: null, points: [point(0, 0.5, null), point(500, 0.52, null)],
  };
  const plain = curveText(base).split('\n');
  assert.doesNotMatch(plain.join('\n'), /dev-test/);
  assert.match(plain[2], /^\s+0\s+0\s+0\s+0\s+50\.00%\s+-\s+\(the parent\)$/);
  const carved = curveText({ ...base, devTestFaces: 2184, points: [point(0, 0.5, 0.48), point(500, 0.52, 0.4925)] }).split('\n');
  assert.match(carved[0], /dev-test \(2184 carved train faces, reference majority, reported only\)/);
  assert.match(carved[1], /valid\s+test\s+dev-test$/);
  assert.match(carved[3], /^\s+500\s+250\s+0\s+250\s+52\.00%\s+-\s+49\.25%$/);
});

test('with several training seeds the table shows each point as the mean and sample sd of its runs', () => {
  const run = (seed: number, valid: number, dev: number) => ({ seed, scratchModelId: seed as ModelId, validAccuracy: valid, testAccuracy: null, devTestAccuracy: dev });
  const runs = [run(1, 0.5, 0.4), run(2, 0.52, 0.42), run(3, 0.54, 0.47)];
  const r: SimulateResult = {
    parentModelId: 1 as ModelId, order: 'random', seed: 2, trainSeeds: [1, 2, 3], truth: { valid: 'reference majority', test: null },
    validFaces: 100, testFaces: 0, devTestFaces: 50, orderHash: null, labelVersion: null,
    points: [{ ...point(0, 0.52, 0.43), runs }],
  };
  const lines = curveText(r).split('\n');
  assert.match(lines[0], /training seeds 1, 2, 3 \(mean ± sd\)/);
  // valid: mean 52.00, sd of (50, 52, 54) = 2.00; dev-test: mean 43.00, sd of (40, 42, 47) = 3.61.
  assert.match(lines[2], /^\s+0\s+0\s+0\s+0\s+52\.00% ±2\.00\s+-\s+43\.00% ±3\.61$/);
  assert.doesNotMatch(lines[2], /the parent/);
});
