// Another tool's predictions as a model of the project, through the service (contract
// checked) on a real project file: good rows become the model's predictions, bad rows are
// reported with line, field and reason and left out, the model is evaluated and scored like a
// trained one (so the Review queue sorts by it and the Evaluation view compares it), and
// everything that needs a network refuses it by name.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CLASS_NAMES, NUM_CLASSES, type ModelId, type SampleId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempDir } from '../../../db/test-support.ts';
import { AppService } from '../app-service.ts';
import { parsePredictionHeader, PredictionFileError } from './import-predictions.ts';

const N = 48;
const tmp = tempDir('ar-import-preds-');
const path = tmp.file('p.arproj');
let s: AppService;
let ids: SampleId[];
let trained: ModelId;
const splitOf = new Map<number, string>();
const givenOf = new Map<number, number>();

/** The imported tool's guess for face i: the given label, except every fifth face (one class on). */
function guessOf(i: number): number {
  return i % 5 === 0 ? (givenOf.get(ids[i])! + 1) % NUM_CLASSES : givenOf.get(ids[i])!;
}
/** Probabilities with a top class of 0.3 + 0.01 * (i % 40): a distinct confidence per face. */
function probsOf(i: number): number[] {
  const top = 0.3 + 0.01 * (i % 40);
  const rest = (1 - top) / (NUM_CLASSES - 1);
  return Array.from({ length: NUM_CLASSES }, (_, c) => (c === guessOf(i) ? top : rest));
}
const fmt = (x: number) => x.toFixed(6);

before(async () => {
  const db = openProject(path, { create: true, name: 'imported predictions', inputSize: { height: 8, width: 8 } });
  const records = Array.from({ length: N }, (_, i) => {
    const r = makeRecord({
      index: i,
      size: 8,
      split: i % 3 === 0 ? 'valid' : i % 3 === 1 ? 'train' : 'test',
      givenLabel: i % 8,
      annotations: [{ annotator: 'ann1', label: i % 8 }, { annotator: 'ann2', label: (i + (i % 4 === 0 ? 1 : 0)) % 8 }],
    });
    // Two faces share a file name in different folders: a bare name cannot tell them apart.
    r.originalPath = i === 0 ? 'left/same.png' : i === 1 ? 'right/same.png' : `FER2013Train/fer${String(i).padStart(7, '0')}.png`;
    return r;
  });
  ids = insertSampleBatch(db, records).ids as SampleId[];
  ids.forEach((id, i) => {
    splitOf.set(id, records[i].split);
    givenOf.set(id, records[i].givenLabel as number);
  });
  // A model of the project's own, predicting class 0 everywhere, to compare against.
  trained = createModel(db, { kind: 'cnn', name: 'own', filePath: 'own.json', inputSize: { height: 8, width: 8 } });
  for (const split of ['train', 'valid', 'test'] as const) {
    const sel = ids.filter((id) => splitOf.get(id) === split);
    const probs = new Float32Array(sel.length * NUM_CLASSES);
    sel.forEach((_, k) => (probs[k * NUM_CLASSES] = 1));
    writePredictions(db, trained, { sampleIds: sel, probs });
  }
  db.close();
  s = new AppService({ transport: 'test', configDir: join(tmp.dir, 'config'), backend: async () => null, checkContract: true });
  await s.openProject(path);
  for (const split of ['valid', 'test'] as const) await s.call('evaluation.run', { modelId: trained, split });
});
after(async () => {
  assert.deepEqual(s?.contractBreaches ?? [], []);
  await s?.closeProject();
  tmp.remove();
});

/** Columns in another order than the project's, named as another tool would. */
const HEADER = ['sample_id', 'Contempt', 'Anger', 'Disgust', 'Fear', 'Surprise', 'Sadness', 'Happiness', 'Neutral', 'tool_version'];
const ORDER = [7, 6, 5, 4, 3, 2, 1, 0];
function line(face: string, p: (number | string)[]): string {
  return [face, ...ORDER.map((c) => (typeof p[c] === 'number' ? fmt(p[c] as number) : p[c])), 'v2'].join(',');
}

test('good rows become an evaluated, scored model; each bad row is named by line and field', async () => {
  const lines = [HEADER.join(',')];
  ids.forEach((id, i) => lines.push(line(String(id), probsOf(i))));
  const bad = [
    line(String(ids[2]), ['abc', ...probsOf(2).slice(1)]), // line N+2: a non-number
    line(String(ids[3]), probsOf(3).map((x) => x / 2)), // line N+3: sums to 0.5
    line('99999', probsOf(4)), // line N+4: no such face
    line(String(ids[5]), probsOf(5)), // line N+5: face given twice
  ];
  lines.push(...bad);
  const csv = tmp.file('tool.csv');
  writeFileSync(csv, lines.join('\n') + '\n');

  const before = (await s.call('models.list', {})).length;
  const r = await s.call('models.importPredictions', { path: csv, name: 'other tool', trainPredictions: 'out-of-sample' });
  assert.equal(r.rows, N);
  assert.equal(r.rejected, 4);
  assert.equal(r.faceColumn, 'sample_id');
  assert.deepEqual(r.ignoredColumns, ['tool_version']);
  const at = (n: number) => r.issues.find((x) => x.line === n);
  const neutralField = CLASS_NAMES[0];
  assert.deepEqual([at(N + 2)?.field, at(N + 3)?.field, at(N + 4)?.field, at(N + 5)?.field], [neutralField, 'sum', 'sample_id', 'sample_id']);
  assert.match(at(N + 2)!.message, /"abc" is not a probability/);
  assert.match(at(N + 3)!.message, /sum to 0\.5000/);
  assert.match(at(N + 4)!.message, /no face 99999/);
  assert.match(at(N + 5)!.message, new RegExp(`already given on line ${5 + 2}`));
  assert.ok(r.issues.every((x) => x.file === 'tool.csv'));
  assert.deepEqual(r.perSplit, { train: N / 3, valid: N / 3, test: N / 3 });

  // Listed as an imported model; accuracy is the hand-counted share of right guesses.
  const models = await s.call('models.list', {});
  assert.equal(models.length, before + 1);
  const m = models.find((x) => x.id === r.modelId)!;
  assert.equal(m.kind, 'imported');
  assert.equal(m.name, 'other tool');
  for (const split of ['valid', 'test'] as const) {
    const idx = ids.map((id, i) => [id, i] as const).filter(([id]) => splitOf.get(id) === split);
    const right = idx.filter(([id, i]) => guessOf(i) === givenOf.get(id)).length;
    const ev = r.evaluations.find((e) => e.split === split)!;
    assert.equal(ev.evaluated, idx.length);
    assert.ok(Math.abs(ev.accuracy - right / idx.length) < 1e-9, `${split}: ${ev.accuracy} vs ${right}/${idx.length}`);
  }

  // The stored predictions are the file's (renormalised), read back face by face.
  for (const i of [6, 7, 20]) {
    const f = await s.call('faces.get', { id: ids[i], modelId: r.modelId });
    assert.equal(f.model?.kind, 'imported');
    const probs = f.model?.probabilities;
    assert.ok(probs, `face ${ids[i]} has the imported model's output`);
    probs!.forEach((p: number, c: number) => assert.ok(Math.abs(p - probsOf(i)[c]) < 1e-5, `face ${ids[i]} class ${c}: ${p}`));
  }

  // The Review queue sorts valid faces by the imported model's confidence, least sure first.
  const q = await s.call('faces.listForReview', { modelId: r.modelId, sort: 'max_softmax', filter: { split: 'valid' }, limit: 100 });
  const want = ids
    .map((id, i) => ({ id: id as number, top: Math.max(...probsOf(i)) }))
    .filter((x) => splitOf.get(x.id) === 'valid')
    .sort((a, b) => a.top - b.top || a.id - b.id);
  assert.deepEqual(q.items.map((x) => x.id), want.map((x) => x.id));

  // Compared face by face with the project's model (which says neutral everywhere).
  const cmp = await s.call('evaluation.compare', { modelId: trained, otherModelId: r.modelId, split: 'valid', labels: 'published' });
  const valid = ids.map((id, i) => [id, i] as const).filter(([id]) => splitOf.get(id) === 'valid');
  const ownRight = (id: number) => givenOf.get(id) === 0;
  const otherRight = (id: number, i: number) => guessOf(i) === givenOf.get(id);
  assert.equal(cmp.n, valid.length);
  assert.equal(cmp.bothRight, valid.filter(([id, i]) => ownRight(id) && otherRight(id, i)).length);
  assert.equal(cmp.onlyOtherRight, valid.filter(([id, i]) => !ownRight(id) && otherRight(id, i)).length);
  assert.equal(cmp.onlyFirstRight, valid.filter(([id, i]) => ownRight(id) && !otherRight(id, i)).length);

  // Analysis ran: its train scores are marked out-of-sample as the user said, with no in-sample warning.
  const latest = await s.call('analysis.latest', { modelId: r.modelId });
  assert.ok(latest, 'an analysis run for the imported model');
  assert.equal(r.analysisRunId, latest!.runId);
  assert.deepEqual(r.warnings, [], 'declared out-of-sample: no in-sample warning');

  // Nothing that needs a network takes it; it is no re-learning parent.
  await assert.rejects(s.call('export.run', { kind: 'model', out: 'net', modelId: r.modelId }), /holds predictions imported from tool\.csv, not a network/);
  const parents = await s.call('relearn.parents', {});
  assert.ok(parents.some((p) => p.id === trained) && !parents.some((p) => p.id === r.modelId), 'an imported model is no parent');
});

test('paths relative to the dataset folder match by suffix; a name two faces share is refused', async () => {
  const header = ['path', ...CLASS_NAMES].join(',');
  const row = (face: string, c: number) => [face, ...Array.from({ length: NUM_CLASSES }, (_, k) => (k === c ? '1' : '0'))].join(',');
  const csv = tmp.file('paths.csv');
  writeFileSync(csv, [header, row('fer0000003.png', 1), row('FER2013Train/fer0000004.png', 2), row('same.png', 3), row('right/same.png', 4), row('er0000006.png', 5)].join('\r\n'));
  const r = await s.call('models.importPredictions', { path: csv });
  assert.equal(r.name, 'paths');
  assert.equal(r.faceColumn, 'path');
  assert.equal(r.rows, 3, 'fer0000003.png, FER2013Train/fer0000004.png and right/same.png');
  assert.equal(r.rejected, 2);
  assert.match(r.issues.find((x) => x.line === 4)!.message, /matches 2 faces/);
  assert.match(r.issues.find((x) => x.line === 6)!.message, /no face imported from a path ending in "er0000006\.png"/, 'a partial file name is no match');
  for (const [i, c] of [[3, 1], [4, 2], [1, 4]] as const) {
    const f = await s.call('faces.get', { id: ids[i], modelId: r.modelId });
    const probs = f.model?.probabilities ?? [];
    assert.equal(probs.indexOf(Math.max(...probs)), c, `face ${ids[i]}`);
  }
});

test('a file with no usable header or row is an error naming it, and no model is left behind', async () => {
  const count = async () => (await s.call('models.list', {})).length;
  const n0 = await count();
  const noClass = tmp.file('noclass.csv');
  writeFileSync(noClass, ['sample_id,neutral,happy,sad,surprise,fear,disgust,anger', `${ids[0]},1,0,0,0,0,0,0`].join('\n'));
  await assert.rejects(s.call('models.importPredictions', { path: noClass }), (e: Error) => /noclass\.csv: line 1: no column for contempt/.test(e.message));
  const allBad = tmp.file('allbad.csv');
  writeFileSync(allBad, [['sample_id', ...CLASS_NAMES].join(','), `${ids[0]},2,0,0,0,0,0,0,0`].join('\n'));
  await assert.rejects(s.call('models.importPredictions', { path: allBad }), /allbad\.csv: no row could be imported \(1 rejected; line 2, neutral: "2" is not a probability/);
  await assert.rejects(s.call('models.importPredictions', { path: tmp.file('missing.csv') }), /missing\.csv: cannot read \(ENOENT\)/);
  assert.equal(await count(), n0, 'no model from a refused file');
});

test('the header parser takes any spelling and order, and names what is missing or doubled', () => {
  const h = parsePredictionHeader('f.csv', ['Happiness', 'source_ref', 'NEUTRAL', 'sad', 'surprised', 'fearful', 'disgusted', 'angry', 'contempt', 'NF']);
  assert.deepEqual(h.face, { column: 'source_ref', index: 1 });
  assert.deepEqual(h.classes, [2, 0, 3, 4, 5, 6, 7, 8]);
  assert.deepEqual(h.ignored, ['NF']);
  assert.throws(() => parsePredictionHeader('f.csv', ['neutral', 'happy']), (e: Error) => e instanceof PredictionFileError && /line 1: no face column/.test(e.message));
  assert.throws(() => parsePredictionHeader('f.csv', ['sample_id', 'happy', 'happiness', ...CLASS_NAMES.filter((c) => c !== 'happy')]), /"happy" and "happiness" are both the class happy/);
});

test('predictions for valid faces only are scored without the in-sample warning, and say there are no confusion groups', async () => {
  const csv = tmp.file('valid-only.csv');
  const lines = [['sample_id', ...CLASS_NAMES].join(',')];
  ids.forEach((id, i) => splitOf.get(id) === 'valid' && lines.push([id, ...probsOf(i).map(fmt)].join(',')));
  writeFileSync(csv, lines.join('\n'));
  const r = await s.call('models.importPredictions', { path: csv });
  assert.deepEqual(r.perSplit, { train: 0, valid: N / 3, test: 0 });
  assert.deepEqual(r.warnings, [`model ${r.modelId} has no predictions for train faces: no confusion groups (they are made on train)`]);
  const latest = await s.call('analysis.latest', { modelId: r.modelId });
  assert.equal(latest?.runId, r.analysisRunId);
});
