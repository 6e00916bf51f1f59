// An analysis interrupted after some folds trains only the others when run again: each fold's
// held-out predictions are checkpointed as it finishes (fold-checkpoints.ts). On the demo
// project with a small real DBN parent; the oracle is the same analysis trained from scratch.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ModelId } from '../../../api/domain.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import { openProject } from '../../../db/connection.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { recordDecision } from '../../../db/relabel-store.ts';
import { analyzeModel, type AnalyzeProgress } from './analysis.ts';
import { AnalysisCancelled } from './analysis-folds.ts';
import { estimateAnalysis } from './analysis-estimate.ts';
import { tempDemoProject, trainParent } from './demo-parent.fixture.ts';

const FOLDS = 3;
let cleanup = () => {};
let project: string;
let parentId: ModelId;
let checkpointFile: string;

before(async () => {
  ({ project, cleanup } = await tempDemoProject('ar-analysis-resume-'));
  parentId = await trainParent(project, 'dbn', { hiddenUnits: [32], pretrainEpochs: 1, epochs: 3, patience: 3, seed: 5 });
  const d = openProject(project);
  checkpointFile = join(d.modelsDir, 'analysis-folds', `model-${parentId}-${FOLDS}fold.json`);
  d.close();
});
after(() => cleanup());

/** Runs an analysis; with `stopAtFold`, aborts as soon as that fold starts training. */
async function analyse(stopAtFold?: number): Promise<{ events: AnalyzeProgress[]; oof: Float32Array | null }> {
  const events: AnalyzeProgress[] = [];
  const ac = new AbortController();
  try {
    const r = await analyzeModel(project, parentId, {
      folds: FOLDS,
      signal: ac.signal,
      onProgress: (p) => {
        events.push(p);
        if (stopAtFold !== undefined && p.stage === 'fold' && p.fold === stopAtFold && p.phase !== 'reused') ac.abort();
      },
    });
    const db = openProject(project);
    const oof = readPredictions(db, r.oofModelId!, 'train').probs;
    db.close();
    return { events, oof };
  } catch (e) {
    if (!(e instanceof AnalysisCancelled)) throw e;
    return { events, oof: null };
  }
}

const trainedFolds = (events: AnalyzeProgress[]) => [...new Set(events.flatMap((p) => (p.stage === 'fold' && p.phase !== 'reused' ? [p.fold] : [])))];
const reusedFolds = (events: AnalyzeProgress[]) => events.flatMap((p) => (p.stage === 'fold' && p.phase === 'reused' ? [p.fold] : []));

test('interrupted after two folds, the analysis trains only the third and predicts exactly as an uninterrupted one', async () => {
  const estimate = () => {
    const db = openProject(project);
    try {
      return estimateAnalysis(db, parentId, FOLDS);
    } finally {
      db.close();
    }
  };
  const before = estimate();
  assert.ok(before.seconds !== null && before.seconds > 0 && !/interrupted/.test(before.basis));
  const stopped = await analyse(2);
  assert.equal(stopped.oof, null, 'cancelled');
  assert.deepEqual(trainedFolds(stopped.events), [0, 1, 2]);
  const saved = JSON.parse(readFileSync(checkpointFile, 'utf8')) as { done: Record<string, string> };
  assert.deepEqual(Object.keys(saved.done).sort(), ['0', '1'], 'folds 0 and 1 were checkpointed as they finished');
  // The estimate of the next analysis leaves the finished folds out and says so.
  const left = estimate();
  assert.match(left.basis, /; 2 of them finished by an interrupted analysis, reused$/);
  assert.ok(Math.abs(left.seconds! - before.seconds! / 3) < 1e-9, `${left.seconds} vs ${before.seconds}`);

  const resumed = await analyse();
  assert.deepEqual(reusedFolds(resumed.events), [0, 1]);
  assert.deepEqual(trainedFolds(resumed.events), [2]);
  assert.equal(existsSync(checkpointFile), false, 'the checkpoint goes once the predictions are in the project');

  // Oracle: the same analysis from scratch (no checkpoint left) trains all three folds and predicts the same.
  const scratch = await analyse();
  assert.deepEqual(trainedFolds(scratch.events), [0, 1, 2]);
  assert.deepEqual(reusedFolds(scratch.events), []);
  assert.ok(resumed.oof && scratch.oof && resumed.oof.length > 0);
  assert.deepEqual(resumed.oof, scratch.oof);
});

test('a checkpoint of other labels, or one that cannot be read, is set aside and every fold trained', async () => {
  await analyse(1);
  assert.ok(existsSync(checkpointFile));
  // A review decision since: the labels the folds trained on are not today's.
  const db = openProject(project);
  recordDecision(db, { sampleId: loadSplitEvidence(db, 'train').ids[0], action: 'ambiguous', reviewer: 'tester' });
  db.close();
  const after = await analyse();
  assert.deepEqual(reusedFolds(after.events), []);
  assert.deepEqual(trainedFolds(after.events), [0, 1, 2]);
  const note = after.events.find((p) => p.stage === 'checkpoint');
  assert.ok(note && note.stage === 'checkpoint' && /label version \d+, the labels are now at \d+/.test(note.message), JSON.stringify(note));

  await analyse(1);
  writeFileSync(checkpointFile, '{"version":1,"done":{"0":"AAAA');
  const broken = await analyse();
  assert.deepEqual(trainedFolds(broken.events), [0, 1, 2]);
  const aside = readdirSync(dirname(checkpointFile)).filter((f) => f.includes('.set-aside-'));
  assert.equal(aside.length, 2, 'both old checkpoints kept under another name');
  assert.ok(aside.some((f) => readFileSync(join(dirname(checkpointFile), f), 'utf8') === '{"version":1,"done":{"0":"AAAA'));
});
