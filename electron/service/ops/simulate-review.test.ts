// The simulated reviewer on a real few-annotator FER+ project with a real (tiny) DBN parent:
// it reviews exactly the faces of the order, decides by the reference votes, trains fresh
// parents in a scratch copy, and never touches the user's labels.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { makeTempDir } from '../../../core/datasets/test-fixtures.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import { openProject } from '../../../db/connection.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { labelVersion, recordDecision } from '../../../db/relabel-store.ts';
import { createRun } from '../../../db/run-store.ts';
import { listScores } from '../../../db/score-store.ts';
import { analyzeModel } from './analysis.ts';
import { importDataset } from './import.ts';
import { AppService } from '../app-service.ts';
import { listCleaningCurves } from './cleaning-curves.ts';
import { tinyFewVotesProject, writeTinyFerplus } from './few-votes.fixture.ts';
import { writeReport } from './report.ts';
import { simulateReview } from './simulate-review.ts';
import { carveDevTest } from './dev-test.ts';
import { devTestIds } from '../../../db/dev-test-store.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

let cleanup = () => {};
let project = '';
let parentId: ModelId;
let folder = '';
/** Full votes by label code per sourceRef, as the test wrote them. */
const fullVotes = new Map<string, number[]>();

/** The test's own reference majority: the unique top class of the 10 votes, else null. */
function majority(v: number[]): number | null {
  const cls = v.slice(0, NUM_CLASSES);
  const top = Math.max(...cls);
  return cls.filter((n) => n === top).length === 1 ? cls.indexOf(top) : null;
}

before(async () => {
  let dir: string;
  ({ dir, cleanup } = makeTempDir('simulate'));
  let votes: Map<string, number[]>;
  ({ folder, fullVotes: votes } = await writeTinyFerplus(dir));
  for (const [k, v] of votes) fullVotes.set(k, v);
  project = join(dir, 'k1.arproj');
  parentId = await tinyFewVotesProject(folder, project);
});
after(() => cleanup());

test('reviewing by self-confidence: the top faces are relabelled to the reference, in a scratch copy only', async () => {
  const db = openProject(project);
  const before = { version: labelVersion(db), relabels: db.stmt<[], number>('SELECT count(*) FROM relabels', 'pluck').get() };
  // The test's own expectation: train faces by p(given label) ascending (ties by id), decided by the CSV's votes.
  const refOf = new Map(db.stmt<[], { id: number; ref: string }>('SELECT id, source_ref AS ref FROM samples').all().map((r) => [r.id, r.ref]));
  const ev = loadSplitEvidence(db, 'train');
  const given = new Map(Array.from(ev.ids, (id, i) => [id, ev.labels[i]]));
  const scored = listScores(db, parentId, 'train').map((s) => ({ id: s.sampleId as number, v: s.selfConfidence ?? Number.POSITIVE_INFINITY }));
  scored.sort((a, b) => a.v - b.v || a.id - b.id);
  const expect = (n: number) => {
    const t = { relabelled: 0, markedAmbiguous: 0, confirmed: 0 };
    for (const { id } of scored.slice(0, n)) {
      const m = majority(fullVotes.get(refOf.get(id)!)!);
      if (m === null) t.markedAmbiguous++;
      else if (m !== given.get(id)) t.relabelled++;
      else t.confirmed++;
    }
    return t;
  };
  // Budget 0: the parent itself, measured against the reference majority of valid.
  const p = readPredictions(db, parentId, 'valid');
  let right = 0;
  let n = 0;
  p.ids.forEach((id, i) => {
    const m = majority(fullVotes.get(refOf.get(id)!)!);
    if (m === null) return;
    const row = Array.from(p.probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
    n++;
    if (row.indexOf(Math.max(...row)) === m) right++;
  });
  db.close();

  const r = await simulateReview(project, parentId, { order: 'self_confidence', budgets: [25, 10] });
  assert.deepEqual(r.points.map((x) => x.reviewed), [0, 10, 25]);
  assert.equal(r.truth.valid, 'reference majority');
  assert.equal(r.truth.test, null, 'no test split here');
  assert.equal(r.validFaces, n);
  assert.equal(r.devTestFaces, 0, 'no dev-test carve here');
  assert.ok(r.points.every((x) => x.devTestAccuracy === null));
  assert.ok(Math.abs(r.points[0].validAccuracy - right / n) < 1e-12);
  for (const pt of r.points.slice(1)) {
    assert.deepEqual({ relabelled: pt.relabelled, markedAmbiguous: pt.markedAmbiguous, confirmed: pt.confirmed }, expect(pt.reviewed));
    assert.ok(pt.scratchModelId !== null && pt.validAccuracy >= 0 && pt.validAccuracy <= 1);
  }
  assert.ok(r.points[2].relabelled > 0, 'single votes disagree with the 10-vote majority on some faces');

  const after = openProject(project);
  try {
    assert.equal(labelVersion(after), before.version, "the user's labels did not change");
    assert.equal(after.stmt<[], number>('SELECT count(*) FROM relabels', 'pluck').get(), before.relabels);
    assert.equal(after.stmt<[], number>('SELECT count(*) FROM models', 'pluck').get(), 1, 'the fresh parents lived in the scratch copy');
  } finally {
    after.close();
  }
});

test('random order is seeded; a budget beyond the train split stops at its size; bad input is refused', async () => {
  const r = await simulateReview(project, parentId, { order: 'random', budgets: [500], seed: 3 });
  assert.deepEqual(r.points.map((x) => x.reviewed), [0, 60]);
  const all = r.points[1];
  assert.equal(all.relabelled + all.markedAmbiguous + all.confirmed, 60);
  await assert.rejects(simulateReview(project, parentId, { order: 'kl_parent_child', budgets: [5] }), /no kl_parent_child scores on train/);
  await assert.rejects(simulateReview(project, parentId, { order: 'random', budgets: [0] }), /positive integers/);
  await assert.rejects(simulateReview(project, 999 as ModelId, { order: 'random', budgets: [5] }), /no model 999/);
});

test('the report draws one line per order simulated for the parent, one point per budget', async () => {
  const db = openProject(project);
  const curves = listCleaningCurves(db.modelsDir, parentId);
  db.close();
  assert.deepEqual(curves.map((c) => [c.order, c.points.length]), [['random', 2], ['self_confidence', 3]]);
  const out = join(dirname(project), 'report.html');
  await writeReport(project, { modelId: parentId }, out);
  const html = readFileSync(out, 'utf8');
  const chart = html.slice(html.indexOf('label-cleaning curve'));
  const lines = [...chart.matchAll(/<polyline [^>]*points="([^"]*)"/g)].map((m) => m[1].trim().split(' ').length);
  assert.deepEqual(lines, [2, 3], 'valid accuracy: random (2 points), self_confidence (3 points); no test split, no test chart');
  // The Re-learn view reads the same curves through the contract (its result schema checked).
  const s = new AppService({ transport: 'test', configDir: join(dirname(project), 'config'), backend: async () => null, checkContract: true });
  try {
    await s.openProject(project);
    const viaApi = await s.call('relearn.cleaningCurves', { parentModelId: parentId });
    assert.deepEqual(viaApi, curves);
    assert.deepEqual(await s.call('relearn.cleaningCurves', { parentModelId: 12345 as ModelId }), []);
    assert.deepEqual(s.contractBreaches, []);
  } finally {
    await s.dispose();
  }
});

test('with a dev-test carve, every point reports accuracy on the carved faces against their reference majority, and none is reviewed', async () => {
  const { dir, cleanup: done } = makeTempDir('simulate-dev');
  try {
    const carved = join(dir, 'k1-dev.arproj');
    const db = openProject(carved, { create: true });
    await importDataset(db, { kind: 'ferplus', path: folder, options: { votesPerFace: 1, voteSeed: 4 } });
    carveDevTest(db, { fraction: 0.25, seed: 1 });
    const dev = new Set(devTestIds(db));
    const runId = createRun(db, { kind: 'train', modelKind: 'dbn', config: runConfig('dbn', { hiddenUnits: [16], pretrainEpochs: 1, epochs: 2, seed: 2 }) as unknown as Record<string, unknown> });
    db.close();
    const t = await runTrainingJob(carved, runId, {});
    assert.equal(t.status, 'done', t.error ?? '');
    await analyzeModel(carved, t.modelId!, { folds: 1 });
    // The test's own figure for the parent: its argmax on the carved faces against the CSV's 10-vote majority.
    const check = openProject(carved);
    const refOf = new Map(check.stmt<[], { id: number; ref: string }>('SELECT id, source_ref AS ref FROM samples').all().map((r) => [r.id, r.ref]));
    const p = readPredictions(check, t.modelId!);
    check.close();
    let right = 0;
    let n = 0;
    p.ids.forEach((id, i) => {
      if (!dev.has(id)) return;
      const m = majority(fullVotes.get(refOf.get(id)!)!);
      if (m === null) return;
      const row = Array.from(p.probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES));
      n++;
      if (row.indexOf(Math.max(...row)) === m) right++;
    });
    assert.ok(dev.size >= 10 && n > 0);
    const r = await simulateReview(carved, t.modelId!, { order: 'random', budgets: [100], seed: 2 });
    assert.equal(r.devTestFaces, n);
    assert.ok(Math.abs(r.points[0].devTestAccuracy! - right / n) < 1e-12);
    // The reviewer reaches every train face but the carved ones.
    assert.equal(r.points[1].reviewed, 60 - dev.size);
    assert.ok(r.points[1].devTestAccuracy !== null && r.points[1].devTestAccuracy >= 0 && r.points[1].devTestAccuracy <= 1);
  } finally {
    done();
  }
});

test('with training seeds every budget, 0 included, trains one fresh parent per seed and reports their mean; the parent\'s own seed reproduces the parent', async () => {
  const r = await simulateReview(project, parentId, { order: 'self_confidence', budgets: [20], trainSeeds: [2, 9, 2] });
  assert.deepEqual(r.trainSeeds, [2, 9]);
  assert.deepEqual(r.points.map((p) => p.runs.map((x) => x.seed)), [[2, 9], [2, 9]]);
  for (const p of r.points) {
    assert.equal(new Set(p.runs.map((x) => x.scratchModelId)).size, 2);
    assert.ok(Math.abs(p.validAccuracy - (p.runs[0].validAccuracy + p.runs[1].validAccuracy) / 2) < 1e-12);
    assert.equal(p.scratchModelId, p.runs[0].scratchModelId);
  }
  // Budget 0 with seed 2 is the parent's own training (same labels, same configuration and seed) again.
  const plain = await simulateReview(project, parentId, { order: 'self_confidence', budgets: [20] });
  assert.deepEqual(plain.points.map((p) => p.runs), [[], []]);
  assert.equal(r.points[0].runs[0].validAccuracy, plain.points[0].validAccuracy);
  // And at budget 20 the same seed gives the plain run's figure: the seed, not the order of runs, decides.
  assert.equal(r.points[1].runs[0].validAccuracy, plain.points[1].validAccuracy);
  // Control: seed 9 is another training (on this fixture its parents differ from seed 2's at both budgets).
  assert.ok(r.points.every((p) => p.runs[1].validAccuracy !== p.runs[0].validAccuracy));
  await assert.rejects(simulateReview(project, parentId, { order: 'random', budgets: [5], trainSeeds: [1.5] }), /training seeds must be integers/);
});

test('an interrupted simulation resumes from the trainings it measured; more budgets train only the new points; changed labels, --fresh or an unreadable ledger train again', async () => {
  const base = { order: 'random' as const, seed: 5, trainSeeds: [3] };
  const reusedIn = (msgs: string[]) => msgs.filter((m) => /reusing the training measured/.test(m)).length;
  // Interrupted once the point at 15 faces is measured, as a kill or a cancel would stop it.
  const ac = new AbortController();
  const first: string[] = [];
  await assert.rejects(
    simulateReview(project, parentId, { ...base, budgets: [15, 30], signal: ac.signal, onProgress: (m) => {
      first.push(m);
      if (/30 faces reviewed/.test(m)) ac.abort();
    } }),
    /cancelled/,
  );
  const db = openProject(project);
  const ledgerFile = join(db.modelsDir, 'cleaning-curves', 'measured', `parent-${parentId}-random.json`);
  db.close();
  const ledger = JSON.parse(readFileSync(ledgerFile, 'utf8')) as { entries: { reviewed: number; trainSeed: number | null }[] };
  // (the earlier random-order test's training, another order of faces, is in the same ledger)
  assert.deepEqual(ledger.entries.filter((e) => e.trainSeed === 3).map((e) => e.reviewed), [0, 15], 'each training recorded as it finished');

  // Run again: the two measured trainings are reused, the third is trained.
  const again: string[] = [];
  const resumed = await simulateReview(project, parentId, { ...base, budgets: [15, 30], onProgress: (m) => again.push(m) });
  assert.equal(reusedIn(again), 2, again.join('\n'));
  // The one training left reports its epochs as they end; the reused ones train none.
  assert.ok(again.some((m) => /^random: 30 faces reviewed, seed 3: epoch \d+ \[\w+\]/.test(m)), again.join('\n'));
  assert.ok(!again.some((m) => /^random: (0|15) faces reviewed, seed 3: epoch/.test(m)), 'no epochs for the reused points');
  assert.ok(again.some((m) => /2 of the trainings were measured by an earlier simulation and reused/.test(m)));
  // Oracle: the same simulation trained from scratch (--fresh) gives the same figures at every point.
  const freshMsgs: string[] = [];
  const fresh = await simulateReview(project, parentId, { ...base, budgets: [15, 30], fresh: true, onProgress: (m) => freshMsgs.push(m) });
  assert.equal(reusedIn(freshMsgs), 0);
  const figures = (r: typeof fresh) => r.points.map((p) => [p.reviewed, p.relabelled, p.markedAmbiguous, p.confirmed, p.validAccuracy, p.runs.map((x) => [x.seed, x.validAccuracy])]);
  assert.deepEqual(figures(resumed), figures(fresh));

  // A larger budget trains only the new point.
  const more: string[] = [];
  const longer = await simulateReview(project, parentId, { ...base, budgets: [15, 30, 45], onProgress: (m) => more.push(m) });
  assert.equal(reusedIn(more), 3, more.join('\n'));
  assert.deepEqual(figures(longer).slice(0, 3), figures(fresh));

  // A later run with fewer budgets keeps the longer run's points on the saved curve (and prints them).
  const curveFile = join(dirname(ledgerFile), '..', `parent-${parentId}-random.json`);
  const shorterMsgs: string[] = [];
  const shorter = await simulateReview(project, parentId, { ...base, budgets: [30], onProgress: (m) => shorterMsgs.push(m) });
  assert.deepEqual(figures(shorter), figures(longer));
  assert.deepEqual(JSON.parse(readFileSync(curveFile, 'utf8')).points.map((p: { reviewed: number }) => p.reviewed), [0, 15, 30, 45]);
  assert.ok(shorterMsgs.some((m) => /keeps 2 points an earlier simulation measured .*\(0, 15, 30, 45 faces reviewed\)/.test(m)), shorterMsgs.join('\n'));
  // Another random order (seed) is another curve: it replaces the saved one.
  const other = await simulateReview(project, parentId, { ...base, seed: 6, budgets: [15] });
  assert.deepEqual(other.points.map((p) => p.reviewed), [0, 15]);
  // Back to the four-point curve, so that below only its being unreadable keeps it from merging.
  await simulateReview(project, parentId, { ...base, budgets: [15, 30, 45] });

  // An unreadable ledger is moved aside, not deleted, and every point is measured again; so is an unreadable curve.
  writeFileSync(ledgerFile, '{"version": 1, "entries": [tru');
  writeFileSync(curveFile, '{"parentModelId": 1, "poi');
  const unreadable: string[] = [];
  const remeasured = await simulateReview(project, parentId, { ...base, budgets: [15], onProgress: (m) => unreadable.push(m) });
  assert.deepEqual(remeasured.points.map((p) => p.reviewed), [0, 15], 'nothing merged from a curve that cannot be read');
  const curveAside = readdirSync(dirname(curveFile)).filter((f) => f.startsWith(`parent-${parentId}-random.json.unreadable-`));
  assert.equal(curveAside.length, 1);
  assert.equal(readFileSync(join(dirname(curveFile), curveAside[0]), 'utf8'), '{"parentModelId": 1, "poi');
  assert.equal(reusedIn(unreadable), 0);
  const aside = unreadable.find((m) => /could not be read/.test(m));
  assert.ok(aside, unreadable.join('\n'));
  const moved = readdirSync(dirname(ledgerFile)).filter((f) => f.startsWith(`parent-${parentId}-random.json.unreadable-`));
  assert.equal(moved.length, 1);
  assert.equal(readFileSync(join(dirname(ledgerFile), moved[0]), 'utf8'), '{"version": 1, "entries": [tru');

  // A curve of 0, 15 and 30 faces under the labels as they are; after the decision below it must not merge.
  await simulateReview(project, parentId, { ...base, budgets: [30] });
  // A review decision in the project since the measurements: the labels differ, nothing is reused.
  const w = openProject(project);
  const face = loadSplitEvidence(w, 'train').ids[0];
  recordDecision(w, { sampleId: face, action: 'ambiguous', reviewer: 'tester' });
  w.close();
  const relabelled: string[] = [];
  const afterDecision = await simulateReview(project, parentId, { ...base, budgets: [15], onProgress: (m) => relabelled.push(m) });
  assert.equal(reusedIn(relabelled), 0, relabelled.join('\n'));
  assert.deepEqual(afterDecision.points.map((p) => p.reviewed), [0, 15], 'other labels: a new curve, not the old points');
});

test('--threads: the fresh parents train on the threads asked for, and a training measured on other threads is still reused', async () => {
  const base = { order: 'random' as const, seed: 11, budgets: [10] };
  const two: string[] = [];
  await simulateReview(project, parentId, { ...base, threads: 2, onProgress: (m) => two.push(m) });
  assert.ok(two.some((m) => /^random: 10 faces reviewed: training on \S+ \(2 threads\)$/.test(m)), two.join('\n'));
  const one: string[] = [];
  await simulateReview(project, parentId, { ...base, threads: 1, onProgress: (m) => one.push(m) });
  assert.ok(one.some((m) => /reusing the training measured/.test(m)), one.join('\n'));
  const fresh: string[] = [];
  await simulateReview(project, parentId, { ...base, threads: 1, fresh: true, onProgress: (m) => fresh.push(m) });
  assert.ok(fresh.some((m) => /^random: 10 faces reviewed: training on \S+ \(1 thread\)$/.test(m)), fresh.join('\n'));
});
