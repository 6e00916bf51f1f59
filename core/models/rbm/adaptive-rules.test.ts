import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_ADAPTIVE_RULES as D, energyConverged, selectUnitsToRemove, selectUnitsToSplit, shouldAddLayer } from './adaptive-rules.ts';

test('energyConverged compares the relative change with epsE', () => {
  assert.equal(energyConverged(null, -100, 0.01), false);
  assert.equal(energyConverged(-100, -100.5, 0.01), true);
  assert.equal(energyConverged(-100, -102, 0.01), false);
  assert.equal(energyConverged(-100, -101, 0.01), true);
});

test('selectUnitsToSplit takes units above theta_G, best first, capped at 10% per epoch', () => {
  const o = { ...D, thetaG: 1 };
  // 20 units -> cap 2; scores: unit 3 = 4, unit 7 = 9, unit 11 = 1.5, unit 12 = 1 (not > 1).
  const wdC = new Array(20).fill(0.1);
  const wdW = new Array(20).fill(0.1);
  wdC[3] = 2; wdW[3] = 2;
  wdC[7] = 3; wdW[7] = 3;
  wdC[11] = 1.5; wdW[11] = 1;
  wdC[12] = 1; wdW[12] = 1;
  assert.deepEqual(selectUnitsToSplit({ wdC, wdW, energyConverged: false }, o), [7, 3]);
  assert.deepEqual(selectUnitsToSplit({ wdC, wdW, energyConverged: false }, { ...o, maxNewFraction: 0.5 }), [7, 3, 11]);
  assert.deepEqual(selectUnitsToSplit({ wdC, wdW, energyConverged: true }, o), []);
  // The per-layer cap leaves room for one more unit only.
  assert.deepEqual(selectUnitsToSplit({ wdC, wdW, energyConverged: false }, { ...o, maxUnits: 21 }), [7]);
  // alpha weights scale the score: alphaC = 0.2 leaves only unit 7 (0.2*3*3 = 1.8 > 1).
  assert.deepEqual(selectUnitsToSplit({ wdC, wdW, energyConverged: false }, { ...o, alphaC: 0.2 }), [7]);
  // A small layer may still grow by one unit per epoch.
  assert.deepEqual(selectUnitsToSplit({ wdC: [5, 5, 0], wdW: [1, 2, 0], energyConverged: false }, o), [1]);
});

test('selectUnitsToRemove removes dead units only after generation stopped', () => {
  const meanActivation = [0.5, 0.005, 0.2, 0.0099, 0.01];
  assert.deepEqual(selectUnitsToRemove({ meanActivation, generationStopped: false }, D), []);
  assert.deepEqual(selectUnitsToRemove({ meanActivation, generationStopped: true }, D), [1, 3]);
  // minUnits keeps the most active of the doomed units.
  assert.deepEqual(selectUnitsToRemove({ meanActivation: [0.001, 0.002, 0.003], generationStopped: true }, D), [0]);
});

test('selectUnitsToRemove optionally removes the later of two near-duplicate units', () => {
  // 3 visible x 3 hidden; columns 0 and 2 are nearly parallel, column 1 is not.
  const data = [1, 0, 1.001, 2, 1, 2, 3, -1, 3.002];
  const stats = { meanActivation: [0.5, 0.5, 0.5], generationStopped: true, weights: { data, rows: 3, cols: 3 } };
  assert.deepEqual(selectUnitsToRemove(stats, D), []);
  assert.deepEqual(selectUnitsToRemove(stats, { ...D, removeDuplicates: true }), [2]);
  assert.deepEqual(selectUnitsToRemove(stats, { ...D, removeDuplicates: true, duplicateCosine: 0.999999999 }), []);
});

test('shouldAddLayer needs both sums above their thresholds and room for a layer', () => {
  const o = { ...D, thetaL1: 1, thetaL2: 0.5 };
  assert.equal(shouldAddLayer([{ wd: 0.6, energy: 0.3 }, { wd: 0.6, energy: 0.3 }], o), true);
  assert.equal(shouldAddLayer([{ wd: 0.6, energy: 0.3 }], o), false);
  assert.equal(shouldAddLayer([{ wd: 2, energy: 0.4 }], o), false);
  assert.equal(shouldAddLayer([{ wd: 2, energy: 0.6 }], { ...o, maxLayers: 1 }), false);
  assert.equal(shouldAddLayer([{ wd: 2, energy: 0.6 }], o), true);
  assert.equal(shouldAddLayer([], o), false);
});
