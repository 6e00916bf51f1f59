import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as v from 'valibot';
import {
  ApiError,
  EVENTS,
  EVENT_NAMES,
  REQUESTS,
  REQUEST_AREAS,
  REQUEST_NAMES,
  checkResult,
  isEventName,
  payloadBreach,
  isRequestName,
  validateParams,
  type ParamsOf,
  type PayloadOf,
  type RequestName,
  type ResultOf,
} from './contract.ts';
import type { ModelId, SampleId } from './domain.ts';

function rejects(method: string, params: unknown, pattern: RegExp): void {
  assert.throws(
    () => validateParams(method, params),
    (e: unknown) => {
      assert.ok(e instanceof ApiError, `expected ApiError, got ${String(e)}`);
      assert.equal(e.code, 'invalid_params');
      assert.match(e.message, pattern);
      return true;
    },
  );
}

const isSchema = (x: unknown): boolean => typeof x === 'object' && x !== null && (x as { kind?: unknown }).kind === 'schema' && '~standard' in x;

test('every request name has a params and a result schema, and each name sits in exactly one area', () => {
  const fromAreas = Object.values(REQUEST_AREAS).flatMap((area) => Object.keys(area));
  // A name in two areas would be silently overwritten when the areas are merged; an area not merged would lose its requests.
  assert.equal(new Set(fromAreas).size, fromAreas.length, 'a request name appears in two areas');
  assert.deepEqual([...fromAreas].sort(), [...REQUEST_NAMES].sort());
  assert.equal(new Set(REQUEST_NAMES).size, REQUEST_NAMES.length);
  for (const name of REQUEST_NAMES) {
    assert.ok(isSchema(REQUESTS[name]?.params), `${name} has no params schema`);
    assert.ok(isSchema(REQUESTS[name]?.result), `${name} has no result schema`);
  }
  for (const name of EVENT_NAMES) assert.ok(isSchema(EVENTS[name]), `event ${name} has no payload schema`);
  assert.equal(new Set(EVENT_NAMES).size, EVENT_NAMES.length);
  assert.ok(isRequestName('training.start') && !isRequestName('training.nope') && !isRequestName(42) && !isRequestName('toString'));
  assert.ok(isEventName('training:epoch') && !isEventName('training.start') && !isEventName('constructor'));
});

/** Every object schema reachable from `schema` (through pipes, optionals, arrays, unions). */
function objectSchemas(schema: unknown, out: { type: string }[] = []): { type: string }[] {
  if (typeof schema !== 'object' || schema === null) return out;
  const s = schema as { type: string; entries?: Record<string, unknown>; wrapped?: unknown; item?: unknown; pipe?: unknown[]; options?: unknown[]; value?: unknown };
  if (s.entries) {
    out.push(s);
    for (const e of Object.values(s.entries)) objectSchemas(e, out);
  }
  for (const child of [s.wrapped, s.item, s.value, ...(s.pipe ?? []).slice(1), ...(Array.isArray(s.options) ? s.options : [])]) objectSchemas(child, out);
  return out;
}

test('every object in every request params is strict, so an unknown field is an error at any depth', () => {
  let seen = 0;
  for (const name of REQUEST_NAMES) {
    for (const o of objectSchemas(REQUESTS[name].params)) {
      seen++;
      assert.equal(o.type, 'strict_object', `${name} has a non-strict object in its params`);
    }
    rejects(name, { zzUnknown: 1 }, new RegExp(`^${name.replace('.', '\\.')}: zzUnknown must be absent \\((known fields: |no fields expected)`));
  }
  assert.ok(seen > REQUEST_NAMES.length, `walked only ${seen} object schemas`);
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
  assert.throws(() => validateParams('no.such', {}), (e: unknown) => e instanceof ApiError && e.code === 'unknown_method' && /unknown request "no\.such"/.test(e.message));
});

test('unknown and malformed fields are rejected with the whole message, in every area', () => {
  const cases: [string, unknown, string][] = [
    ['projects.create', { path: 'a.arproj', name: '' }, 'projects.create: name must be a string of 1..200 characters, got ""'],
    // JSON.parse makes "__proto__" an own key: it must be refused like any unknown field, not merged into a prototype.
    ['projects.open', JSON.parse('{"path": "a.arproj", "__proto__": {"polluted": 1}}'), 'projects.open: __proto__ must be absent (known fields: path), got an object'],
    ['projects.open', { pth: 'a.arproj' }, 'projects.open: pth must be absent (known fields: path), got "a.arproj"'],
    ['projects.create', { path: 'a.arproj', nmae: 'x' }, 'projects.create: nmae must be absent (known fields: path, name), got "x"'],
    ['imports.start', { kind: 'csv', path: '/x' }, 'imports.start: kind must be one of "affectnet", "fer2013", "ferplus", "folder", "multi", "demo", got "csv"'],
    ['imports.start', { kind: 'ferplus', path: '/x', options: [] }, 'imports.start: options must be an object, got an array of 0'],
    ['imports.report', { jobId: 7 }, 'imports.report: jobId must be a string of 1..128 characters, got 7'],
    ['training.start', { modelKind: 'cnn', options: { softTargets: 'yes' } }, 'training.start: options.softTargets must be true or false, got "yes"'],
    ['training.start', { modelKind: 'cnn', options: { hiddenUnits: [] } }, 'training.start: options.hiddenUnits must be an array of 1..16 items, got an array of 0'],
    ['training.get', { runId: 'x' }, 'training.get: runId must be an integer >= 1, got "x"'],
    ['evaluation.run', { modelId: 1, split: 'dev' }, 'evaluation.run: split must be one of "train", "valid", "test", got "dev"'],
    ['evaluation.list', { modelId: null }, 'evaluation.list: modelId must be an integer >= 1, got null'],
    ['faces.listForReview', { sort: 'id', filter: { splt: 'train' } }, 'faces.listForReview: filter.splt must be absent (known fields: split, givenLabel, currentLabel, predicted, misclassified, reviewed, disagreement, tag, ranges, duplicate), got "train"'],
    ['faces.listForReview', { sort: 'id', after: { value: Infinity, sampleId: 1 } }, 'faces.listForReview: after.value must be a finite number, got Infinity'],
    ['faces.listForReview', { sort: 'id', limit: 1001 }, 'faces.listForReview: limit must be an integer >= 1 and <= 1000, got 1001'],
    [
      'faces.saveQueueState',
      { reviewer: 'r', query: { modelId: null, sort: 'id', filter: {}, list: { title: 't', ids: [1, 2, 0] } }, sampleId: null, index: 0 },
      'faces.saveQueueState: query.list.ids[2] must be an integer >= 1, got 0',
    ],
    ['faces.saveQueueState', { reviewer: 'r', query: { sort: 'id', filter: {} }, sampleId: null, index: 0 }, 'faces.saveQueueState: query.modelId must be present, got nothing'],
    ['labels.undo', { reviewer: '' }, 'labels.undo: reviewer must be a string of 1..100 characters, got ""'],
    ['labels.relabel', { sampleId: 1, action: 'delete', reviewer: 'r' }, 'labels.relabel: action must be one of "relabel", "confirm", "ambiguous", "not_face", got "delete"'],
    ['annotators.faces', { annotator: 'a', consensus: 0, label: 0, extra: true }, 'annotators.faces: extra must be absent (known fields: annotator, consensus, label), got true'],
    ['analysis.start', { modelId: 1, folds: 21 }, 'analysis.start: folds must be an integer >= 1 and <= 20, got 21'],
    ['relearn.start', { parentModelId: 1, groups: [{ given: 1, predicted: 9 }] }, 'relearn.start: groups[0].predicted must be an integer >= 0 and <= 7, got 9'],
    ['relearn.start', { parentModelId: 1, groups: [{ given: 1, predicted: 2, n: 3 }] }, 'relearn.start: groups[0].n must be absent (known fields: given, predicted), got 3'],
    ['faces.listForReview', { sort: 'id', ids: new Array(50_001).fill('x') }, 'faces.listForReview: ids must be an array of 0..50000 items, got an array of 50001'],
    ['relearn.changedFaces', { runId: 1, split: 'train', change: 'wrong-to-right' }, 'relearn.changedFaces: split must be one of "valid", "test", got "train"'],
    ['relearn.decide', { runId: 1, decision: 'undecided' }, 'relearn.decide: decision must be one of "adopted", "discarded", got "undecided"'],
    ['export.run', { kind: 'labels', out: 'x.csv', modelId: 1.5 }, 'export.run: modelId must be an integer >= 1, got 1.5'],
    ['export.run', { kind: 'labels' }, 'export.run: out must be present, got nothing'],
  ];
  for (const [method, params, message] of cases) {
    assert.throws(
      () => validateParams(method, params),
      (e: unknown) => e instanceof ApiError && e.code === 'invalid_params' && e.message === message,
      `${method} ${JSON.stringify(params)} should fail with: ${message}`,
    );
  }
});

test('valid payloads pass and come back typed, unknown-free', () => {
  assert.deepEqual(validateParams('app.info', undefined), {});
  assert.deepEqual(validateParams('app.info', null), {});
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
  const queue = { reviewer: 'r', query: { modelId: 4, sort: 'margin', filter: {}, list: { title: 'cell', ids: [3, 1] } }, sampleId: 3, index: 0 };
  assert.deepEqual(validateParams('faces.saveQueueState', queue), queue);
});

test('result and event schemas accept what they describe and reject what they do not', () => {
  const run = { jobId: 'j1', kind: 'ferplus', path: '/d', status: 'done', accepted: 3, skippedExisting: 0, rejected: 1, issues: [{ file: 'a.csv', line: 4, field: 'emotion', message: 'bad' }], startedAt: 't', finishedAt: null, error: null };
  assert.ok(v.is(REQUESTS['imports.report'].result, run));
  assert.ok(v.is(EVENTS['import:done'], run));
  assert.ok(!v.is(EVENTS['import:done'], { ...run, status: 'paused' }));
  assert.ok(!v.is(REQUESTS['imports.report'].result, { ...run, issues: [{ file: 'a.csv', line: '4', field: null, message: 'bad' }] }));
  assert.ok(v.is(EVENTS['job:error'], { jobId: 'x', kind: 'training', message: 'm' }));
  assert.ok(!v.is(EVENTS['job:error'], { jobId: 'x', kind: 'upload', message: 'm' }));
});

test('checkResult passes a result that keeps the contract and names the field of one that does not', () => {
  const item = { id: 4, split: 'train', givenLabel: 2, currentLabel: 2, predicted: null, score: 0.5, reviewed: true, lastAction: 'confirm', predictedProbability: null, suggested: null };
  const page = { offset: 0, items: [item], next: { value: 0.5, sampleId: 4 }, counts: null, orderLabel: 'margin, smallest first' };
  checkResult('faces.listForReview', page);
  // SQLite answers 0/1 for a boolean column: the contract promises true/false.
  assert.throws(
    () => checkResult('faces.listForReview', { ...page, items: [{ ...item, reviewed: 1 }] }),
    (e: unknown) => e instanceof ApiError && e.code === 'internal' && e.message === 'faces.listForReview: the result breaks the contract: items[0].reviewed should be boolean, got 1',
  );
  assert.throws(() => checkResult('projects.current', { path: 'p' }), /projects\.current: the result breaks the contract: name should be present, got nothing/);
  checkResult('projects.current', null);
  assert.equal(payloadBreach('training:epoch', { runId: 2, epoch: { epoch: 1, phase: 'finetune', metrics: { loss: 0.5 }, units: [], seconds: 1 } }), null);
  assert.equal(
    payloadBreach('training:epoch', { runId: 2, epoch: { epoch: 1, phase: 'finetune', metrics: { loss: 'high' }, units: [], seconds: 1 } }),
    'training:epoch: the payload breaks the contract: epoch.metrics.loss should be number, got "high"',
  );
});

test('the types inferred from the schemas are the contract (checked by tsc: each line below must not compile)', () => {
  // @ts-expect-error an unknown request name
  const name: RequestName = 'training.nope';
  // @ts-expect-error a model kind the schema does not list
  const start: ParamsOf<'training.start'> = { modelKind: 'rbm', options: {} };
  // @ts-expect-error epochs is a number
  const epochs: ParamsOf<'training.start'> = { modelKind: 'cnn', options: { epochs: '3' } };
  // @ts-expect-error a plain number is not a SampleId (the brand survives inference)
  const face: ParamsOf<'faces.get'> = { id: 3 };
  // @ts-expect-error a model id is not a sample id
  const list: ParamsOf<'faces.listForReview'> = { sort: 'id', ids: [7 as ModelId] };
  // @ts-expect-error the result's reviewed is a boolean
  const reviewed: ResultOf<'faces.listForReview'>['items'][number]['reviewed'] = 1;
  // @ts-expect-error no params are {} only
  const none: ParamsOf<'app.info'> = { x: 1 };
  // @ts-expect-error an event's payload is typed too
  const done: PayloadOf<'training:done'> = { runId: 1, status: 'done', modelId: null, error: null };
  const ok: ParamsOf<'faces.get'> = { id: 3 as SampleId };
  assert.deepEqual(validateParams('faces.get', ok), { id: 3 });
  void [name, start, epochs, face, list, reviewed, none, done];
});
