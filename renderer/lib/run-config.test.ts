import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveMethodOptions } from '../../api/method-options.ts';
import { runConfigRows } from './run-config.ts';

test("a run's rows show its options and every recorded METHOD constant, marking the varied ones", () => {
  const method = { ...resolveMethodOptions('adbn'), thetaG: 1e-3 };
  const { main, method: rows } = runConfigRows('adbn', { epochs: 3, hiddenUnits: [64, 32], softTargets: false, method });
  assert.deepEqual(main.map((r) => [r.label, r.value]), [['epochs', '3'], ['hidden units', '64, 32'], ['soft targets', 'false']]);
  assert.equal(rows.length, Object.keys(method).length);
  assert.deepEqual(rows.filter((r) => r.changed).map((r) => [r.label, r.value]), [['θ_G', '0.001']]);
  assert.ok(rows.some((r) => r.label === 'θ_A' && r.value === '0.01' && !r.changed));
});

test('a run recorded before the constants were options shows none', () => {
  assert.deepEqual(runConfigRows('cnn', { epochs: 2 }).method, []);
});
