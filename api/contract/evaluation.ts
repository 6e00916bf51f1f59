/** Evaluation of a model on a split: accuracy, per-class figures and the confusion matrix. */
import * as v from 'valibot';
import { CLASS_NAMES, SPLITS } from '../domain.ts';
import { classId, figures, isoTime, modelId, numbers, obj, oneOf, sampleId, split } from './fields.ts';

export const ClassMetricsSchema = v.object({
  class: v.picklist(CLASS_NAMES),
  precision: v.number(),
  recall: v.number(),
  f1: v.number(),
  support: v.number(),
});
export type ClassMetrics = v.InferOutput<typeof ClassMetricsSchema>;

/** Which reference labels a figure is measured against. */
export const EVALUATION_LABELS = ['published', 'current'] as const;
export type EvaluationLabels = (typeof EVALUATION_LABELS)[number];

/** A model's figures on a split against one set of reference labels. */
export const EvaluationFiguresSchema = v.object({
  accuracy: v.number(),
  per_class: v.array(ClassMetricsSchema),
  /** 8x8, rows = true class, columns = predicted class. */
  confusion: v.array(numbers()),
  n_evaluated: v.number(),
  /** Faces of the split not evaluated (no majority, marked ambiguous, no prediction, ...). */
  n_excluded: v.number(),
  excluded_by_reason: figures(),
});
export type EvaluationFigures = v.InferOutput<typeof EvaluationFiguresSchema>;

/**
 * Its top-level figures are against the published labels (the FER+ majority protocol where
 * faces have votes, comparable with the literature); `current` against the labels after review.
 */
export const EvaluationResultSchema = v.object({
  id: v.number(),
  modelId: modelId(),
  split: v.picklist(SPLITS),
  /** Figures against the current labels (after review); null for results stored before they were kept. */
  current: v.optional(v.nullable(EvaluationFiguresSchema)),
  /** Faces whose current reference label differs from the published one (relabelled or excluded by review). */
  n_label_changes: v.optional(v.number()),
  /**
   * "Leak-free" figures: the same, without the faces that have a byte-identical twin in an
   * earlier split (valid: in train; test: in train or valid). Null on train; absent on results
   * stored before it was computed.
   */
  leakFree: v.optional(v.nullable(v.object({ twins: v.number(), published: EvaluationFiguresSchema, current: EvaluationFiguresSchema }))),
  /** The figures against the published labels. */
  ...EvaluationFiguresSchema.entries,
  createdAt: isoTime(),
});
export type EvaluationResult = v.InferOutput<typeof EvaluationResultSchema>;

/** The faces of one confusion-matrix cell: reference class `truth`, predicted `predicted`. */
export const EvaluationCellParamsSchema = obj({
  modelId: modelId(),
  split: split(),
  labels: oneOf(EVALUATION_LABELS),
  truth: classId(),
  predicted: classId(),
});
export type EvaluationCellParams = v.InferOutput<typeof EvaluationCellParamsSchema>;

export const ModelComparisonParamsSchema = obj({ modelId: modelId(), otherModelId: modelId(), split: split(), labels: oneOf(EVALUATION_LABELS) });
export type ModelComparisonParams = v.InferOutput<typeof ModelComparisonParamsSchema>;

/**
 * Two models on the faces both were evaluated on (same reference labels), paired face by
 * face, with McNemar's test of the accuracy difference (exact binomial below 25 discordant
 * faces, chi-square with continuity correction from 25 on).
 */
export const ModelComparisonSchema = v.object({
  modelId: modelId(),
  otherModelId: modelId(),
  split: v.picklist(SPLITS),
  labels: v.picklist(EVALUATION_LABELS),
  /** Faces with a reference label and a prediction of both models. */
  n: v.number(),
  bothRight: v.number(),
  /** modelId right, otherModelId wrong. */
  onlyFirstRight: v.number(),
  /** otherModelId right, modelId wrong. */
  onlyOtherRight: v.number(),
  bothWrong: v.number(),
  accuracy: v.number(),
  otherAccuracy: v.number(),
  /** otherAccuracy - accuracy in percentage points. */
  differencePoints: v.number(),
  test: v.object({ method: v.picklist(['exact binomial', 'chi-square with continuity correction']), statistic: v.nullable(v.number()), pValue: v.number() }),
});
export type ModelComparison = v.InferOutput<typeof ModelComparisonSchema>;

export const evaluationRequests = {
  'evaluation.run': { params: obj({ modelId: modelId(), split: split() }), result: EvaluationResultSchema },
  'evaluation.list': { params: obj({ modelId: v.optional(modelId()) }), result: v.array(EvaluationResultSchema) },
  'evaluation.cellFaces': { params: EvaluationCellParamsSchema, result: v.object({ sampleIds: v.array(sampleId()) }) },
  'evaluation.compare': { params: ModelComparisonParamsSchema, result: ModelComparisonSchema },
};
