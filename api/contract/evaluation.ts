/** Evaluation of a model on a split: accuracy, per-class figures and the confusion matrix. */
import * as v from 'valibot';
import { CLASS_NAMES, SPLITS } from '../domain.ts';
import { figures, isoTime, modelId, numbers, obj, split } from './fields.ts';

export const ClassMetricsSchema = v.object({
  class: v.picklist(CLASS_NAMES),
  precision: v.number(),
  recall: v.number(),
  f1: v.number(),
  support: v.number(),
});
export type ClassMetrics = v.InferOutput<typeof ClassMetricsSchema>;

export const EvaluationResultSchema = v.object({
  id: v.number(),
  modelId: modelId(),
  split: v.picklist(SPLITS),
  accuracy: v.number(),
  per_class: v.array(ClassMetricsSchema),
  /** 8x8, rows = true class, columns = predicted class. */
  confusion: v.array(numbers()),
  n_evaluated: v.number(),
  /** Faces of the split not evaluated (non-class or missing current label, ...). */
  n_excluded: v.number(),
  excluded_by_reason: figures(),
  createdAt: isoTime(),
});
export type EvaluationResult = v.InferOutput<typeof EvaluationResultSchema>;

export const evaluationRequests = {
  'evaluation.run': { params: obj({ modelId: modelId(), split: split() }), result: EvaluationResultSchema },
  'evaluation.list': { params: obj({ modelId: v.optional(modelId()) }), result: v.array(EvaluationResultSchema) },
};
