import assert from 'node:assert/strict';
import { test } from 'node:test';
import { klDivergence } from '../analysis/kl.ts';
import { scoreProbabilities } from '../models/mlp/mlp.ts';
import { LOG_EPSILON } from './log-epsilon.ts';

test('a zero probability costs the same in the fine-tuning loss as in a KL score', () => {
  // The true class gets probability 0: the loss is -ln(eps); KL(one-hot || p) is ln((1 + eps) / eps).
  const probs = new Float32Array([0, 1, 0, 0, 0, 0, 0, 0]);
  const { loss } = scoreProbabilities(probs, new Int32Array([0]), 8);
  assert.ok(Math.abs(loss - -Math.log(1e-7)) < 1e-9, `loss ${loss}`);
  const kl = klDivergence([1, 0, 0, 0, 0, 0, 0, 0], Array.from(probs));
  assert.ok(Math.abs(kl - loss) < 1e-6, `KL ${kl} against loss ${loss}`);
  assert.equal(LOG_EPSILON, 1e-7);
});
