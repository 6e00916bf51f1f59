// The analysis and re-learning jobs report progress of the whole job in [0, total): the first
// fold (index 0) is 0 done, never -1, and the message counts folds and children from 1.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyzeProgress, relearnProgress } from './job-progress.ts';

test('fold progress: 0-based folds give done in [0, folds) and a 1-based message', () => {
  const at = (fold: number) => analyzeProgress({ stage: 'fold', fold, folds: 5, epoch: 3, phase: 'supervised', metrics: {} });
  assert.deepEqual([at(0).done, at(0).total], [0, 5]);
  assert.match(at(0).message, /^fold 1\/5 · supervised · epoch 3$/);
  assert.deepEqual([at(4).done, at(4).message.slice(0, 8)], [4, 'fold 5/5']);
  for (let f = 0; f < 5; f++) assert.ok(at(f).done >= 0 && at(f).done < 5);
  // Inside a re-learning job the analysis keeps the same counts.
  const nested = relearnProgress({ stage: 'analyze', progress: { stage: 'fold', fold: 0, folds: 3, epoch: 1, phase: 'supervised', metrics: {} } });
  assert.deepEqual([nested.stage, nested.done, nested.total], ['analyze', 0, 3]);
  assert.match(nested.message, /^analysis first: fold 1\/3/);
  const child = relearnProgress({ stage: 'child', group: 'disgust→anger', index: 0, groups: 2, epoch: 4, metrics: {} });
  assert.deepEqual([child.done, child.total, child.message], [0, 2, 'child disgust→anger (1/2) · epoch 4']);
});

test('a fold reused from an interrupted analysis says so and keeps the same counts', () => {
  const p = analyzeProgress({ stage: 'fold', fold: 1, folds: 3, epoch: 0, phase: 'reused', metrics: {} });
  assert.deepEqual([p.done, p.total, p.message], [1, 3, 'fold 2/3 · finished by an interrupted analysis, reused']);
});
