import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiError, EVENT_NAMES, REQUEST_NAMES, isEventName, isRequestName } from './contract.ts';
import { validateParams, validators } from './validate.ts';

function rejects(method: string, params: unknown, pattern: RegExp): void {
  assert.throws(
    () => validateParams(method, params),
    (e: unknown) => {
      assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
      assert.match(e.message, pattern);
      return true;
    },
  );
}

test('every contract request has a validator and no validator lacks a request', () => {
  assert.deepEqual(Object.keys(validators).sort(), [...REQUEST_NAMES].sort());
  assert.equal(new Set(REQUEST_NAMES).size, REQUEST_NAMES.length);
  assert.equal(new Set(EVENT_NAMES).size, EVENT_NAMES.length);
  assert.ok(isRequestName('training.start') && !isRequestName('training.nope') && !isRequestName(42));
  assert.ok(isEventName('training:epoch') && !isEventName('training.start'));
});

test('the brief example message names the request and the field', () => {
  rejects('training.start', { modelKind: 'cnn', options: { epochs: 'x' } }, /^training\.start: options\.epochs must be an integer >= 1, got "x"$/);
});

test('malformed payloads are rejected with the field named', () => {
  rejects('training.start', { modelKind: 'rbm', options: {} }, /modelKind must be one of "cnn", "adbn", "dbn", got "rbm"/);
  rejects('training.start', { options: {} }, /training\.start: modelKind must be present, got nothing/);
  rejects('training.start', { modelKind: 'cnn', options: { epochs: 1.5 } }, /options\.epochs must be an integer/);
  rejects('training.start', { modelKind: 'cnn', options: { learningRate: 0 } }, /options\.learningRate must be a finite number > 0/);
  rejects('training.start', { modelKind: 'cnn', options: { hiddenUnits: [10, -1] } }, /options\.hiddenUnits\[1\] must be an integer >= 1/);
  rejects('training.start', { modelKind: 'cnn', options: { epochz: 3 } }, /options\.epochz must be absent \(known fields: .*epochs/);
  rejects('imports.start', { kind: 'ferplus', path: '' }, /imports\.start: path must be a string of 1\.\.4096 characters, got ""/);
  rejects('imports.start', { kind: 'ferplus', path: '/x', options: { size: 'big' } }, /options\.size must be an integer >= 8/);
  rejects('evaluation.run', { modelId: 0, split: 'test' }, /evaluation\.run: modelId must be an integer >= 1, got 0/);
  rejects('labels.relabel', { sampleId: 3, action: 'relabel', label: 8, reviewer: 'r' }, /label must be an integer >= 0 and <= 7, got 8/);
  rejects('labels.relabel', { sampleId: 3, action: 'relabel', label: 2 }, /labels\.relabel: reviewer must be present/);
  rejects('projects.open', null, /projects\.open: params must be an object, got null/);
  rejects('projects.open', [1], /params must be an object, got an array of 1/);
  rejects('app.info', { extra: 1 }, /app\.info: extra must be absent \(no fields expected\)/);
  rejects('no.such', {}, /unknown request "no\.such"/);
});

test('valid payloads pass and come back typed, unknown-free', () => {
  assert.deepEqual(validateParams('app.info', undefined), {});
  assert.deepEqual(validateParams('training.start', { modelKind: 'adbn', options: { epochs: 3, hiddenUnits: [64] } }), {
    modelKind: 'adbn',
    options: { epochs: 3, hiddenUnits: [64] },
  });
  assert.deepEqual(validateParams('evaluation.list', {}), {});
  assert.deepEqual(validateParams('faces.listForReview', { sort: 'kl_annotator', filter: { split: 'valid' }, limit: 50 }), {
    sort: 'kl_annotator',
    filter: { split: 'valid' },
    limit: 50,
  });
});
