/**
 * Parent + children on the valid and test splits and the dev-test carve (METHOD.md 6.5-6.6),
 * from stored predictions: every combination rule (core/relearn/combine.ts) is fitted on VALID
 * only (tau of the published rule by chooseTau, which refuses anything else), then applied
 * unchanged to valid, test and the dev-test; for the selected rule, evaluations labelled
 * 'parent' and 'parent+children' are stored for valid and test, with the faces routed to each
 * child and how many answers changed wrong -> right and right -> wrong; every rule's figures go
 * to `rules` (the run result). Test and dev-test figures are reported, never used for a
 * choice. Reference labels are the CURRENT ones (after review, evaluation.ts), so a
 * reviewer's correction counts here too. The dev-test has no evaluations row (the table knows
 * train, valid and test); its figures live in the run result.
 */
import { NUM_CLASSES, type ModelId, type RunId, type Split } from '../../../api/domain.ts';
import { COMBINE_RULES, type CombineRule } from '../../../api/contract.ts';
import { fitCombiner } from '../../../core/relearn/combine.ts';
import { chooseTau, compareBeforeAfter, splitOutputs, type ChildOutput, type TauChoice } from '../../../core/relearn/routing.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { devTestIds } from '../../../db/dev-test-store.ts';
import { addEvaluation, type EvaluationResult } from '../../../db/evaluation-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { evaluatePredictions, referenceLabels } from './evaluation.ts';

/** The rule relearn uses unless told otherwise. */
export const DEFAULT_COMBINE_RULE: CombineRule = 'kl-argmax';

export interface RoutedChild {
  childModelId: ModelId | number;
  groupId: number;
  name: string;
  given: number;
  predicted: number;
}

/** Where a combination is measured: valid (where it was fitted), test, and the dev-test carve of train. */
export type RoutingSplit = 'valid' | 'test' | 'dev-test';
export const ROUTING_SPLITS: readonly RoutingSplit[] = ['valid', 'test', 'dev-test'];

export interface SplitRouting {
  split: RoutingSplit;
  parent: EvaluationResult;
  parentChildren: EvaluationResult;
  routed: number;
  wrongToRight: number;
  rightToWrong: number;
  perChild: { groupId: number; name: string; routed: number; changed: number; wrongToRight: number; rightToWrong: number }[];
}

/** One rule's figures on one split. */
export interface RuleSplitFigures {
  faces: number;
  parentAccuracy: number;
  accuracy: number;
  routed: number;
  changed: number;
  wrongToRight: number;
  rightToWrong: number;
  parentRecall: number[];
  recall: number[];
}

export interface RuleOutcome {
  rule: CombineRule;
  /** What was fitted on valid (tau, kappa, the gate's lambda and weights). */
  params: Record<string, number | null | number[]>;
  splits: Partial<Record<RoutingSplit, RuleSplitFigures>>;
}

export interface RoutingOutcome {
  /** The rule behind `splits` and the stored evaluations. */
  rule: CombineRule;
  /** tau of the published rule (kl-argmax), chosen on valid whatever the selected rule. */
  tau: number;
  tauChoice: Omit<TauChoice, 'curve'> & { curve: TauChoice['curve'] };
  splits: Partial<Record<RoutingSplit, SplitRouting>>;
  /** Every rule, fitted on valid and measured on each split. */
  rules: RuleOutcome[];
}

interface SplitInputs {
  ids: Int32Array;
  parentProbs: Float32Array;
  children: ChildOutput[];
  labels: Int32Array;
  excludedByReason: Record<string, number>;
}

/** Parent and child outputs on the faces every model predicted, with reference labels. */
function loadSplit(db: ProjectDb, parentId: ModelId | number, children: readonly RoutedChild[], where: RoutingSplit): SplitInputs {
  // The dev-test faces are train faces by split; they are picked out by id.
  const split: Split = where === 'dev-test' ? 'train' : where;
  const only = where === 'dev-test' ? new Set(devTestIds(db)) : null;
  const all = readPredictions(db, parentId, split);
  const parent = only ? pick(all, only) : all;
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

function pick(p: { ids: Int32Array; probs: Float32Array }, only: Set<number>): { ids: Int32Array; probs: Float32Array } {
  const rows: number[] = [];
  p.ids.forEach((id, i) => only.has(id) && rows.push(i));
  const probs = new Float32Array(rows.length * NUM_CLASSES);
  rows.forEach((r, j) => probs.set(p.probs.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), j * NUM_CLASSES));
  return { ids: Int32Array.from(rows, (r) => p.ids[r]), probs };
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
  opts: { runId?: RunId | number | null; store?: boolean; rule?: CombineRule; seed?: number } = {},
): RoutingOutcome {
  const rule = opts.rule ?? DEFAULT_COMBINE_RULE;
  const valid = loadSplit(db, parentId, children, 'valid');
  if (valid.ids.length === 0) throw new Error('relearn: the valid split has no predicted faces, so tau cannot be chosen (it is never chosen on the test split)');
  const validOutputs = splitOutputs('valid', valid.parentProbs, valid.children, valid.labels);
  const choice = chooseTau(validOutputs);
  const fitted = COMBINE_RULES.map((r) => fitCombiner(r, validOutputs, { seed: opts.seed }));
  const outcome: RoutingOutcome = { rule, tau: choice.tau, tauChoice: choice, splits: {}, rules: fitted.map((f) => ({ rule: f.rule, params: f.params, splits: {} })) };
  for (const split of ROUTING_SPLITS) {
    const s = split === 'valid' ? valid : loadSplit(db, parentId, children, split);
    if (s.ids.length === 0) continue;
    fitted.forEach((f, k) => {
      const r = f.apply(s.parentProbs, s.children);
      const ba = compareBeforeAfter(s.labels, r.parentPredicted, r.predicted, r.routedTo, children.length);
      outcome.rules[k].splits[split] = {
        faces: ba.before.n, parentAccuracy: ba.before.accuracy, accuracy: ba.after.accuracy, routed: ba.routed,
        changed: ba.perChild.reduce((a, c) => a + c.changed, 0), wrongToRight: ba.wrongToRight, rightToWrong: ba.rightToWrong,
        parentRecall: ba.before.perClass.map((m) => m.recall), recall: ba.after.perClass.map((m) => m.recall),
      };
      if (f.rule !== rule) return;
      const perChild = ba.perChild.map((e, g) => ({ groupId: children[g].groupId, name: children[g].name, ...e }));
      const extra = { rule, tau: choice.tau, params: f.params, routed: ba.routed, wrong_to_right: ba.wrongToRight, right_to_wrong: ba.rightToWrong, per_child: perChild };
      const ref = { ids: s.ids, labels: s.labels, excludedByReason: s.excludedByReason };
      const parent = evaluatePredictions(ref, s.ids, s.parentProbs) as unknown as EvaluationResult;
      const after = { ...(evaluatePredictions(ref, s.ids, oneHot(r.predicted)) as unknown as EvaluationResult), ...extra };
      if (opts.store !== false && split !== 'dev-test') {
        addEvaluation(db, { modelId: parentId, runId: opts.runId ?? null, split, label: 'parent', result: parent });
        addEvaluation(db, { modelId: parentId, runId: opts.runId ?? null, split, label: 'parent+children', result: after });
      }
      outcome.splits[split] = { split, parent, parentChildren: after, routed: ba.routed, wrongToRight: ba.wrongToRight, rightToWrong: ba.rightToWrong, perChild };
    });
  }
  return outcome;
}
