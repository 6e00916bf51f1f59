// The review queue stores on a real SQLite project, checked against the same queue computed in
// plain JS from the fixture: keyset pages, inclusive starts and offset jumps give the full
// order; counts and "faces before" agree; filters read the audit trail (undo included); the
// disagreement table matches votes-then-annotators and is rebuilt after an import.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FaceListItem, ReviewFilter, ReviewSort } from '../api/contract.ts';
import { LABEL_CODE_NAMES, type ModelId, type SampleId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { createModel } from './model-store.ts';
import { recordDecision, undoDecision } from './relabel-store.ts';
import { ensureDisagreementTable, faceDisagreement } from './review-disagreement.ts';
import { decisionStatus, faceLabelRow, hasAnnotatorLabels, knownSampleIds, scoredSorts } from './review-lookups.ts';
import { countReviewedAmong, reviewListPage, reviewQueueCountBefore, reviewQueueCounts, reviewQueuePage, reviewSortValue, type ReviewQueueSpec } from './review-queue-query.ts';
import { insertSampleBatch } from './sample-store.ts';
import { upsertScores } from './score-store.ts';
import { lcg, makeRecord, tempProject, type RecordSpec } from './test-support.ts';

const N = 60;
let p: ReturnType<typeof tempProject>;
let db: ProjectDb;
let model: ModelId;
let ids: SampleId[];
const specs: RecordSpec[] = [];
const margin = new Map<number, number>();
/** Expected current label and reviewed state per id, kept in step with the decisions below. */
const current = new Map<number, number | null>();
const reviewed = new Set<number>();

function labelCounts(s: RecordSpec): number[] | null {
  const votes = s.votes ?? null;
  if (votes && votes.reduce((a, b) => a + b, 0) >= 2) return votes;
  const anns = s.annotations ?? [];
  if (anns.length < 2) return null;
  const c = new Array<number>(LABEL_CODE_NAMES.length).fill(0);
  for (const a of anns) c[a.label]++;
  return c;
}
const disagreement = (s: RecordSpec) => {
  const c = labelCounts(s);
  return c ? 1 - Math.max(...c) / c.reduce((a, b) => a + b, 0) : null;
};

before(() => {
  p = tempProject({ name: 'queue', inputSize: { height: 8, width: 8 } });
  db = p.db;
  const rand = lcg(11);
  for (let i = 0; i < N; i++) {
    const votes = i % 5 === 0 ? LABEL_CODE_NAMES.map((_, k) => (k < 3 ? Math.floor(rand() * 4) : 0)) : null;
    const annotations = i % 3 === 0 ? [{ annotator: 'a1', label: i % 8 }, { annotator: 'a2', label: (i + (i % 2)) % 8 }] : [];
    specs.push({ index: i, split: i % 4 === 0 ? 'valid' : 'train', givenLabel: i % 8, size: 8, votes, annotations });
  }
  ids = insertSampleBatch(db, specs.map(makeRecord)).ids as SampleId[];
  model = createModel(db, { kind: 'cnn', name: 'm', filePath: 'm.json', inputSize: { height: 8, width: 8 } });
  // Rounded to 0.1 so ties must be broken by id; face 5 has no score.
  upsertScores(db, model, ids.filter((_, i) => i !== 5).map((id, i) => {
    margin.set(id, Math.round(rand() * 10) / 10);
    return { sampleId: id, margin: margin.get(id)!, predictedLabel: (i + 1) % 8 };
  }));
  ids.forEach((id, i) => current.set(id, specs[i].givenLabel ?? null));
  recordDecision(db, { sampleId: ids[1], action: 'relabel', label: 5, reviewer: 'r' });
  current.set(ids[1], 5);
  reviewed.add(ids[1]);
  const undone = recordDecision(db, { sampleId: ids[2], action: 'relabel', label: 5, reviewer: 'r' });
  undoDecision(db, { decisionId: undone.id, reviewer: 'r' });
  recordDecision(db, { sampleId: ids[8], action: 'confirm', reviewer: 'r' });
  reviewed.add(ids[8]);
});
after(() => p?.remove());

/** The queue in plain JS: (value, id) in the order's direction, filtered. */
function expected(sort: ReviewSort, f: ReviewFilter): SampleId[] {
  const desc = sort === 'disagreement';
  const rows = ids.flatMap((id, i) => {
    const value = sort === 'margin' ? margin.get(id) : sort === 'disagreement' ? disagreement(specs[i]) : id;
    if (value === undefined || value === null) return [];
    if (f.split !== undefined && specs[i].split !== f.split) return [];
    if (f.currentLabel !== undefined && current.get(id) !== f.currentLabel) return [];
    if (f.reviewed !== undefined && reviewed.has(id) !== f.reviewed) return [];
    return [{ id, value }];
  });
  rows.sort((a, b) => (a.value - b.value || a.id - b.id) * (desc ? -1 : 1));
  return rows.map((r) => r.id);
}

function walk(spec: ReviewQueueSpec, limit: number): FaceListItem[] {
  const out: FaceListItem[] = [];
  let page = reviewQueuePage(db, { ...spec, limit });
  out.push(...page.items);
  while (page.next) {
    page = reviewQueuePage(db, { ...spec, limit, after: page.next });
    out.push(...page.items);
  }
  return out;
}

const cases: { sort: ReviewSort; filter: ReviewFilter; withModel: boolean }[] = [
  { sort: 'margin', filter: {}, withModel: true },
  { sort: 'margin', filter: { split: 'train', reviewed: false }, withModel: true },
  { sort: 'disagreement', filter: {}, withModel: false },
  { sort: 'id', filter: { currentLabel: 5 }, withModel: false },
];

for (const c of cases) {
  test(`${c.sort} ${JSON.stringify(c.filter)}: cursor pages, offsets, starts and counts agree with the plain-JS queue`, () => {
    const spec: ReviewQueueSpec = { modelId: c.withModel ? model : null, sort: c.sort, filter: c.filter };
    const want = expected(c.sort, c.filter);
    assert.ok(want.length >= 3, 'the fixture gives this queue a few faces');
    assert.deepEqual(walk(spec, 7).map((x) => x.id), want);
    assert.deepEqual(reviewQueueCounts(db, spec), { total: want.length, reviewed: want.filter((id) => reviewed.has(id)).length });
    const k = Math.floor(want.length / 2);
    assert.deepEqual(reviewQueuePage(db, { ...spec, limit: 3, offset: k }).items.map((x) => x.id), want.slice(k, k + 3));
    const value = reviewSortValue(db, spec, want[k])!;
    assert.equal(reviewQueueCountBefore(db, spec, { value, sampleId: want[k] }), k);
    assert.deepEqual(reviewQueuePage(db, { ...spec, limit: 2, from: { value, sampleId: want[k] } }).items.map((x) => x.id), want.slice(k, k + 2));
  });
}

test('the audit trail drives current label and reviewed state in pages; an undone relabel does not count', () => {
  const items = reviewQueuePage(db, { modelId: model, sort: 'margin', filter: {}, limit: N }).items;
  const byId = new Map(items.map((x) => [x.id, x]));
  assert.equal(byId.get(ids[1])!.currentLabel, 5);
  assert.equal(byId.get(ids[1])!.lastAction, 'relabel');
  assert.equal(byId.get(ids[2])!.currentLabel, specs[2].givenLabel);
  assert.equal(byId.get(ids[2])!.reviewed, false);
  assert.equal(byId.get(ids[8])!.lastAction, 'confirm');
  assert.equal(byId.has(ids[5]), false, 'a face without the score is in no queue sorted by it');
  assert.equal(reviewSortValue(db, { modelId: model, sort: 'margin' }, ids[5]), null);
});

test('a score order or a predicted filter without a model is refused with a plain Error', () => {
  assert.throws(() => reviewQueuePage(db, { modelId: null, sort: 'margin', filter: {}, limit: 5 }), (e: Error) => e.constructor === Error && /needs a model/.test(e.message));
  assert.throws(() => reviewQueueCounts(db, { modelId: null, sort: 'id', filter: { predicted: 2 } }), /needs a model/);
});

test('a given list keeps its order, drops unknown ids, and counts its reviewed faces', () => {
  const list = [ids[8], 999_999, ids[1], ids[0]];
  assert.deepEqual([...knownSampleIds(db, list)].sort((a, b) => a - b), [ids[0], ids[1], ids[8]].sort((a, b) => a - b));
  const page = reviewListPage(db, { modelId: model, sort: 'margin' }, list, 0, 10);
  assert.deepEqual(page.map((x) => x.id), [ids[8], ids[1], ids[0]]);
  assert.equal(page[0].score, margin.get(ids[8]));
  assert.equal(countReviewedAmong(db, list), 2);
});

test('the disagreement table is rebuilt after an import adds labelled faces', () => {
  ensureDisagreementTable(db);
  const spec: RecordSpec = { index: N, size: 8, givenLabel: 1, annotations: [{ annotator: 'a1', label: 1 }, { annotator: 'a2', label: 2 }, { annotator: 'a3', label: 2 }] };
  const [id] = insertSampleBatch(db, [makeRecord(spec)]).ids as SampleId[];
  assert.ok(Math.abs(faceDisagreement(db, id)! - 1 / 3) < 1e-12);
  assert.equal(faceDisagreement(db, ids[1]), disagreement(specs[1]));
});

test('lookups: scored orders, annotator labels, one face label row, decision status', () => {
  assert.deepEqual(scoredSorts(db, model), ['margin']);
  assert.equal(hasAnnotatorLabels(db), true);
  assert.deepEqual(faceLabelRow(db, ids[1]), { givenLabel: specs[1].givenLabel, currentLabel: 5, lastAction: 'relabel' });
  assert.equal(faceLabelRow(db, 999_999), null);
  const d = recordDecision(db, { sampleId: ids[3], action: 'confirm', reviewer: 'r' });
  assert.deepEqual(decisionStatus(db, d.id), { sampleId: ids[3], action: 'confirm', undone: false });
  undoDecision(db, { decisionId: d.id, reviewer: 'r' });
  assert.equal(decisionStatus(db, d.id)!.undone, true);
  assert.equal(decisionStatus(db, 999_999), null);
});
