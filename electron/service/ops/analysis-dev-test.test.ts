// The ambiguity analysis on the demo project with a dev-test carve: the carved faces are held
// out for measurement, so poisoning their labels and annotations moves nothing the analysis
// reports for train (annotator statistics, confusion groups, train scores with their
// confident-learning thresholds and CROWDLAB reliabilities, the ranking report) nor the
// simulated reviewer's order; they are scored and ranked apart as 'dev-test', where the poison
// does show. The model is a fixed set of predictions on every face, as a trained model has
// (every model predicts the dev-test faces), written once so only the labels change.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { Rng } from '../../../core/util/rng.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { devTestIds } from '../../../db/dev-test-store.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { listScores } from '../../../db/score-store.ts';
import { analyzeModel, type AnalyzeResult } from './analysis.ts';
import { carveDevTest } from './dev-test.ts';
import { createDemoProject } from './project.ts';
import { reviewOrder } from './simulate-review.ts';

let dir: string;
let db: ProjectDb;
let model: ModelId;
let dev: Set<number>;
let trainFaces: number;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-analysis-devtest-'));
  const project = join(dir, 'demo.arproj');
  await createDemoProject(project);
  db = openProject(project);
  carveDevTest(db, { fraction: 0.2, seed: 1 });
  dev = new Set(devTestIds(db));
  trainFaces = db.stmt<[], number>("SELECT count(*) FROM samples WHERE split = 'train'", 'pluck').get()!;
  // A model right on about 60% of the faces, unsure elsewhere.
  model = createModel(db, { kind: 'cnn', name: 'fixed predictions', filePath: 'fixed.json', inputSize: { height: 48, width: 48 } });
  const rows = db.stmt<[], { id: number; y: number | null }>('SELECT id, given_label AS y FROM samples ORDER BY id').all();
  const rng = new Rng(7);
  const probs = new Float32Array(rows.length * NUM_CLASSES);
  rows.forEach(({ y }, i) => {
    const top = y !== null && y < NUM_CLASSES && rng.next() < 0.6 ? y : rng.int(NUM_CLASSES);
    const raw = Array.from({ length: NUM_CLASSES }, (_, c) => (c === top ? 2 : 0) + rng.next());
    const sum = raw.reduce((a, b) => a + b, 0);
    probs.set(raw.map((x) => x / sum), i * NUM_CLASSES);
  });
  writePredictions(db, model, { sampleIds: Int32Array.from(rows, (r) => r.id), probs });
});
after(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What the analysis reports about the train, valid and test faces: all of it but the dev-test. */
function nonDevTest(r: AnalyzeResult) {
  return {
    annotators: r.annotators,
    confusionGroups: r.confusionGroups,
    scores: r.scores.filter((s) => s.split !== 'dev-test'),
    ranking: r.ranking.filter((s) => s.split !== 'dev-test'),
    trainScores: listScores(db, model, 'train').filter((s) => !dev.has(s.sampleId)),
    randomOrder: reviewOrder(db, model, 'random', 3),
    crowdlabOrder: reviewOrder(db, model, 'crowdlab', 3),
  };
}

test('the analysis counts no dev-test face in train, scores and ranks the dev-test apart, and the poisoned dev-test moves only its own figures', async () => {
  const first = await analyzeModel(db, model, { folds: 1 });
  const n = trainFaces - dev.size;
  assert.ok(dev.size > 100, `a carve to test with: ${dev.size} faces`);
  assert.equal(first.confusionGroups.trainFaces, n, 'confusion groups count train faces without the dev-test');
  assert.equal(first.scores.find((s) => s.split === 'train')!.faces, n);
  const devScores = first.scores.find((s) => s.split === 'dev-test')!;
  assert.deepEqual([devScores.faces, devScores.scored, devScores.sources], [dev.size, dev.size, { 'held-out split': dev.size }]);
  for (const s of listScores(db, model, 'train')) {
    assert.equal(s.extra?.split, dev.has(s.sampleId) ? 'dev-test' : 'train', `face ${s.sampleId}`);
  }
  const total = db.stmt<[], number>('SELECT count(*) FROM samples', 'pluck').get()!;
  assert.equal(first.annotators.faces, total - dev.size, 'annotator statistics leave the dev-test out');
  assert.equal(first.ranking.find((r) => r.split === 'train')!.faces, n);
  assert.equal(first.ranking.find((r) => r.split === 'dev-test')!.faces, dev.size, 'the ranking report has the dev-test as its own split');
  const before = nonDevTest(first);
  assert.equal(before.randomOrder.length, n);
  assert.ok(before.randomOrder.every((id) => !dev.has(id)) && before.crowdlabOrder.every((id) => !dev.has(id)), 'the simulated reviewer never picks a dev-test face');

  // Poison: every dev-test face's label and annotations moved to another class.
  db.write(() => {
    db.stmt('UPDATE samples SET given_label = (given_label + 3) % 8 WHERE given_label BETWEEN 0 AND 7 AND id IN (SELECT sample_id FROM dev_test_samples)').run();
    db.stmt('UPDATE annotations SET label = (label + 3) % 8 WHERE label BETWEEN 0 AND 7 AND sample_id IN (SELECT sample_id FROM dev_test_samples)').run();
  });
  const second = await analyzeModel(db, model, { folds: 1 });
  assert.deepEqual(nonDevTest(second), before);
  // Control: the poison reaches the dev-test's own figures.
  assert.notDeepEqual(second.scores.find((s) => s.split === 'dev-test'), devScores);
});
