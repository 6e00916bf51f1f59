import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateParams } from '../../api/contract.ts';
import { KIND_SPECS, parseTrainingForm, specFor } from './training-form.ts';

test('the defaults of every model kind parse into options the API accepts', () => {
  for (const spec of KIND_SPECS) {
    const r = parseTrainingForm(spec.kind, spec.defaults, spec.methodDefaults);
    assert.ok(r.ok, `${spec.kind}: ${r.ok ? '' : r.message}`);
    // The server validates with the same checks: the form must never send what it rejects.
    assert.doesNotThrow(() => validateParams('training.start', { modelKind: spec.kind, options: r.options }));
  }
});

test('ADBN defaults carry METHOD.md values and lists parse from commas or spaces', () => {
  const r = parseTrainingForm('dbn', { hiddenUnits: '512, 256 128', epochs: '3', softTargets: false });
  assert.ok(r.ok);
  assert.deepEqual(r.options.hiddenUnits, [512, 256, 128]);
  assert.equal(r.options.epochs, 3);
  assert.equal(r.options.softTargets, false);
  assert.ok(!('reviewedTarget' in r.options), 'an unset choice is left out: the server default applies');
  const weighted = parseTrainingForm('cnn', { reviewedTarget: 'weighted' });
  assert.ok(weighted.ok && weighted.options.reviewedTarget === 'weighted');
  const bad = parseTrainingForm('cnn', { reviewedTarget: 'votes' });
  assert.deepEqual(bad.ok ? null : [bad.field, bad.message], ['reviewedTarget', 'Reviewed faces train on must be one of one-hot, weighted, got "votes"']);
  const adbn = KIND_SPECS.find((s) => s.kind === 'adbn')!;
  assert.equal(adbn.defaults.maxLayers, '5');
  assert.equal(adbn.methodDefaults.thetaA, '0.01');
  assert.equal(adbn.methodDefaults.thetaG, '0.0005');
});

test('METHOD constants are editable per kind: typed values are sent, bad ones name the constant', () => {
  const adbn = KIND_SPECS.find((s) => s.kind === 'adbn')!;
  const cnn = KIND_SPECS.find((s) => s.kind === 'cnn')!;
  assert.ok(!cnn.method.some((s) => s.key === 'thetaG'), 'the CNN form does not offer θ_G');
  assert.ok(cnn.method.some((s) => s.key === 'classWeighting'));
  const r = parseTrainingForm('adbn', adbn.defaults, { ...adbn.methodDefaults, thetaG: ' 1e-3 ', gaussianFirstLayer: true, classWeighting: 'balanced', thetaL2: '' });
  assert.ok(r.ok);
  assert.equal(r.options.method?.thetaG, 0.001);
  assert.equal(r.options.method?.gaussianFirstLayer, true);
  assert.equal(r.options.method?.classWeighting, 'balanced');
  assert.ok(!('thetaL2' in (r.options.method ?? {})), 'an emptied constant keeps its default');
  assert.doesNotThrow(() => validateParams('training.start', { modelKind: 'adbn', options: r.options }));
  const bad = parseTrainingForm('adbn', adbn.defaults, { thetaA: '1.5' });
  assert.deepEqual(bad.ok ? null : [bad.field, bad.message], ['method.thetaA', 'θ_A must be at most 1, got "1.5"']);
  const zero = parseTrainingForm('adbn', adbn.defaults, { rbmLearningRate: '0' });
  assert.equal(zero.ok ? null : zero.field, 'method.rbmLearningRate');
});

test('bad values are reported with the field and what was typed; empty optional fields are left out', () => {
  const bad = parseTrainingForm('cnn', { epochs: '2.5' });
  assert.deepEqual(bad.ok ? null : [bad.field, bad.message], ['epochs', 'Epochs must be a whole number, got "2.5"']);
  const zero = parseTrainingForm('cnn', { learningRate: '0' });
  assert.equal(zero.ok ? null : zero.field, 'learningRate');
  const list = parseTrainingForm('dbn', { hiddenUnits: '64, x' });
  assert.equal(list.ok ? null : list.field, 'hiddenUnits');
  const empty = parseTrainingForm('cnn', { epochs: '4', maxSamples: '  ' });
  assert.ok(empty.ok && !('maxSamples' in empty.options));
});

test('runtime and threads: automatic sends nothing, a named runtime and a thread count are sent and checked', () => {
  const base = { ...specFor('cnn').defaults };
  const auto = parseTrainingForm('cnn', base);
  assert.ok(auto.ok && auto.options.runtime === undefined && auto.options.threads === undefined);
  const set = parseTrainingForm('cnn', { ...base, runtime: 'tfjs-wasm', threads: '3' });
  assert.ok(set.ok);
  if (set.ok) {
    assert.equal(set.options.runtime, 'tfjs-wasm');
    assert.equal(set.options.threads, 3);
    assert.doesNotThrow(() => validateParams('training.start', { modelKind: 'cnn', options: set.options }));
  }
  const bad = parseTrainingForm('adbn', { ...specFor('adbn').defaults, runtime: 'cuda-please' });
  assert.deepEqual(bad.ok ? null : bad.field, 'runtime');
  const zero = parseTrainingForm('dbn', { ...specFor('dbn').defaults, threads: '0' });
  assert.deepEqual(zero.ok ? null : zero.field, 'threads');
});
