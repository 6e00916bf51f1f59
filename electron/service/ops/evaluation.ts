/**
 * Evaluating a model on a split from its stored predictions. The reference label of a face is
 * the FER+ majority of its votes when it has votes (METHOD.md 1: a class holding more than
 * half of the votes; faces without one, or where unknown / not-a-face wins, are left out and
 * counted by reason), otherwise its current label (the given label after review decisions);
 * faces whose current label is not one of the 8 classes are left out as well.
 */
import type { EvaluationResult } from '../../../api/contract.ts';
import { CLASS_NAMES, NUM_CLASSES, NUM_LABEL_CODES, isClassLabel, type ModelId, type Split } from '../../../api/domain.ts';
import { argmaxRows } from '../../../core/analysis/scores.ts';
import { reportFromConfusion, confusionMatrix } from '../../../core/metrics/classification.ts';
import { ferplusMajorityLabels } from '../../../core/metrics/ferplus-protocol.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { addEvaluation, listEvaluations as listStored, type Evaluation } from '../../../db/evaluation-store.ts';
import { votesForSplit } from '../../../db/label-agreement.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { currentLabels } from '../../../db/relabel-store.ts';

export interface ReferenceLabels {
  /** Sample ids in id order. */
  ids: Int32Array;
  /** Class 0..7, or -1 when the face is left out. */
  labels: Int32Array;
  excludedByReason: Record<string, number>;
}

/** The label each face of a split is evaluated against, and why the others are left out. */
export function referenceLabels(db: ProjectDb, split: Split): ReferenceLabels {
  const v = votesForSplit(db, split);
  const cur = currentLabels(db, split);
  const curById = new Map<number, number>();
  for (let i = 0; i < cur.ids.length; i++) curById.set(cur.ids[i], cur.labels[i]);
  const majority = ferplusMajorityLabels(v.votes);
  const labels = new Int32Array(v.ids.length);
  const excluded: Record<string, number> = {};
  const count = (reason: string) => (excluded[reason] = (excluded[reason] ?? 0) + 1);
  for (let i = 0; i < v.ids.length; i++) {
    if (v.hasVotes[i]) {
      labels[i] = majority.labels[i];
      if (labels[i] < 0) count(voteExclusionReason(v.votes, i));
    } else {
      const l = curById.get(v.ids[i]);
      labels[i] = isClassLabel(l) ? l : -1;
      if (labels[i] < 0) count('no class label');
    }
  }
  return { ids: v.ids, labels, excludedByReason: excluded };
}

function voteExclusionReason(votes: Float32Array, i: number): string {
  const row = votes.subarray(i * NUM_LABEL_CODES, (i + 1) * NUM_LABEL_CODES);
  const total = row.reduce((a, b) => a + b, 0);
  if (total === 0) return 'no votes';
  let best = 0;
  for (let c = 1; c < NUM_LABEL_CODES; c++) if (row[c] > row[best]) best = c;
  if (row[best] * 2 <= total) return 'no majority';
  return best === 10 ? 'not a face' : best === 11 ? 'unknown' : 'non-class majority';
}

/** Accuracy, per-class figures and confusion of predicted classes against reference labels. */
export function evaluatePredictions(ref: ReferenceLabels, predIds: Int32Array, probs: Float32Array): Omit<EvaluationResult, 'id' | 'modelId' | 'split' | 'createdAt'> {
  const predicted = argmaxRows(probs);
  const predById = new Map<number, number>();
  for (let i = 0; i < predIds.length; i++) predById.set(predIds[i], predicted[i]);
  const truth: number[] = [];
  const pred: number[] = [];
  const excluded = { ...ref.excludedByReason };
  for (let i = 0; i < ref.ids.length; i++) {
    if (ref.labels[i] < 0) continue;
    const p = predById.get(ref.ids[i]);
    if (p === undefined) {
      excluded['no prediction'] = (excluded['no prediction'] ?? 0) + 1;
      continue;
    }
    truth.push(ref.labels[i]);
    pred.push(p);
  }
  const report = reportFromConfusion(confusionMatrix(truth, pred));
  const confusion: number[][] = [];
  for (let r = 0; r < NUM_CLASSES; r++) confusion.push(Array.from(report.confusion.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES)));
  return {
    accuracy: report.accuracy,
    per_class: report.perClass.map((m, c) => ({ class: CLASS_NAMES[c], precision: m.precision, recall: m.recall, f1: m.f1, support: m.support })),
    confusion,
    n_evaluated: truth.length,
    n_excluded: Object.values(excluded).reduce((a, b) => a + b, 0),
    excluded_by_reason: excluded,
  };
}

export async function evaluateModel(db: ProjectDb, modelId: ModelId, split: Split, label = 'model'): Promise<EvaluationResult> {
  const model = getModel(db, modelId);
  if (!model) throw new Error(`no model ${modelId} in this project`);
  const preds = readPredictions(db, modelId, split);
  if (preds.ids.length === 0) throw new Error(`model ${modelId} has no stored predictions on the ${split} split`);
  const result = evaluatePredictions(referenceLabels(db, split), preds.ids, preds.probs);
  const id = addEvaluation(db, { modelId, runId: model.runId, split, label, result });
  return { id, modelId, split, createdAt: new Date().toISOString(), ...result };
}

export function listEvaluations(db: ProjectDb, modelId?: ModelId): EvaluationResult[] {
  return listStored(db, { modelId }).map(toResult);
}

function toResult(e: Evaluation): EvaluationResult {
  const r = e.result as unknown as Omit<EvaluationResult, 'id' | 'modelId' | 'split' | 'createdAt'>;
  return { ...r, id: e.id, modelId: e.modelId, split: e.split, createdAt: e.createdAt };
}
