// The combination rules of parent and children: kl-mix against a hand-computed case, the
// published kl-argmax rule unchanged, the gate on a planted problem whose best rule is known,
// and every rule refusing to be fitted on anything but valid.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES } from '../../api/domain.ts';
import { Rng } from '../util/rng.ts';
import { combineStored, fitCombiner, gateFaces, mixFaces } from './combine.ts';
import { routeFaces, splitOutputs, type ChildOutput } from './routing.ts';

const rest = (mass: number) => Array.from({ length: NUM_CLASSES - 2 }, () => mass / (NUM_CLASSES - 2));
// Parent: neutral 0.5, happy 0.3; child (happy>neutral): neutral 0.2, happy 0.6; the other six
// classes 0.2/6 in both. By hand: KL(p || q) = 0.5 ln(0.5/0.2) + 0.3 ln(0.3/0.6) = 0.250201 nats.
const P = [0.5, 0.3, ...rest(0.2)];
const Q = [0.2, 0.6, ...rest(0.2)];
const child: ChildOutput = { given: 1, predicted: 0, probs: Q };

test('kl-mix: w = KL / (KL + kappa) decides between parent and child as computed by hand', () => {
  // mix_neutral = 0.5 - 0.3 w, mix_happy = 0.3 + 0.3 w: equal at w = 1/3, i.e. kappa = 2 KL = 0.5004.
  assert.equal(mixFaces(P, [child], 0.49).predicted[0], 1, 'kappa 0.49: w = 0.338 > 1/3, the child wins');
  assert.equal(mixFaces(P, [child], 0.51).predicted[0], 0, 'kappa 0.51: w = 0.329 < 1/3, the parent wins');
  assert.equal(mixFaces(P, [child], 0.49).routedTo[0], 0);
  assert.equal(mixFaces(P, [child], null).predicted[0], 0, 'off: the parent answers');
  // A child whose pair is not the parent's top-2 is never heard.
  assert.equal(mixFaces(P, [{ given: 5, predicted: 6, probs: Q }], 0.01).routedTo[0], -1);
});

test('kl-mix on valid: the largest kappa of the grid that gets the face right (0.3; 1 and above do not)', () => {
  const f = fitCombiner('kl-mix', splitOutputs('valid', P, [child], [1]));
  assert.equal(f.params.kappa, 0.3);
  assert.equal(f.apply(P, [child]).predicted[0], 1);
  const none = fitCombiner('kl-mix', splitOutputs('valid', P, [child], [0]));
  assert.equal(none.params.kappa, null, 'when the parent is right, no kappa gains: off');
});

test('kl-argmax is the published routing with tau chosen on valid', () => {
  const f = fitCombiner('kl-argmax', splitOutputs('valid', P, [child], [1]));
  const r = routeFaces(P, [child], f.params.tau as number);
  assert.deepEqual(f.apply(P, [child]).predicted, r.predicted);
  assert.equal(r.predicted[0], 1);
});

test('every rule refuses outputs tagged test or train', () => {
  for (const rule of ['kl-argmax', 'kl-mix', 'gate'] as const) {
    for (const split of ['test', 'train'] as const) {
      assert.throws(() => fitCombiner(rule, splitOutputs(split, P, [child], [1]) as never), /validation split/);
    }
  }
});

/**
 * Planted: parent says anger 0.55 / disgust 0.35 on every face; the disgust>anger child's
 * disgust probability s is uniform in [0.3, 0.8] (anger 0.9 - s). Truth: disgust when s > 0.62,
 * else anger, with 10% of labels flipped. The child disagrees with the parent when s > 0.45, and
 * is right there only above 0.62: the best gate routes exactly s > 0.62.
 */
function plantedGate(n: number, seed: number) {
  const rng = new Rng(seed);
  const parent = new Float32Array(n * NUM_CLASSES);
  const probs = new Float32Array(n * NUM_CLASSES);
  const labels = new Int32Array(n);
  const s = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * NUM_CLASSES;
    for (let c = 0; c < NUM_CLASSES; c++) {
      parent[o + c] = 0.1 / 6;
      probs[o + c] = 0.1 / 6;
    }
    parent[o + 5] = 0.35;
    parent[o + 6] = 0.55;
    s[i] = 0.3 + 0.5 * rng.next();
    probs[o + 5] = s[i];
    probs[o + 6] = 0.9 - s[i];
    const truth = s[i] > 0.62 ? 5 : 6;
    labels[i] = rng.next() < 0.1 ? (truth === 5 ? 6 : 5) : truth;
  }
  return { parent, children: [{ given: 5, predicted: 6, probs }], labels, s };
}

test('gate: fitted on a planted valid split with cross-validation, it routes the faces the child gets right on a fresh draw', () => {
  const valid = plantedGate(3000, 1);
  const f = fitCombiner('gate', splitOutputs('valid', valid.parent, valid.children, valid.labels), { seed: 4 });
  assert.ok(typeof f.params.lambda === 'number', 'a gate that gains out of fold is switched on');
  assert.ok((f.params.cvNetGain as number) > 0, `cross-validated net gain ${String(f.params.cvNetGain)}`);
  const fresh = plantedGate(3000, 2);
  const r = gateFaces(fresh.parent, fresh.children, f.params.weights as number[]);
  let agree = 0;
  let away = 0;
  for (let i = 0; i < fresh.s.length; i++) {
    if (fresh.s[i] <= 0.45 || Math.abs(fresh.s[i] - 0.62) < 0.02) continue; // no disagreement, or at the planted boundary
    away++;
    if ((r.routedTo[i] === 0) === (fresh.s[i] > 0.62)) agree++;
  }
  assert.ok(agree / away > 0.97, `the gate matches the planted rule on ${agree} of ${away} faces`);
  let fixed = 0;
  let broken = 0;
  for (let i = 0; i < fresh.s.length; i++) {
    if (r.predicted[i] === r.parentPredicted[i]) continue;
    if (r.predicted[i] === fresh.labels[i]) fixed++;
    else broken++;
  }
  assert.ok(fixed > 3 * broken, `fresh draw: ${fixed} fixed, ${broken} broken`);
});

test('gate: when the parent is right wherever the two disagree, no strength gains out of fold and it stays off', () => {
  const valid = plantedGate(2000, 3);
  const labels = new Int32Array(valid.labels.length).fill(6);
  const f = fitCombiner('gate', splitOutputs('valid', valid.parent, valid.children, labels), { seed: 4 });
  assert.equal(f.params.lambda, null);
  assert.equal(f.params.weights, null);
  assert.ok(f.apply(valid.parent, valid.children).routedTo.every((g) => g === -1));
});

test('a fitted rule stored as JSON and applied again (a finished run read back) answers every face as it did', () => {
  const valid = plantedGate(1500, 5);
  const fresh = plantedGate(1500, 6);
  const seen = new Set<string>();
  for (const rule of ['kl-argmax', 'kl-mix', 'gate'] as const) {
    const f = fitCombiner(rule, splitOutputs('valid', valid.parent, valid.children, valid.labels), { seed: 4 });
    const stored = JSON.parse(JSON.stringify(f.params)) as Record<string, unknown>;
    const a = f.apply(fresh.parent, fresh.children);
    const b = combineStored(rule, stored, fresh.parent, fresh.children);
    assert.deepEqual(b, a, rule);
    seen.add(Array.from(a.predicted).join(','));
    assert.ok(a.predicted.some((c, i) => c !== a.parentPredicted[i]), `${rule} changes some answers on the fresh draw`);
  }
  assert.equal(seen.size, 3, 'the three rules answer differently here, so applying the wrong one would show');
  assert.throws(() => combineStored('kl-argmax', {}, fresh.parent, fresh.children), /stored tau is not a number/);
  assert.throws(() => combineStored('gate', { weights: [1, 2] }, fresh.parent, fresh.children), /weights are not 18 numbers/);
});
