import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ModelComparison } from '../../api/contract.ts';
import type { ModelId } from '../../api/domain.ts';
import { formatP, formatPoints, mcnemarSentence } from './comparison-format.ts';

test('differences read in points with a real minus sign', () => {
  assert.equal(formatPoints(2), '+2.0 points');
  assert.equal(formatPoints(-0.46), '−0.5 points');
  assert.equal(formatPoints(0.02), '±0.0 points');
  assert.equal(formatPoints(Number.NaN), '–');
});

test('McNemar in one sentence, significant or not', () => {
  const c: ModelComparison = {
    modelId: 1 as ModelId, otherModelId: 2 as ModelId, split: 'test', labels: 'published', n: 100, bothRight: 60, onlyFirstRight: 4, onlyOtherRight: 16, bothWrong: 20,
    accuracy: 0.64, otherAccuracy: 0.76, differencePoints: 12, test: { method: 'exact binomial', statistic: null, pValue: 0.0118 },
  };
  assert.equal(mcnemarSentence(c, '#1', '#2'), 'McNemar (exact binomial, p = 0.012) on the 20 faces only one model got right (4 only #1, 16 only #2): a significant difference at the 5% level.');
  assert.match(mcnemarSentence({ ...c, test: { method: 'chi-square with continuity correction', statistic: 1.23, pValue: 0.27 } }, 'a', 'b'), /χ² = 1\.23, p = 0\.270\).*no significant/);
  assert.equal(formatP(0.0004), 'p < 0.001');
});
