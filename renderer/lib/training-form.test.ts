import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateParams } from '../../api/validate.ts';
import { KIND_SPECS, parseTrainingForm } from './training-form.ts';

test('the defaults of every model kind parse into options the API accepts', () => {
  for (const spec of KIND_SPECS) {
    const r = parseTrainingForm(spec.kind, spec.defaults);
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
  assert.ok(adbn.fixed.some((f) => f.label.startsWith('θ_A') && f.value === '0.01'));
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
