import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_DBN_CONFIG } from './dbn-config.ts';
import { describeDbnOptions } from './dbn-option-docs.ts';

test('every DBN option (except the kind switch) has help and METHOD.md defaults', () => {
  const docs = describeDbnOptions();
  const keys = new Set(docs.map((d) => d.key));
  for (const [k, v] of Object.entries(DEFAULT_DBN_CONFIG)) {
    if (k === 'adaptive') continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      for (const sub of Object.keys(v)) if (!(k === 'rbm' && sub === 'visibleType')) assert.ok(keys.has(`${k}.${sub}`), `${k}.${sub} undocumented`);
    } else assert.ok(keys.has(k), `${k} undocumented`);
  }
  const get = (k: string) => docs.find((d) => d.key === k)?.default;
  assert.equal(get('rbm.learningRate'), 0.05);
  assert.equal(get('rbm.weightDecay'), 1e-4);
  assert.equal(get('rules.thetaA'), 0.01);
  assert.equal(get('rules.epsE'), 0.01);
  assert.equal(get('rules.maxNewFraction'), 0.1);
  assert.equal(get('rules.maxUnits'), 1024);
  assert.equal(get('rules.maxLayers'), 5);
});
