/**
 * Parent + children on the valid and test splits (METHOD.md 6.5-6.6), from stored
 * predictions: tau is chosen on VALID only (chooseTau refuses anything else), then applied
 * unchanged to valid and test; evaluations labelled 'parent' and 'parent+children' are stored
 * for both, with the faces routed to each child and how many answers changed wrong -> right
 * and right -> wrong. Test figures are reported, never used for a choice. Reference labels are
 * the CURRENT ones (after review, evaluation.ts), so a reviewer's correction counts here too.
 */
import { NUM_CLASSES, type ModelId, type RunId, type Split } from '../../../api/domain.ts';
import { chooseTau, compareBeforeAfter, routeFaces, splitOutputs, type ChildOutput, type TauChoice } from '../../../core/relearn/routing.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { addEvaluation, type EvaluationResult } from '../../../db/evaluation-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { evaluatePredictions, referenceLabels } from './evaluation.ts';

export interface RoutedChild {
  childModelId: ModelId | number;
  groupId: number;
  name: string;
  given: number;
  predicted: number;
}

export interface SplitRouting {
  split: Split;
  parent: EvaluationResult;
  parentChildren: EvaluationResult;
  routed: number;
  wrongToRight: number;
  rightToWrong: number;
  perChild: { groupId: number; name: string; routed: number; changed: number; wrongToRight: number; rightToWrong: number }[];
}

export interface RoutingOutcome {
  tau: number;
  tauChoice: Omit<TauChoice, 'curve'> & { curve: TauChoice['curve'] };
  splits: Partial<Record<'valid' | 'test', SplitRouting>>;
}

interface SplitInputs {
  ids: Int32Array;
  parentProbs: Float32Array;
  children: ChildOutput[];
  labels: Int32Array;
  excludedByReason: Record<string, number>;
}

/** Parent and child outputs on the faces every model predicted, with reference labels. */
function loadSplit(db: ProjectDb, parentId: ModelId | number, children: readonly RoutedChild[], split: Split): SplitInputs {
  const parent = readPredictions(db, parentId, split);
  const ref = referenceLabels(db, split, 'current');
  const refOf = new Map<number, number>();
  ref.ids.forEach((id, i) => refOf.set(id, ref.labels[i]));
  const childRows = children.map((c) => {
    const p = readPredictions(db, c.childModelId, split);
    const m = new Map<number, number>();
    p.ids.forEach((id, i) => m.set(id, i));
    return { p, m };
  });
  const keep: number[] = [];
  parent.ids.forEach((id, i) => {
    if (childRows.every((c) => c.m.has(id))) keep.push(i);
  });
  const n = keep.length;
  const ids = Int32Array.from(keep, (i) => parent.ids[i]);
  const parentProbs = new Float32Array(n * NUM_CLASSES);
  keep.forEach((r, j) => parentProbs.set(parent.probs.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), j * NUM_CLASSES));
  const outs: ChildOutput[] = children.map((c, g) => {
    const probs = new Float32Array(n * NUM_CLASSES);
    const { p, m } = childRows[g];
    ids.forEach((id, j) => {
      const r = m.get(id)!;
      probs.set(p.probs.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), j * NUM_CLASSES);
    });
    return { given: c.given, predicted: c.predicted, probs };
  });
  return { ids, parentProbs, children: outs, labels: Int32Array.from(ids, (id) => refOf.get(id) ?? -1), excludedByReason: ref.excludedByReason };
}

function oneHot(pred: Int32Array): Float32Array {
  const out = new Float32Array(pred.length * NUM_CLASSES);
  pred.forEach((c, i) => (out[i * NUM_CLASSES + c] = 1));
  return out;
}

export function routeAndEvaluate(
  db: ProjectDb,
  parentId: ModelId | number,
  children: readonly RoutedChild[],
  opts: { runId?: RunId | number | null; store?: boolean } = {},
): RoutingOutcome {
  const valid = loadSplit(db, parentId, children, 'valid');
  if (valid.ids.length === 0) throw new Error('relearn: the valid split has no predicted faces, so tau cannot be chosen (it is never chosen on the test split)');
  const choice = chooseTau(splitOutputs('valid', valid.parentProbs, valid.children, valid.labels));
  const outcome: RoutingOutcome = { tau: choice.tau, tauChoice: choice, splits: {} };
  for (const split of ['valid', 'test'] as const) {
    const s = split === 'valid' ? valid : loadSplit(db, parentId, children, split);
    if (s.ids.length === 0) continue;
    const r = routeFaces(s.parentProbs, s.children, choice.tau);
    const ba = compareBeforeAfter(s.labels, r.parentPredicted, r.predicted, r.routedTo, children.length);
    const ref = { ids: s.ids, labels: s.labels, excludedByReason: s.excludedByReason };
    const perChild = ba.perChild.map((e, g) => ({ groupId: children[g].groupId, name: children[g].name, ...e }));
    const extra = { tau: choice.tau, routed: ba.routed, wrong_to_right: ba.wrongToRight, right_to_wrong: ba.rightToWrong, per_child: perChild };
    const parent = evaluatePredictions(ref, s.ids, s.parentProbs) as unknown as EvaluationResult;
    const after = { ...(evaluatePredictions(ref, s.ids, oneHot(r.predicted)) as unknown as EvaluationResult), ...extra };
    if (opts.store !== false) {
      addEvaluation(db, { modelId: parentId, runId: opts.runId ?? null, split, label: 'parent', result: parent });
      addEvaluation(db, { modelId: parentId, runId: opts.runId ?? null, split, label: 'parent+children', result: after });
    }
    outcome.splits[split] = { split, parent, parentChildren: after, routed: ba.routed, wrongToRight: ba.wrongToRight, rightToWrong: ba.rightToWrong, perChild };
  }
  return outcome;
}
