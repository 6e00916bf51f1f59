import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, MODEL_KINDS, validateParams } from './contract.ts';
import { METHOD_OPTION_SPECS, methodOptionFlag, resolveMethodOptions } from './method-options.ts';

const start = (modelKind: string, method: unknown) => validateParams('training.start', { modelKind, options: { method } });

test("every kind's defaults pass the request validator", () => {
  for (const kind of MODEL_KINDS) assert.doesNotThrow(() => start(kind, resolveMethodOptions(kind)));
});

test('a value out of bounds or of the wrong type is refused naming the option', () => {
  const refused = (method: unknown, pattern: RegExp) =>
    assert.throws(() => start('adbn', method), (e: unknown) => e instanceof ApiError && pattern.test(e.message));
  refused({ thetaA: 1.5 }, /options\.method\.thetaA must be a finite number >= 0 and <= 1, got 1.5/);
  refused({ rbmLearningRate: 0 }, /options\.method\.rbmLearningRate must be a finite number > 0/);
  refused({ maxUnits: 2.5 }, /options\.method\.maxUnits must be an integer/);
  refused({ classWeighting: 'inverse' }, /options\.method\.classWeighting must be one of "none", "balanced", "sqrt"/);
  refused({ gaussianFirstLayer: 'yes' }, /options\.method\.gaussianFirstLayer must be true or false/);
  refused({ thetaX: 1 }, /options\.method\.thetaX must be absent/);
  assert.deepEqual(start('adbn', { thetaL2: -1, thetaG: 0 }).options.method, { thetaL2: -1, thetaG: 0 });
});

test('every default lies inside its own bounds and every flag is distinct kebab case', () => {
  for (const s of METHOD_OPTION_SPECS) {
    if (typeof s.default === 'number') {
      assert.ok(s.min === undefined || s.default >= s.min, s.key);
      assert.ok(s.max === undefined || s.default <= s.max, s.key);
      assert.ok(s.greaterThan === undefined || s.default > s.greaterThan, s.key);
    }
    if (s.type === 'enum') assert.ok(s.values?.includes(s.default as string), s.key);
  }
  const flags = METHOD_OPTION_SPECS.map((s) => methodOptionFlag(s.key));
  assert.equal(new Set(flags).size, flags.length);
  assert.equal(methodOptionFlag('thetaG'), 'theta-g');
  assert.equal(methodOptionFlag('thetaL1'), 'theta-l1');
  assert.equal(methodOptionFlag('alphaWD'), 'alpha-wd');
  for (const f of flags) assert.match(f, /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
});
