// The dev-test carve on the demo project: a seeded, stratified draw recorded once, left out of
// every train load, predicted by every model, and never read by any fit: poisoning the dev-test
// labels changes nothing a trainer or a combination rule fits (a control that poisons ordinary
// train faces shows the same training does react to labels), while the dev-test figures move.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ModelId } from '../../../api/domain.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { devTestIds } from '../../../db/dev-test-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { createRun } from '../../../db/run-store.ts';
import { loadTrainPool } from './analysis-data.ts';
import { carveDevTest, evaluateDevTest } from './dev-test.ts';
import { createDemoProject } from './project.ts';
import { routeAndEvaluate, type RoutedChild } from './relearn-routing.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

const TINY = { pretrainEpochs: 1, epochs: 3, hiddenUnits: [16], maxLayers: 1, learningRate: 0.003 };
let dir: string;
let project: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-devtest-'));
  project = join(dir, 'demo.arproj');
  await createDemoProject(project);
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function train(seed: number): Promise<ModelId> {
  const db = openProject(project);
  const runId = createRun(db, { kind: 'train', modelKind: 'adbn', config: runConfig('adbn', { ...TINY, seed }) as unknown as Record<string, unknown> });
  db.close();
  const r = await runTrainingJob(project, runId, {});
  assert.equal(r.status, 'done', r.error ?? '');
  return r.modelId!;
}

function withDb<T>(fn: (db: ProjectDb) => T): T {
  const db = openProject(project);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** Every pair of classes as a "child" answered by model `k`, so every face has a candidate. */
function allPairs(k: ModelId): RoutedChild[] {
  const out: RoutedChild[] = [];
  for (let a = 0; a < 8; a++) for (let b = 0; b < 8; b++) if (a !== b) out.push({ childModelId: k, groupId: a * 8 + b, name: `${a}>${b}`, given: a, predicted: b });
  return out;
}

test('carve: round(fraction * n) faces of every label, once, and never in a train load', () => {
  withDb((db) => {
    const r = carveDevTest(db, { fraction: 0.2, seed: 5 });
    const rows = db.stmt<[], [number, number | null]>("SELECT sample_id, current_label FROM sample_labels WHERE split = 'train'", 'raw').all();
    const dev = new Set(devTestIds(db));
    assert.equal(dev.size, r.faces);
    assert.equal(r.trainFaces, rows.length);
    const byLabel = new Map<number, { n: number; dev: number }>();
    for (const [id, l] of rows) {
      const e = byLabel.get(l ?? -1) ?? { n: 0, dev: 0 };
      e.n++;
      if (dev.has(id)) e.dev++;
      byLabel.set(l ?? -1, e);
    }
    for (const [l, e] of byLabel) assert.equal(e.dev, Math.round(0.2 * e.n), `label ${l}: ${e.dev} of ${e.n}`);
    assert.throws(() => carveDevTest(db, { fraction: 0.1, seed: 6 }), /already has a dev-test carve/);
    const pool = loadTrainPool(db, { useSoftTargets: true });
    assert.ok(pool.train.ids.length > 0);
    assert.ok(Array.from(pool.train.ids).every((id) => !dev.has(id)), 'no dev-test face in the training pool');
    assert.ok(pool.train.ids.length + dev.size >= rows.length - 50, 'the rest of train is still loaded');
  });
});

test('poisoning the dev-test labels changes no fit; poisoning other train faces does', async () => {
  const a = await train(3);
  await assert.rejects(async () => withDb((db) => carveDevTest(db, { fraction: 0.1, seed: 1 })), /already has/);
  const k = await train(4);
  const before = withDb((db) => ({ pool: loadTrainPool(db, { useSoftTargets: true }), routing: routeAndEvaluate(db, a, allPairs(k), { store: false, seed: 2 }), dev: devTestIds(db) }));
  withDb((db) => {
    const preds = readPredictions(db, a, 'train');
    const has = new Set(preds.ids);
    assert.ok(Array.from(before.dev).every((id) => has.has(id)), 'every model predicts the dev-test faces');
  });
  assert.ok(before.routing.rules.every((r) => r.splits['dev-test'] && r.splits['dev-test'].faces > 0), 'every rule is measured on the dev-test');
  // `evaluate --split dev-test` (evaluation.ts figures) agrees with the routing's parent figures (core/metrics).
  const ev = withDb((db) => evaluateDevTest(db, a));
  assert.equal(ev.current.n_evaluated, before.routing.rules[0].splits['dev-test']!.faces);
  assert.ok(Math.abs(ev.current.accuracy - before.routing.rules[0].splits['dev-test']!.parentAccuracy) < 1e-12);
  assert.equal(ev.current.n_evaluated + ev.current.n_excluded, before.dev.length);

  // Poison: every dev-test face's label, votes and annotations moved to another class.
  withDb((db) =>
    db.write(() => {
      db.stmt('UPDATE samples SET given_label = (given_label + 3) % 8 WHERE given_label BETWEEN 0 AND 7 AND id IN (SELECT sample_id FROM dev_test_samples)').run();
      db.stmt('UPDATE annotations SET label = (label + 3) % 8 WHERE label BETWEEN 0 AND 7 AND sample_id IN (SELECT sample_id FROM dev_test_samples)').run();
      db.stmt('UPDATE sample_votes SET n_contempt = n_contempt + 20 WHERE sample_id IN (SELECT sample_id FROM dev_test_samples)').run();
    }),
  );
  const afterPoison = withDb((db) => ({ pool: loadTrainPool(db, { useSoftTargets: true }), routing: routeAndEvaluate(db, a, allPairs(k), { store: false, seed: 2 }) }));
  assert.deepEqual(afterPoison.pool.train.ids, before.pool.train.ids);
  assert.deepEqual(afterPoison.pool.train.y, before.pool.train.y);
  assert.deepEqual(afterPoison.pool.soft, before.pool.soft);
  assert.deepEqual(afterPoison.pool.valid.y, before.pool.valid.y);
  for (const [i, r] of afterPoison.routing.rules.entries()) {
    assert.deepEqual(r.params, before.routing.rules[i].params, `${r.rule}: what is fitted on valid does not move`);
    assert.deepEqual(r.splits.valid, before.routing.rules[i].splits.valid);
  }
  const devBefore = before.routing.rules[0].splits['dev-test']!;
  const devAfter = afterPoison.routing.rules[0].splits['dev-test']!;
  assert.ok(devAfter.parentAccuracy < devBefore.parentAccuracy - 0.02, `the dev-test figures do read the labels: ${devBefore.parentAccuracy} -> ${devAfter.parentAccuracy}`);

  const b = await train(3);
  withDb((db) => assert.deepEqual(readPredictions(db, b, 'valid').probs, readPredictions(db, a, 'valid').probs, 'the same training with poisoned dev-test labels gives the same model'));

  // Control: the same poison on 300 ordinary train faces does change the model.
  withDb((db) =>
    db.write(() => {
      db.stmt("UPDATE samples SET given_label = (given_label + 3) % 8 WHERE id IN (SELECT id FROM samples WHERE split = 'train' AND given_label BETWEEN 0 AND 7 AND id NOT IN (SELECT sample_id FROM dev_test_samples) ORDER BY id LIMIT 300)").run();
      db.stmt("UPDATE annotations SET label = (label + 3) % 8 WHERE label BETWEEN 0 AND 7 AND sample_id IN (SELECT id FROM samples WHERE split = 'train' AND id NOT IN (SELECT sample_id FROM dev_test_samples) ORDER BY id LIMIT 300)").run();
    }),
  );
  const c = await train(3);
  withDb((db) => assert.notDeepEqual(readPredictions(db, c, 'valid').probs, readPredictions(db, a, 'valid').probs));
});
