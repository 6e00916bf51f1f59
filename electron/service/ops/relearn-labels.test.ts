// Out-of-fold predictions and scores carry the label version they were computed on, on a real
// demo project with a tiny DBN parent: a crash between the out-of-fold row and its predictions
// does not block re-learning, and a review decision made since makes `relearn` recompute them
// (or refuse, when asked to).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { createModel, getModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { labelVersion, recordDecision } from '../../../db/relabel-store.ts';
import { scoreVersion } from '../../../db/score-versions.ts';
import { loadTrainingMatrix } from '../../../db/training-matrix.ts';
import { analyzeModel, trainPredictions } from './analysis.ts';
import { findOutOfFoldModel } from './analysis-folds.ts';
import { relearnChildren } from './relearn.ts';
import { tempDemoProject, trainParent } from './demo-parent.fixture.ts';

const PARENT = { hiddenUnits: [24], pretrainEpochs: 1, epochs: 3, maxSamples: 400, seed: 2 };
const CHEAP = { folds: 2, nMin: 1, child: { epochs: 1, generationEpochs: 0 } };
let removeDir = () => {};
let project: string;
let parentId: ModelId;

before(async () => {
  ({ project, cleanup: removeDir } = await tempDemoProject('ar-labels-'));
  parentId = await trainParent(project, 'dbn', PARENT);
});
after(() => removeDir());

test('a crash between the out-of-fold row and its predictions leaves a row that is never used', async () => {
  const db = openProject(project);
  try {
    const parent = getModel(db, parentId)!;
    // What a crash leaves: the row and a few of its predictions, no stamp.
    const half = createModel(db, { kind: parent.kind, name: 'cut short', filePath: parent.filePath, inputSize: parent.inputSize, structure: { role: 'out-of-fold', ofModel: parentId, folds: 2 } });
    const train = loadTrainingMatrix(db, { split: 'train' });
    writePredictions(db, half, { sampleIds: train.ids.subarray(0, 5), probs: new Float32Array(5 * NUM_CLASSES).fill(1 / NUM_CLASSES) });
    assert.equal(findOutOfFoldModel(db, parentId), null);
    assert.equal(trainPredictions(db, parentId).outOfSample, false, 'the parent counts as not analysed, so relearn analyses it');

    const a = await analyzeModel(db, parentId, { folds: 2 });
    const oof = getModel(db, a.oofModelId!)!;
    assert.equal(oof.labelVersion, labelVersion(db));
    assert.equal(findOutOfFoldModel(db, parentId)?.id, oof.id);
    assert.deepEqual({ v: scoreVersion(db, parentId)?.labelVersion, oof: scoreVersion(db, parentId)?.oofModelId }, { v: labelVersion(db), oof: oof.id });
    assert.equal(a.labelVersion, labelVersion(db));
  } finally {
    db.close();
  }
});

test('relearn refuses, or recomputes the out-of-fold predictions, when a decision was made since', async () => {
  const db = openProject(project);
  let before: ModelId;
  try {
    before = findOutOfFoldModel(db, parentId)!.id;
    const face = loadTrainingMatrix(db, { split: 'train' });
    recordDecision(db, { sampleId: face.ids[0], action: 'relabel', label: (face.y[0] + 1) % NUM_CLASSES, reviewer: 'ana' });
  } finally {
    db.close();
  }
  await assert.rejects(relearnChildren(project, parentId, { ...CHEAP, staleLabels: 'refuse' }), /labels changed since the out-of-fold predictions of model \d+ were computed \(label version 0, now \d+\)/);
  const r = await relearnChildren(project, parentId, CHEAP);
  assert.notEqual(r.oofModelId, before!);
  assert.ok(r.notes.some((n) => /labels changed since .*: recomputed them/.test(n)), r.notes.join('; '));
  const db2 = openProject(project);
  try {
    assert.equal(getModel(db2, r.oofModelId!)!.labelVersion, labelVersion(db2));
    assert.equal(scoreVersion(db2, parentId)!.labelVersion, labelVersion(db2));
  } finally {
    db2.close();
  }
});
