// The review tools through the service on a real SQLite project: suggested labels in the
// queue and the panel, bulk accept of a selection and of the top k as ONE batch undone in ONE
// step, score range filters, free tags, a decision's note, and saved views across a reopen.
// The expected faces come from the fixture's own numbers (an oracle independent of the SQL).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ApiError } from '../../../api/contract.ts';
import type { ModelId, SampleId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { upsertScores } from '../../../db/score-store.ts';
import { makeRecord, tempDir } from '../../../db/test-support.ts';
import { AppService } from '../app-service.ts';

const N = 40;
const tmp = tempDir('ar-review-tools-');
const path = tmp.file('p.arproj');
let s: AppService;
let model: ModelId;
let ids: SampleId[] = [];

// The fixture's numbers: the oracle for every expectation below.
const given = (i: number) => i % 8;
const predicted = (i: number) => (i % 3 === 0 ? (i + 1) % 8 : i % 8);
const pTop = (i: number) => 0.4 + i / 100;
const klOf = (i: number) => ((i * 7) % N) / N; // distinct values, not in id order

before(async () => {
  const db = openProject(path, { create: true, name: 'tools' });
  ids = insertSampleBatch(db, Array.from({ length: N }, (_, i) => makeRecord({ index: i, givenLabel: given(i) }))).ids as SampleId[];
  model = createModel(db, { kind: 'cnn', name: 'parent', filePath: 'm1.json', inputSize: { height: 48, width: 48 } });
  upsertScores(db, model, ids.map((id, i) => ({ sampleId: id, klAnnotator: klOf(i), margin: 1 - pTop(i), maxSoftmax: pTop(i), predictedLabel: predicted(i) })));
  db.close();
  s = new AppService({ transport: 'test', configDir: join(tmp.dir, 'config'), backend: async () => null, checkContract: true });
  await s.openProject(path);
});
after(async () => {
  assert.deepEqual(s?.contractBreaches ?? [], []);
  await s?.dispose();
  tmp.remove();
});

const idx = (id: number) => ids.indexOf(id as SampleId);
const current = async (i: number) => (await s.call('faces.get', { id: ids[i] })).currentLabel;
const auditOf = async (i: number) => (await s.call('faces.get', { id: ids[i] })).history;

test('the queue and the panel suggest the model class where it differs from the current label, with its probability', async () => {
  const page = await s.call('faces.listForReview', { modelId: model, sort: 'id', limit: N });
  for (const item of page.items) {
    const i = idx(item.id);
    const expected = predicted(i) !== given(i) ? { label: predicted(i), probability: pTop(i) } : null;
    assert.equal(item.suggested?.label ?? null, expected?.label ?? null, `face ${i}`);
    if (expected) assert.ok(Math.abs(item.suggested!.probability - expected.probability) < 1e-6);
  }
  const d = await s.call('faces.get', { id: ids[3], modelId: model });
  assert.equal(d.suggested?.label, predicted(3));
  // Without a model there is nothing to suggest.
  assert.ok((await s.call('faces.listForReview', { sort: 'id', limit: 5 })).items.every((x) => x.suggested === null));
});

test('accepting the suggestions of a selection is one batch, and one undo reverts all of it', async () => {
  // A single decision first: the undo of the batch must stop at it.
  await s.call('labels.relabel', { sampleId: ids[1], action: 'relabel', label: 5, reviewer: 'ann', note: 'single' });
  const selection = [0, 1, 2, 3, 6, 9].map((i) => ids[i]);
  const r = await s.call('labels.acceptSuggestions', { reviewer: 'ann', modelId: model, sampleIds: selection });
  // Oracle: faces with predicted != current (face 1 is now 5, its prediction 1 differs too).
  const withSuggestion = [0, 1, 3, 6, 9];
  assert.deepEqual(r.changed.map((f) => idx(f.id)).sort((a, b) => a - b), withSuggestion);
  assert.equal(r.skipped, 1);
  assert.ok(r.batchId !== null);
  for (const i of withSuggestion) {
    assert.equal(await current(i), predicted(i), `face ${i} took its suggestion`);
    const last = (await auditOf(i)).at(-1)!;
    assert.equal(last.batchId, r.batchId);
  }
  const undo = await s.call('labels.undo', { reviewer: 'ann' });
  assert.deepEqual(undo.changed.map((f) => idx(f.id)).sort((a, b) => a - b), withSuggestion);
  for (const i of [0, 3, 6, 9]) assert.equal(await current(i), given(i), `face ${i} back to its given label`);
  assert.equal(await current(1), 5, 'the single decision before the batch is not part of the step');
  const undoRows = (await auditOf(0)).filter((e) => e.action === 'undo');
  assert.equal(undoRows.length, 1);
  assert.ok(undoRows[0].batchId !== null && undoRows[0].batchId !== r.batchId, 'the undo is a batch of its own');
  // The next undo is the single decision.
  const next = await s.call('labels.undo', { reviewer: 'ann' });
  assert.equal(next.changed.length, 1);
  assert.equal(await current(1), given(1));
  await assert.rejects(s.call('labels.undo', { reviewer: 'ann', batchId: r.batchId! }), (e: unknown) => e instanceof ApiError && e.code === 'conflict');
});

test('"fix the top k" accepts the suggestions of the first k faces in the queue order', async () => {
  const k = 7;
  const order = [...ids.keys()].sort((a, b) => klOf(b) - klOf(a)).slice(0, k);
  const expected = order.filter((i) => predicted(i) !== given(i)).sort((a, b) => a - b);
  const r = await s.call('labels.acceptSuggestions', { reviewer: 'topk', modelId: model, top: { k, query: { modelId: model, sort: 'kl_annotator', filter: {} } } });
  assert.deepEqual(r.changed.map((f) => idx(f.id)).sort((a, b) => a - b), expected);
  assert.equal(r.skipped, k - expected.length);
  await s.call('labels.undo', { reviewer: 'topk', batchId: r.batchId! });
  for (const i of expected) assert.equal(await current(i), given(i));
});

test('a bulk accept naming an unknown face writes nothing', async () => {
  const before = (await s.call('faces.listForReview', { sort: 'id', withCounts: true })).counts!.reviewed;
  await assert.rejects(s.call('labels.acceptSuggestions', { reviewer: 'x', modelId: model, sampleIds: [ids[0], 99_999 as SampleId] }), /no face 99999/);
  assert.equal((await s.call('faces.listForReview', { sort: 'id', withCounts: true })).counts!.reviewed, before);
  await assert.rejects(s.call('labels.acceptSuggestions', { reviewer: 'x', modelId: model }), /either sampleIds/);
});

test('range filters keep exactly the faces whose scores lie in every range', async () => {
  const ranges = [
    { score: 'kl_annotator' as const, min: 0.2, max: 0.6 },
    { score: 'max_softmax' as const, min: 0.5 },
  ];
  const page = await s.call('faces.listForReview', { modelId: model, sort: 'id', filter: { ranges }, limit: N, withCounts: true });
  const expected = [...ids.keys()].filter((i) => klOf(i) >= 0.2 && klOf(i) <= 0.6 && pTop(i) >= 0.5);
  assert.ok(expected.length > 3 && expected.length < N / 2, 'the ranges cut the queue');
  assert.deepEqual(page.items.map((x) => idx(x.id)), expected);
  assert.equal(page.counts!.total, expected.length);
  await assert.rejects(s.call('faces.listForReview', { sort: 'id', filter: { ranges } }), /needs a model/);
  await assert.rejects(s.call('faces.listForReview', { modelId: model, sort: 'id', filter: { ranges: [{ score: 'margin', min: 0.9, max: 0.1 }] } }), /min 0.9 is above max 0.1/);
});

test('tags: added once per face, filtered by, listed with counts, removed', async () => {
  const tagged = [ids[4], ids[5], ids[11]];
  assert.deepEqual(await s.call('faces.addTag', { sampleIds: tagged, tag: ' glasses ' }), { added: 3 });
  assert.deepEqual(await s.call('faces.addTag', { sampleIds: [ids[4]], tag: 'glasses' }), { added: 0 });
  await s.call('faces.addTag', { sampleIds: [ids[4]], tag: 'check later' });
  const page = await s.call('faces.listForReview', { sort: 'id', filter: { tag: 'glasses' }, withCounts: true });
  assert.deepEqual(page.items.map((x) => x.id), tagged);
  assert.deepEqual(await s.call('faces.tags', {}), [{ tag: 'check later', count: 1 }, { tag: 'glasses', count: 3 }]);
  assert.deepEqual((await s.call('faces.get', { id: ids[4] })).tags, ['check later', 'glasses']);
  assert.deepEqual(await s.call('faces.removeTag', { sampleIds: [ids[5], ids[6]], tag: 'glasses' }), { removed: 1 });
  assert.deepEqual((await s.call('faces.listForReview', { sort: 'id', filter: { tag: 'glasses' } })).items.map((x) => x.id), [ids[4], ids[11]]);
  await assert.rejects(s.call('faces.addTag', { sampleIds: [ids[4]], tag: '   ' }), /tag must not be empty/);
  await assert.rejects(s.call('faces.addTag', { sampleIds: [99_999 as SampleId], tag: 'x' }), /no face 99999/);
});

test('a note given with a decision lands in the audit trail', async () => {
  await s.call('labels.relabel', { sampleId: ids[20], action: 'ambiguous', reviewer: 'notes', note: 'mouth covered by a hand' });
  assert.equal((await auditOf(20)).at(-1)!.note, 'mouth covered by a hand');
});

test('saved views keep the query and the position, survive a reopen, and can be deleted', async () => {
  const query = { modelId: model, sort: 'kl_annotator' as const, filter: { tag: 'glasses', ranges: [{ score: 'kl_annotator' as const, max: 0.9 }] } };
  await s.call('views.save', { name: 'glasses', query, sampleId: ids[11], index: 1 });
  await s.call('views.save', { name: 'all', query: { modelId: null, sort: 'id', filter: {} }, sampleId: null, index: 0 });
  await s.closeProject();
  await s.openProject(path);
  const views = await s.call('views.list', {});
  assert.deepEqual(views.map((v) => v.name).sort(), ['all', 'glasses']);
  const g = views.find((v) => v.name === 'glasses')!;
  assert.deepEqual(g.query, query);
  assert.equal(g.sampleId, ids[11]);
  assert.equal(g.index, 1);
  // The reviewer's own resume position is not a view.
  await s.call('faces.saveQueueState', { reviewer: 'ann', query: { modelId: null, sort: 'id', filter: {} }, sampleId: null, index: 0 });
  assert.equal((await s.call('views.list', {})).length, 2);
  assert.deepEqual(await s.call('views.delete', { name: 'all' }), { deleted: true });
  assert.deepEqual((await s.call('views.list', {})).map((v) => v.name), ['glasses']);
});
