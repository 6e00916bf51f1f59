import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotationTable } from './annotation-table.ts';
import { annotationTableFrom, annotationTableFromColumns, countsFromTable } from './annotation-table.ts';
import { annotatorAgreement, majorityConsensus, pairwiseAgreement } from './annotators.ts';

/** rows of [item, annotator, label] */
function table(rows: number[][], numItems: number, numAnnotators: number): AnnotationTable {
  return {
    item: Int32Array.from(rows, (r) => r[0]),
    annotator: Int32Array.from(rows, (r) => r[1]),
    label: Int32Array.from(rows, (r) => r[2]),
    numItems,
    numAnnotators,
  };
}

// item0: 0,0,1  item1: 1,1,1  item2: a0=2, a1=0, a2=9 (uncertain)  item3: 0,1,2
const T = table(
  [
    [0, 0, 0], [0, 1, 0], [0, 2, 1],
    [1, 0, 1], [1, 1, 1], [1, 2, 1],
    [2, 0, 2], [2, 1, 0], [2, 2, 9],
    [3, 0, 0], [3, 1, 1], [3, 2, 2],
  ],
  4,
  3,
);

test('majority consensus: plurality per face, -1 on ties', () => {
  assert.deepEqual(Array.from(majorityConsensus(T)), [0, 1, -1, -1]);
  // With all 12 codes as categories the uncertain label is a category too, still a 3-way tie on item 2.
  assert.deepEqual(Array.from(majorityConsensus(T, { categories: 'all' })), [0, 1, -1, -1]);
});

test('agreement and confusion against the leave-one-out consensus (hand-counted)', () => {
  const r = annotatorAgreement(T);
  const [a0, a1, a2] = r.perAnnotator;
  // a0: item0 others tie (0 vs 1) -> skipped; item1 agrees; item2 others say 0, he says 2; item3 tie.
  assert.deepEqual([a0.labelled, a0.compared, a0.agreed, a0.agreement], [4, 2, 1, 0.5]);
  assert.equal(a0.confusion[1 * 8 + 1], 1);
  assert.equal(a0.confusion[0 * 8 + 2], 1);
  assert.deepEqual([a1.labelled, a1.compared, a1.agreed], [4, 2, 1]);
  assert.equal(a1.confusion[2 * 8 + 0], 1, 'rows are the consensus (a0 said 2), columns his label');
  // a2: his uncertain label is outside the classes; item0 others say 0, he 1; item1 agrees.
  assert.deepEqual([a2.labelled, a2.compared, a2.agreed], [3, 2, 1]);
  assert.equal(a2.confusion[0 * 8 + 1], 1);
  assert.equal(r.overall, 0.5);
  const sum = (m: Float64Array) => m.reduce((s, v) => s + v, 0);
  assert.deepEqual(r.perAnnotator.map((a) => sum(a.confusion)), [2, 2, 2]);
});

test("leave-one-out matters: with two annotators a self-including consensus would inflate agreement", () => {
  const two = table([[0, 0, 3], [0, 1, 4], [1, 0, 5], [1, 1, 5]], 2, 2);
  const r = annotatorAgreement(two);
  assert.deepEqual(r.perAnnotator.map((a) => [a.compared, a.agreed]), [[2, 1], [2, 1]]);
});

test("pairwise agreement with Cohen's kappa, including the undefined case", () => {
  // A: 0,0,1,1  B: 0,1,1,1 -> p_o = 3/4, p_e = 1/2 * 1/4 + 1/2 * 3/4 = 1/2 -> kappa 1/2
  const ab = table([[0, 0, 0], [1, 0, 0], [2, 0, 1], [3, 0, 1], [0, 1, 0], [1, 1, 1], [2, 1, 1], [3, 1, 1], [1, 2, 1], [2, 2, 1]], 4, 3);
  const pairs = pairwiseAgreement(ab);
  assert.deepEqual(pairs.map((p) => [p.a, p.b, p.shared, p.agreed]), [[0, 1, 4, 3], [0, 2, 2, 1], [1, 2, 2, 2]]);
  assert.equal(pairs[0].cohenKappa, 0.5);
  assert.equal(pairs[0].agreement, 0.75);
  // B and C both said 1 on both shared faces: agreement 1 but kappa undefined.
  assert.equal(pairs[2].agreement, 1);
  assert.ok(Number.isNaN(pairs[2].cohenKappa));
  // A and C: A says 0,1 and C says 1,1 -> p_o = 1/2, p_e = 1/2 -> kappa 0
  assert.equal(pairs[1].cohenKappa, 0);
});

test('tables from string ids, counts and validation', () => {
  const { table: t, annotatorNames } = annotationTableFrom(
    [
      { item: 0, annotator: 'ann', label: 1 },
      { item: 1, annotator: 'bob', label: 9 },
      { item: 1, annotator: 'ann', label: 2 },
    ],
    2,
  );
  assert.deepEqual(annotatorNames, ['ann', 'bob']);
  assert.deepEqual(Array.from(t.annotator), [0, 1, 0]);
  const c = countsFromTable(t);
  assert.equal(c.length, 16);
  assert.equal(c[1], 1);
  assert.equal(c[8 + 2], 1);
  assert.equal(countsFromTable(t, 'all')[12 + 9], 1);
  assert.throws(() => majorityConsensus({ ...t, numItems: 1 }), /item\[1\] = 1/);
  const fromDb = annotationTableFromColumns({ row: t.item, annotator: t.annotator, label: t.label }, 2, 2);
  assert.deepEqual(Array.from(majorityConsensus(fromDb)), [1, 2]);
  assert.throws(() => annotationTableFromColumns({ row: t.item, annotator: t.annotator, label: t.label }, 2, 1), /annotator\[1\] = 1/);
});
