import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ChildOutput, SplitOutputs } from './routing.ts';
import { chooseTau, compareBeforeAfter, routeFaces, splitOutputs } from './routing.ts';

const NEUTRAL = 0;
const HAPPY = 1;
const SAD = 2;
const FEAR = 4;
const DISGUST = 5;
const ANGER = 6;
const close = (a: number, b: number, tol = 1e-6) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);
const rows = (...r: Record<number, number>[]) => Float32Array.from(r.flatMap((m) => Array.from({ length: 8 }, (_, c) => m[c] ?? 0)));
/** KL(p || q) for two-class distributions, written out independently of kl.ts. */
const kl2 = (p: number, q: number) => p * Math.log(p / q) + (1 - p) * Math.log((1 - p) / (1 - q));

// face 0: parent top-2 {anger, disgust}; face 1: top-2 {happy, neutral}; face 2: {sad, fear}, no child.
const PARENT = rows({ [ANGER]: 0.55, [DISGUST]: 0.45 }, { [HAPPY]: 0.6, [NEUTRAL]: 0.4 }, { [SAD]: 0.7, [FEAR]: 0.3 });
const CHILDREN: ChildOutput[] = [
  { given: DISGUST, predicted: ANGER, probs: rows({ [DISGUST]: 0.8, [ANGER]: 0.2 }, { [HAPPY]: 1 }, { [FEAR]: 1 }) },
  { given: HAPPY, predicted: NEUTRAL, probs: rows({ [NEUTRAL]: 1 }, { [HAPPY]: 0.55, [NEUTRAL]: 0.45 }, { [NEUTRAL]: 1 }) },
];

test('routing: only children of the parent top-2 pair are candidates; KL above tau answers with the child', () => {
  const r = routeFaces(PARENT, CHILDREN, 0.1);
  close(r.kl[0], kl2(0.55, 0.2)); // 0.2975
  close(r.kl[1], kl2(0.6, 0.55)); // 0.0051
  assert.ok(Number.isNaN(r.kl[2]));
  assert.deepEqual(Array.from(r.child), [0, 1, -1]);
  assert.deepEqual(Array.from(r.parentPredicted), [ANGER, HAPPY, SAD]);
  assert.deepEqual(Array.from(r.predicted), [DISGUST, HAPPY, SAD]);
  assert.deepEqual(Array.from(r.routedTo), [0, -1, -1]);
  // A lower tau also routes face 1 (whose child agrees); face 2 never, although child 0 says fear there.
  assert.deepEqual(Array.from(routeFaces(PARENT, CHILDREN, 0.001).routedTo), [0, 1, -1]);
  assert.deepEqual(Array.from(routeFaces(PARENT, CHILDREN, 0.5).routedTo), [-1, -1, -1]);
});

test('with two children of the same pair the one with the larger KL answers', () => {
  const other: ChildOutput = { given: ANGER, predicted: DISGUST, probs: rows({ [ANGER]: 0.5, [DISGUST]: 0.5 }, { 0: 1 }, { 0: 1 }) };
  const r = routeFaces(PARENT, [other, ...CHILDREN], 0.1);
  assert.equal(r.child[0], 1, 'child "disgust>anger" is further from the parent than "anger>disgust"');
  assert.equal(r.predicted[0], DISGUST);
});

/** Four validation faces, parent says anger (a = p(anger)), the child says disgust with 0.9. */
function validSet(aValues: number[], labels: number[]): SplitOutputs<'valid'> {
  const parent = rows(...aValues.map((a) => ({ [ANGER]: a, [DISGUST]: 1 - a })));
  const child = rows(...aValues.map(() => ({ [DISGUST]: 0.9, [ANGER]: 0.1 })));
  return splitOutputs('valid', parent, [{ given: DISGUST, predicted: ANGER, probs: child }], labels);
}

test('chooseTau maximises validation accuracy over the observed KL values', () => {
  // KL falls with a: faces 0 and 1 (truly disgust) have the largest KL, faces 2 and 3 are truly anger.
  const v = validSet([0.9, 0.8, 0.7, 0.6], [DISGUST, DISGUST, ANGER, ANGER]);
  const c = chooseTau(v);
  const k = [0.9, 0.8, 0.7, 0.6].map((a) => kl2(a, 0.1));
  close(c.tau, (k[1] + k[2]) / 2);
  assert.equal(c.parentAccuracy, 0.5);
  assert.equal(c.accuracy, 1);
  assert.equal(c.routed, 2);
  assert.deepEqual(c.curve.map((p) => [p.routed, p.accuracy]), [[0, 0.5], [1, 0.75], [2, 1], [3, 0.75], [4, 0.5]]);
  close(c.curve[0].tau, k[0]);
  close(c.curve[4].tau, k[3] / 2);
  // Applying the chosen tau reproduces the accuracy it promised.
  const r = routeFaces(v.parentProbs, v.children, c.tau);
  assert.deepEqual(Array.from(r.predicted), [DISGUST, DISGUST, ANGER, ANGER]);
});

test('chooseTau prefers the larger tau on equal accuracy, and leaves unlabelled faces out', () => {
  // Route none: face 0 right, face 1 wrong (1/2). Route all: face 0 wrong, face 1 right (1/2). Tie -> route none.
  const c = chooseTau(validSet([0.9, 0.85, 0.8], [ANGER, -1, DISGUST]));
  assert.equal(c.faces, 2);
  assert.deepEqual(c.curve.map((p) => [p.routed, p.accuracy]), [[0, 0.5], [1, 0], [2, 0], [3, 0.5]]);
  assert.equal(c.routed, 0);
  assert.equal(c.accuracy, 0.5);
  close(c.tau, kl2(0.9, 0.1));
  // No face has a candidate child: nothing to route, tau 0.
  const none = chooseTau(splitOutputs('valid', PARENT, [], [ANGER, HAPPY, SAD]));
  assert.deepEqual([none.tau, none.routed, none.accuracy], [0, 0, 1]);
});

test('tau can never be chosen on test data', () => {
  const v = validSet([0.9, 0.8], [DISGUST, ANGER]);
  const onTest = splitOutputs('test', v.parentProbs, v.children, v.labels);
  // @ts-expect-error: test outputs are a type error for chooseTau ...
  assert.throws(() => chooseTau(onTest), /validation split, got outputs tagged "test"/);
  // ... and a runtime error for callers that get around the types.
  assert.throws(() => chooseTau({ ...v, split: 'train' } as unknown as SplitOutputs<'valid'>), /tagged "train"/);
});

test('before/after: per-class reports, routed counts per child, wrong->right and right->wrong', () => {
  const labels = [0, 1, 2, 3, 4, -1];
  const parent = [0, 1, 0, 0, 4, 2];
  const routed = [0, 2, 2, 0, 4, 3];
  const routedTo = [-1, 0, 1, -1, 1, 0];
  const r = compareBeforeAfter(labels, parent, routed, routedTo, 3);
  assert.equal(r.routed, 4);
  assert.equal(r.wrongToRight, 1); // face 2
  assert.equal(r.rightToWrong, 1); // face 1
  assert.deepEqual(r.perChild, [
    { routed: 2, changed: 2, wrongToRight: 0, rightToWrong: 1 },
    { routed: 2, changed: 1, wrongToRight: 1, rightToWrong: 0 },
    { routed: 0, changed: 0, wrongToRight: 0, rightToWrong: 0 },
  ]);
  assert.equal(r.before.accuracy, 3 / 5);
  assert.equal(r.after.accuracy, 3 / 5);
  assert.equal(r.before.perClass[2].recall, 0);
  assert.equal(r.after.perClass[2].recall, 1);
  assert.equal(r.after.perClass[1].recall, 0);
  assert.throws(() => compareBeforeAfter([0], [0, 1], [0], [0]), /lengths differ/);
});
