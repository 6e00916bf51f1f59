import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES } from '../../../api/domain.ts';
import { Rng } from '../../util/rng.ts';
import { CONFUSION_PARTNERS, EXPRESSION_KEYS, EXPRESSION_PROTOTYPES, NEUTRAL_EXPRESSION, blendExpressions, drawBlendPartner, varyExpression } from './expressions.ts';

test('prototypes differ from each other and from neutral in their signature parameters', () => {
  assert.equal(EXPRESSION_PROTOTYPES.length, NUM_CLASSES);
  const [neutral, happy, sad, surprise, fear, disgust, anger, contempt] = EXPRESSION_PROTOTYPES;
  assert.deepEqual(neutral, NEUTRAL_EXPRESSION);
  assert.ok(happy.mouthCurve > 0.5 && sad.mouthCurve < -0.5);
  assert.ok(surprise.eyeOpen > 1.4 && fear.eyeOpen > 1.4 && surprise.mouthWidth < 0.8 && fear.mouthWidth > 1.1);
  assert.ok(disgust.noseWrinkle > 0.5 && disgust.upperLipRaise > 0.5 && anger.noseWrinkle === 0);
  assert.ok(anger.browInner < -0.5 && sad.browInner > 0.5 && anger.lipPress > 0.5);
  assert.ok(contempt.mouthAsym > 0.5 && EXPRESSION_PROTOTYPES.every((p, k) => k === 7 || p.mouthAsym === 0));
  for (let i = 0; i < NUM_CLASSES; i++) for (let j = i + 1; j < NUM_CLASSES; j++) {
    const dist = EXPRESSION_KEYS.reduce((s, k) => s + (EXPRESSION_PROTOTYPES[i][k] - EXPRESSION_PROTOTYPES[j][k]) ** 2, 0);
    assert.ok(Math.sqrt(dist) > 0.8, `classes ${i} and ${j} are too close (${Math.sqrt(dist).toFixed(2)})`);
  }
});

test('blend is linear and varyExpression scales the departure from neutral', () => {
  const b = blendExpressions(EXPRESSION_PROTOTYPES[5], EXPRESSION_PROTOTYPES[6], 0.4);
  assert.ok(Math.abs(b.browInner - (0.6 * -0.35 + 0.4 * -1)) < 1e-12);
  const rng = new Rng(3);
  let sum = 0;
  const n = 2000;
  for (let i = 0; i < n; i++) sum += varyExpression(EXPRESSION_PROTOTYPES[1], 0.5, rng).mouthCurve;
  assert.ok(Math.abs(sum / n - 0.5) < 0.02, `mean curve ${sum / n}`);
});

test('blend partners follow the confusion pairs', () => {
  const rng = new Rng(5);
  for (let cls = 0; cls < NUM_CLASSES; cls++) {
    const partners = new Set(CONFUSION_PARTNERS[cls].map(([k]) => k));
    let onPair = 0;
    const n = 4000;
    for (let i = 0; i < n; i++) {
      const o = drawBlendPartner(cls, rng);
      assert.notEqual(o, cls);
      if (partners.has(o)) onPair++;
    }
    // 85% pair bias plus the pair's share of the uniform draws.
    assert.ok(onPair / n > 0.85 && onPair / n < 0.95, `class ${cls}: ${onPair / n}`);
  }
});
