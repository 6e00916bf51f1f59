// The review workflow through the service (validation included) on a real SQLite project:
// queue order and paging, filters, resume position, decisions and undo in the audit trail,
// queue state across a reopen, and the next training run seeing the review's labels.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ApiError, type FaceListItem } from '../../../api/contract.ts';
import type { ModelId, SampleId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { createModel, stampLabelVersion } from '../../../db/model-store.ts';
import { labelVersion } from '../../../db/relabel-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { upsertScores } from '../../../db/score-store.ts';
import { lcg, makeRecord, tempDir } from '../../../db/test-support.ts';
import { AppService } from '../app-service.ts';
import { loadProjectTrainingData } from './training-data.ts';

const N = 120;
const tmp = tempDir('ar-review-');
const path = tmp.file('p.arproj');
let s: AppService;
let model: ModelId;
let child: ModelId;
const kl = new Map<number, number>();

before(async () => {
  const db = openProject(path, { create: true, name: 'review' });
  const rand = lcg(5);
  const records = Array.from({ length: N }, (_, i) =>
    makeRecord({
      index: i,
      split: i % 4 === 0 ? 'valid' : 'train',
      givenLabel: i % 8,
      // Every third face: three annotators, two of whom disagree with the third.
      annotations: i % 3 === 0 ? [{ annotator: 'ann1', label: i % 8 }, { annotator: 'ann2', label: (i + 1) % 8 }, { annotator: 'ann3', label: (i + 1) % 8 }] : [{ annotator: 'ann1', label: i % 8 }],
    }),
  );
  const ids = insertSampleBatch(db, records).ids as SampleId[];
  model = createModel(db, { kind: 'cnn', name: 'parent', filePath: 'm1.json', inputSize: { height: 48, width: 48 } });
  child = createModel(db, { kind: 'cnn', name: 'child', filePath: 'm2.json', inputSize: { height: 48, width: 48 }, parentModelId: model });
  const probs = new Float32Array(N * 8);
  ids.forEach((id, i) => {
    // Ties on purpose (rounded to 0.05) so the (score, id) cursor must break them.
    const v = Math.round(rand() * 20) / 20;
    kl.set(id, v);
    probs[i * 8 + ((i + 2) % 8)] = 1;
  });
  // Face 7 has no score: it is in no model-sorted queue.
  upsertScores(db, model, ids.filter((id) => id !== ids[7]).map((id, i) => ({ sampleId: id, klAnnotator: kl.get(id)!, margin: 1 - kl.get(id)!, predictedLabel: (i + 2) % 8 })));
  writePredictions(db, model, { sampleIds: ids, probs });
  writePredictions(db, child, { sampleIds: ids.slice(0, 3), probs: probs.slice(0, 24) });
  db.close();
  s = new AppService({ transport: 'test', configDir: join(tmp.dir, 'config'), backend: async () => null, checkContract: true });
  await s.openProject(path);
});
after(async () => {
  assert.deepEqual(s?.contractBreaches ?? [], []);
  await s?.dispose();
  tmp.remove();
});

const ids = (items: FaceListItem[]) => items.map((x) => x.id);

test('options follow METHOD 5: the scored model and KL(annotators || model) by default', async () => {
  const o = await s.call('faces.reviewOptions', {});
  assert.equal(o.defaultModelId, model);
  assert.equal(o.defaultSort, 'kl_annotator');
  assert.match(o.defaultReason, /no CROWDLAB score/, 'the view can say why this order, and why not the preferred one');
  assert.deepEqual(o.models.map((m) => [m.id, m.sorts]), [[model, ['kl_annotator', 'margin']]]);
  assert.equal(o.hasAnnotatorLabels, true);
});

test('cursor pages walk the whole queue in (KL desc, id desc) order, and agree with offset and startAt', async () => {
  const all: FaceListItem[] = [];
  let page = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', limit: 25, withCounts: true });
  assert.deepEqual(page.counts, { total: N - 1, reviewed: 0 });
  assert.match(page.orderLabel, /KL\(annotators ‖ model #\d+\), largest first/);
  all.push(...page.items);
  while (page.next) {
    page = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', limit: 25, after: page.next });
    all.push(...page.items);
  }
  assert.equal(all.length, N - 1);
  const expected = [...kl.keys()].filter((id) => id !== 8).sort((a, b) => kl.get(b)! - kl.get(a)! || b - a);
  assert.deepEqual(ids(all), expected);
  const at = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', limit: 5, offset: 40 });
  assert.deepEqual(ids(at.items), expected.slice(40, 45));
  const resumed = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', limit: 5, startAt: expected[63] });
  assert.equal(resumed.offset, 63);
  assert.deepEqual(ids(resumed.items), expected.slice(63, 68));
  // Margin is ascending: the least confident first.
  const m = await s.call('faces.listForReview', { modelId: model, sort: 'margin', limit: 3 });
  assert.deepEqual(ids(m.items), [...expected].sort((a, b) => 1 - kl.get(a)! - (1 - kl.get(b)!) || a - b).slice(0, 3));
});

test('filters: split, confusion pair, annotator disagreement; model sorts need a model', async () => {
  const valid = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { split: 'valid' }, limit: 1000, withCounts: true });
  assert.equal(valid.counts!.total, valid.items.length);
  assert.ok(valid.items.every((x) => x.split === 'valid') && valid.items.length === N / 4);
  const pair = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { givenLabel: 3, predicted: 4 }, limit: 1000 });
  assert.ok(pair.items.length > 0 && pair.items.every((x) => x.givenLabel === 3 && x.predicted === 4));
  const dis = await s.call('faces.listForReview', { sort: 'disagreement', limit: 1000, withCounts: true });
  // Faces with several annotators: 1 - 2/3 each; single-annotator faces have no disagreement value.
  assert.equal(dis.items.length, N / 3);
  assert.ok(dis.items.every((x) => Math.abs(x.score! - 1 / 3) < 1e-9));
  const disFilter = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { disagreement: true }, limit: 1000 });
  assert.equal(disFilter.items.length, N / 3);
  await assert.rejects(s.call('faces.listForReview', { sort: 'kl_annotator' }), (e: ApiError) => e.code === 'invalid_params' && /needs a/.test(e.message));
});

test('decisions go to the audit trail at once; undo reverts; counts and details follow', async () => {
  const [a, b, c] = ids((await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', limit: 3 })).items);
  const r1 = await s.call('labels.relabel', { sampleId: a, action: 'relabel', label: 5, reviewer: 'rita' });
  assert.equal(r1.face!.currentLabel, 5);
  assert.equal(r1.face!.reviewed, true);
  await s.call('labels.relabel', { sampleId: b, action: 'ambiguous', reviewer: 'rita' });
  const r3 = await s.call('labels.relabel', { sampleId: c, action: 'relabel', label: 1, reviewer: 'rita' });
  const u = await s.call('labels.undo', { reviewer: 'rita' });
  assert.equal(u.entry!.revertsId, r3.entry!.id);
  assert.equal(u.face!.currentLabel, u.face!.givenLabel);
  assert.equal(u.face!.reviewed, false);
  await assert.rejects(s.call('labels.undo', { reviewer: 'rita', relabelId: r3.entry!.id }), (e: ApiError) => e.code === 'conflict');
  await assert.rejects(s.call('labels.relabel', { sampleId: a, action: 'relabel', reviewer: 'rita' }), (e: ApiError) => e.code === 'invalid_params');
  const counts = (await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', limit: 1, withCounts: true })).counts;
  assert.deepEqual(counts, { total: N - 1, reviewed: 2 });
  const notReviewed = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { reviewed: false }, limit: 1000 });
  assert.equal(notReviewed.items.length, N - 3);
  // Current label 5: the faces given 5 (one scoreless) and face a, relabelled to 5.
  const current5 = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { currentLabel: 5 }, limit: 1000, withCounts: true });
  const given5 = [...kl.keys()].filter((id) => id !== 8 && (id - 1) % 8 === 5);
  assert.deepEqual(ids(current5.items).sort((x, y) => x - y), [...new Set([...given5, a])].sort((x, y) => x - y));
  assert.deepEqual(current5.counts, { total: current5.items.length, reviewed: 1 });

  const d = await s.call('faces.get', { id: a, modelId: model });
  assert.equal(d.currentLabel, 5);
  assert.deepEqual(d.history.map((h) => [h.action, h.label, h.reviewer]), [['relabel', 5, 'rita']]);
  assert.equal(d.model!.probabilities!.length, 8);
  assert.equal(d.scores!.klAnnotator, kl.get(a));
  const withChild = await s.call('faces.get', { id: 1 as SampleId, modelId: model });
  assert.deepEqual(withChild.children.map((x) => [x.modelId, x.probabilities?.length]), [[child, 8]]);
  assert.deepEqual(withChild.annotatorDistribution, [0, 1 / 3, 0, 0, 0, 0, 0, 0].map((_, k) => (k === 0 ? 1 / 3 : k === 1 ? 2 / 3 : 0)));
  await assert.rejects(s.call('faces.get', { id: 99_999 as SampleId }), (e: ApiError) => e.code === 'not_found');
});

test('the next training run loads the relabelled label and leaves out the ambiguous face', async () => {
  const faces = (await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { split: 'train', reviewed: false }, limit: 2 })).items;
  await s.call('labels.relabel', { sampleId: faces[0].id, action: 'relabel', label: (faces[0].givenLabel! + 3) % 8, reviewer: 'tom' });
  await s.call('labels.relabel', { sampleId: faces[1].id, action: 'ambiguous', reviewer: 'tom' });
  const data = loadProjectTrainingData(s.project!, { useSoftTargets: false, seed: 1 });
  const row = data.trainIds.indexOf(faces[0].id);
  assert.ok(row >= 0);
  assert.equal(data.data.y[row], (faces[0].givenLabel! + 3) % 8);
  assert.equal(data.trainIds.indexOf(faces[1].id), -1);
});

test('a list of faces handed over by another view is listed in its order, paged by offset, resumed by startAt', async () => {
  const list = [30, 5, 999_999, 17, 2, 64] as SampleId[];
  const page = await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', ids: list, limit: 3, withCounts: true });
  assert.deepEqual(ids(page.items), [30, 5, 17]);
  assert.equal(page.counts!.total, 5, 'the unknown id is left out');
  assert.equal(page.items[0].score, kl.get(30));
  const rest = await s.call('faces.listForReview', { sort: 'id', ids: list, offset: 3, limit: 3 });
  assert.deepEqual(ids(rest.items), [2, 64]);
  const at = await s.call('faces.listForReview', { sort: 'id', ids: list, startAt: 2 as SampleId, limit: 1 });
  assert.deepEqual([at.offset, ids(at.items)], [3, [2]]);
  await s.call('faces.saveQueueState', { reviewer: 'lisa', query: { modelId: null, sort: 'id', filter: {}, list: { title: 'cell', ids: list } }, sampleId: 17 as SampleId, index: 2 });
  assert.deepEqual((await s.call('faces.getQueueState', { reviewer: 'lisa' }))!.query.list, { title: 'cell', ids: list });
});

test('decisions and the position are in the file when the call returns: a process killed right after keeps them', async () => {
  const fixture = fileURLToPath(new URL('./review-crash.fixture.ts', import.meta.url));
  const decisions = [{ sampleId: 50, label: 2 }, { sampleId: 51, label: 6 }, { sampleId: 52, label: 0 }];
  await s.closeProject();
  const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, path, JSON.stringify(decisions), join(tmp.dir, 'config-crash')], { encoding: 'utf8' });
  assert.equal(child.signal, 'SIGKILL', child.stderr);
  await s.openProject(path);
  for (const d of decisions) {
    const f = await s.call('faces.get', { id: d.sampleId as SampleId });
    assert.deepEqual([f.currentLabel, f.history.at(-1)?.reviewer], [d.label, 'crash']);
  }
  assert.equal((await s.call('faces.getQueueState', { reviewer: 'crash' }))?.sampleId, 52);
});

test('the queue state is kept per reviewer across a reopen of the project', async () => {
  const query = { modelId: model, sort: 'margin' as const, filter: { split: 'train' as const, reviewed: false } };
  await s.call('faces.saveQueueState', { reviewer: 'rita', query, sampleId: 42 as SampleId, index: 17 });
  await s.openProject(path);
  const st = await s.call('faces.getQueueState', { reviewer: 'rita' });
  assert.deepEqual([st!.query, st!.sampleId, st!.index], [query, 42, 17]);
  assert.equal(await s.call('faces.getQueueState', { reviewer: 'nobody' }), null);
});

test('a train face scored out-of-fold shows the out-of-fold output its scores came from, beside the parent\'s own', async () => {
  const db = s.project!;
  const [t] = ids((await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { split: 'train' }, limit: 1 })).items);
  const [v] = ids((await s.call('faces.listForReview', { modelId: model, sort: 'kl_annotator', filter: { split: 'valid' }, limit: 1 })).items);
  const oof = createModel(db, { kind: 'cnn', name: 'out-of-fold (5-fold) of parent', filePath: 'm1.json', inputSize: { height: 48, width: 48 }, structure: { role: 'out-of-fold', ofModel: model, folds: 5 } });
  // Values exact in float32, and unlike the parent's one-hot output for the same face.
  const oofProbs = [0.5, 0.25, 0.125, 0.125, 0, 0, 0, 0];
  writePredictions(db, oof, { sampleIds: [t], probs: Float32Array.from(oofProbs), folds: [3] });
  // An out-of-fold set counts once stamped with the labels it was computed on (its last write).
  stampLabelVersion(db, oof, labelVersion(db));
  upsertScores(db, model, [
    { sampleId: t, klAnnotator: kl.get(t)!, predictedLabel: 0, selfConfidence: 0.25, extra: { split: 'train', source: 'out-of-fold', fold: 3 } },
    { sampleId: v, klAnnotator: kl.get(v)!, predictedLabel: 1, extra: { split: 'valid', source: 'held-out split' } },
  ]);
  const d = await s.call('faces.get', { id: t, modelId: model });
  assert.deepEqual([d.outOfFold?.modelId, d.outOfFold?.fold, d.outOfFold?.probabilities], [oof, 3, oofProbs]);
  // The parent's own (in-sample) output is still there, and differs.
  assert.equal(d.model!.modelId, model);
  assert.equal(d.model!.probabilities!.filter((p) => p === 1).length, 1);
  assert.notDeepEqual(d.model!.probabilities, oofProbs);
  assert.deepEqual([d.scores!.predicted, d.scores!.selfConfidence], [0, 0.25]);
  // A valid face is scored on the parent's own held-out output: no second distribution.
  assert.equal((await s.call('faces.get', { id: v, modelId: model })).outOfFold, null);
  // Rescored in-sample (--folds 1), the same train face no longer claims the out-of-fold output.
  upsertScores(db, model, [{ sampleId: t, klAnnotator: kl.get(t)!, predictedLabel: 2, extra: { split: 'train', source: 'in-sample' } }]);
  assert.equal((await s.call('faces.get', { id: t, modelId: model })).outOfFold, null);
  assert.equal((await s.call('faces.get', { id: t })).outOfFold, null, 'without a model there is nothing to show');
});

test('the project summary, the review queue and the audit export count the review alike', async () => {
  const db = s.project!;
  const [f] = ids((await s.call('faces.listForReview', { sort: 'id', filter: { reviewed: false }, limit: 1 })).items);
  await s.call('labels.relabel', { sampleId: f, action: 'confirm', reviewer: 'zoe' });
  const queue = (await s.call('faces.listForReview', { sort: 'id', limit: 1, withCounts: true })).counts!;
  const summary = await s.call('projects.summary', {});
  const exported = await s.call('export.run', { kind: 'audit', out: 'audit-count.csv' });
  // Oracle straight from the trail: faces with a decision that is neither an undo nor undone.
  const effective = db.stmt<[], { n: number }>("SELECT count(DISTINCT sample_id) AS n FROM relabels r WHERE action <> 'undo' AND NOT EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id)").get()!.n;
  const rows = db.stmt<[], { n: number }>('SELECT count(*) AS n FROM relabels').get()!.n;
  assert.ok(effective > 3 && rows > effective, `${effective} reviewed faces, ${rows} audit rows`);
  assert.equal(queue.reviewed, effective);
  assert.equal(summary.review.reviewedFaces, effective);
  assert.equal(summary.review.auditRows, rows);
  assert.equal(exported.rows, rows);
});
