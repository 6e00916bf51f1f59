// The faces a re-learning run changed are recomputed with the run's own combination rule and
// what was fitted for it: a run made with kl-mix lists the faces kl-mix changed, not those of
// the published KL routing. Hand-made predictions on a real project file, through the service
// (contract checked). By hand (core/relearn/combine.test.ts): parent neutral 0.5 / happy 0.3,
// child (happy>neutral) neutral 0.2 / happy 0.6, KL = 0.2502 nats; with kappa 0.49 the mix
// answers happy, and the run's tau of 100 nats would route nothing.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NUM_CLASSES, type SampleId } from '../../../api/domain.ts';
import { writeRunResult } from '../../../db/analysis-inputs.ts';
import { createChildGroup, updateChildGroup } from '../../../db/child-group-store.ts';
import { openProject } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { createRun, finishRun, startRun } from '../../../db/run-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempDir } from '../../../db/test-support.ts';
import { AppService } from '../app-service.ts';

const tmp = tempDir('ar-changed-faces-');
const path = tmp.file('p.arproj');
let s: AppService;
let runId: number;
let face: SampleId[];

const rest = (mass: number) => Array.from({ length: NUM_CLASSES - 2 }, () => mass / (NUM_CLASSES - 2));
const P = [0.5, 0.3, ...rest(0.2)];
const Q = [0.2, 0.6, ...rest(0.2)];
const OTHER = [0.05, 0.05, 0.5, 0.3, 0.02, 0.02, 0.03, 0.03]; // top two sad / surprise: no child's pair

before(async () => {
  const db = openProject(path, { create: true, name: 'changed faces', inputSize: { height: 8, width: 8 } });
  // A: happy (the mix fixes it); B: neutral (the mix breaks it); C: happy, child agrees with the parent; D: happy, not the pair.
  face = insertSampleBatch(db, [1, 0, 1, 1].map((label, i) => makeRecord({ index: i, size: 8, split: 'valid', givenLabel: label }))).ids as SampleId[];
  const size = { height: 8, width: 8 };
  const parent = createModel(db, { kind: 'cnn', name: 'parent', filePath: 'parent.none', inputSize: size });
  runId = createRun(db, { kind: 'relearn', modelKind: 'cnn', config: { parentModelId: parent } });
  startRun(db, runId, 'test');
  const group = createChildGroup(db, { relearnRunId: runId, parentModelId: parent, givenLabel: 1, predictedLabel: 0, nCases: 40 });
  const child = createModel(db, { runId, kind: 'cnn', name: 'child', filePath: 'child.none', inputSize: size, parentModelId: parent, childGroupId: group });
  updateChildGroup(db, group, { childModelId: child, status: 'trained' });
  writePredictions(db, parent, { sampleIds: face, probs: Float32Array.from([...P, ...P, ...P, ...OTHER]) });
  writePredictions(db, child, { sampleIds: face, probs: Float32Array.from([...Q, ...Q, ...P, ...Q]) });
  writeRunResult(db, runId, {
    runId,
    parentModelId: parent,
    oofModelId: null,
    tau: 100,
    groups: [{ groupId: group, name: 'happy>neutral', given: 1, predicted: 0, nCases: 40, nReplay: 40, childModelId: child, epochs: 3, topUnits: null }],
    emptyPairs: [],
    routing: {
      rule: 'kl-mix',
      tau: 100,
      tauChoice: { tau: 100, accuracy: 0.5, parentAccuracy: 0.5, curve: [] },
      splits: {},
      rules: [
        { rule: 'kl-argmax', params: { tau: 100 }, splits: { valid: { faces: 4, parentAccuracy: 0.25, accuracy: 0.25, routed: 0, changed: 0, wrongToRight: 0, rightToWrong: 0, parentRecall: [], recall: [] } } },
        { rule: 'kl-mix', params: { kappa: 0.49 }, splits: { valid: { faces: 4, parentAccuracy: 0.25, accuracy: 0.25, routed: 3, changed: 2, wrongToRight: 1, rightToWrong: 1, parentRecall: [], recall: [] } } },
        { rule: 'gate', params: { lambda: null, cvNetGain: 0, weights: null }, splits: {} },
      ],
    },
    childOptions: {},
    notes: [],
  });
  finishRun(db, runId, 'done');
  db.close();
  s = new AppService({ transport: 'test', configDir: join(tmp.dir, 'config'), backend: async () => null, checkContract: true });
  await s.openProject(path);
});
after(async () => {
  assert.deepEqual(s?.contractBreaches ?? [], []);
  await s?.closeProject();
  tmp.remove();
});

test("a run made with kl-mix lists the faces kl-mix changed, with the child that was heard", async () => {
  const w2r = await s.call('relearn.changedFaces', { runId, split: 'valid', change: 'wrong-to-right' });
  const r2w = await s.call('relearn.changedFaces', { runId, split: 'valid', change: 'right-to-wrong' });
  assert.deepEqual(w2r.items.map((f) => [f.sampleId, f.parentPredicted, f.routedPredicted, f.child]), [[face[0], 0, 1, 'happy>neutral']]);
  assert.deepEqual(r2w.items.map((f) => [f.sampleId, f.parentPredicted, f.routedPredicted]), [[face[1], 0, 1]]);
});

test('the report names the rule used and what every rule fitted on valid, with its figures', async () => {
  const parentModelId = (await s.call('relearn.parents', {}))[0].id;
  const r = (await s.call('relearn.latest', { parentModelId }))!;
  assert.equal(r.rule, 'kl-mix');
  assert.deepEqual(r.rules.map((x) => [x.rule, x.fitted]), [
    ['kl-argmax', 'tau 100.0000 nats'],
    ['kl-mix', 'kappa 0.49'],
    ['gate', 'off: no strength gained out of fold on valid'],
  ]);
  assert.deepEqual(r.rules[1].splits, [{ split: 'valid', faces: 4, parentAccuracy: 0.25, accuracy: 0.25, routed: 3, wrongToRight: 1, rightToWrong: 1 }]);
  assert.deepEqual(r.rules[2].splits, []);
});
