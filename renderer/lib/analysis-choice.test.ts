import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnalysableModel } from '../../api/contract.ts';
import type { ModelId, RunId } from '../../api/domain.ts';
import { estimateShort, estimateText, latestAnalysedModel } from './analysis-choice.ts';

const model = (id: number, runId: number | null): AnalysableModel => ({
  modelId: id as ModelId,
  name: `m${id}`,
  kind: 'cnn',
  latest: runId === null ? null : { runId: runId as RunId, folds: 5, finishedAt: null },
  estimate: { modelId: id as ModelId, folds: 5, seconds: 60, basis: 'b' },
});

test('opens on the model whose analysis ran last, not the newest model', () => {
  assert.equal(latestAnalysedModel([model(9, null), model(7, 12), model(3, 15)]), 3);
  assert.equal(latestAnalysedModel([model(9, null)]), null);
});

test('estimates read as a duration or say why there is none', () => {
  assert.equal(estimateText({ modelId: 1 as ModelId, folds: 5, seconds: 250, basis: '5 folds' }), 'about 4 min 10 s (5 folds)');
  assert.equal(estimateText({ modelId: 1 as ModelId, folds: 5, seconds: null, basis: 'no epochs' }), 'unknown (no epochs)');
  assert.equal(estimateShort({ modelId: 1 as ModelId, folds: 5, seconds: 3700, basis: '' }), '~1 h 01 min');
});
