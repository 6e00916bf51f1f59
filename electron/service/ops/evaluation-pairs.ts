/**
 * Evaluation face by face: the faces behind one confusion-matrix cell (so the Evaluation
 * view opens them in Review), and two models paired on the same faces with McNemar's test
 * of their accuracy difference. Both use the reference labels of ops/evaluation.ts and the
 * stored predictions, so the counts match the matrices the view shows.
 */
import type { EvaluationCellParams, EvaluationLabels, ModelComparison, ModelComparisonParams } from '../../../api/contract.ts';
import type { SampleId, Split } from '../../../api/domain.ts';
import { argmaxRows } from '../../../core/analysis/scores.ts';
import { mcnemar } from '../../../core/metrics/mcnemar.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { referenceLabels } from './evaluation.ts';

/** Each face's predicted class by the model, for the faces it has a prediction on. */
function predictedById(db: ProjectDb, modelId: number, split: Split): Map<number, number> {
  if (!getModel(db, modelId)) throw new Error(`no model ${modelId} in this project`);
  const preds = readPredictions(db, modelId, split);
  if (preds.ids.length === 0) throw new Error(`model ${modelId} has no stored predictions on the ${split} split`);
  const predicted = argmaxRows(preds.probs);
  const out = new Map<number, number>();
  preds.ids.forEach((id, i) => out.set(id, predicted[i]));
  return out;
}

/** The faces (id order) whose reference class is `truth` and which the model predicts as `predicted`. */
export function cellFaces(db: ProjectDb, p: EvaluationCellParams): SampleId[] {
  const predicted = predictedById(db, p.modelId, p.split);
  const ref = referenceLabels(db, p.split, p.labels);
  const out: SampleId[] = [];
  ref.ids.forEach((id, i) => {
    if (ref.labels[i] === p.truth && predicted.get(id) === p.predicted) out.push(id as SampleId);
  });
  return out;
}

/** The 2x2 table of right / wrong of two models on the faces both were evaluated on, with McNemar's test. */
export function compareModels(db: ProjectDb, p: ModelComparisonParams): ModelComparison {
  if (p.modelId === p.otherModelId) throw new Error(`compare two different models (got ${p.modelId} twice)`);
  const first = predictedById(db, p.modelId, p.split);
  const other = predictedById(db, p.otherModelId, p.split);
  const ref = referenceLabels(db, p.split, p.labels as EvaluationLabels);
  let bothRight = 0;
  let onlyFirst = 0;
  let onlyOther = 0;
  let bothWrong = 0;
  ref.ids.forEach((id, i) => {
    const truth = ref.labels[i];
    const a = first.get(id);
    const b = other.get(id);
    if (truth < 0 || a === undefined || b === undefined) return;
    if (a === truth && b === truth) bothRight++;
    else if (a === truth) onlyFirst++;
    else if (b === truth) onlyOther++;
    else bothWrong++;
  });
  const n = bothRight + onlyFirst + onlyOther + bothWrong;
  const accuracy = n ? (bothRight + onlyFirst) / n : 0;
  const otherAccuracy = n ? (bothRight + onlyOther) / n : 0;
  const t = mcnemar(onlyFirst, onlyOther);
  return {
    modelId: p.modelId,
    otherModelId: p.otherModelId,
    split: p.split,
    labels: p.labels,
    n,
    bothRight,
    onlyFirstRight: onlyFirst,
    onlyOtherRight: onlyOther,
    bothWrong,
    accuracy,
    otherAccuracy,
    // From the counts, so the points are exact (not a difference of two rounded shares).
    differencePoints: n ? ((onlyOther - onlyFirst) / n) * 100 : 0,
    test: { method: t.method, statistic: t.statistic, pValue: t.pValue },
  };
}
