/** One face under review: its detail, the audit trail of decisions, and the decisions themselves (labels.*). */
import * as v from 'valibot';
import { DATASET_KINDS, SPLITS } from '../domain.ts';
import { classId, int, isoTime, modelId, numbers, obj, oneOf, relabelId, sampleId, str } from './fields.ts';
import { STORED_MODEL_KINDS } from './training.ts';

export const REVIEW_ACTIONS = ['relabel', 'confirm', 'ambiguous', 'not_face'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

const labelOrNull = () => v.nullable(v.number());

/** A suggested label: the model's (out-of-fold) class where it differs from the current label, with its probability. */
export const SuggestionSchema = v.object({ label: v.number(), probability: v.number() });
export type Suggestion = v.InferOutput<typeof SuggestionSchema>;

/** One row of the append-only audit trail. */
export const AuditEntrySchema = v.object({
  id: relabelId(),
  sampleId: sampleId(),
  action: v.picklist([...REVIEW_ACTIONS, 'undo']),
  /** relabel: the new class; not_face: 10; confirm: the label confirmed; ambiguous: an optional lean; undo: the label restored. */
  label: labelOrNull(),
  previousLabel: labelOrNull(),
  /** For an undo: the decision it reverts. */
  revertsId: v.nullable(relabelId()),
  /** For an undone decision: the undo row. */
  undoneById: v.nullable(relabelId()),
  reviewer: v.string(),
  note: v.nullable(v.string()),
  /** The bulk action this row belongs to (e.g. accepting the suggestions of many faces, or undoing that); null for a single decision. */
  batchId: v.nullable(v.number()),
  createdAt: isoTime(),
  /** For an 'ambiguous' decision that says "duplicate of face N": N, the face kept; null otherwise. */
  duplicateOf: v.nullable(sampleId()),
});
export type AuditEntry = v.InferOutput<typeof AuditEntrySchema>;

/** The label state of a face (after a decision). */
export const FaceLabelStateSchema = v.object({
  id: sampleId(),
  givenLabel: labelOrNull(),
  currentLabel: labelOrNull(),
  reviewed: v.boolean(),
  lastAction: v.nullable(v.picklist(REVIEW_ACTIONS)),
});
export type FaceLabelState = v.InferOutput<typeof FaceLabelStateSchema>;

export const FaceScoresSchema = v.object({
  predicted: v.nullable(v.number()),
  klAnnotator: v.nullable(v.number()),
  klParentChild: v.nullable(v.number()),
  voteEntropy: v.nullable(v.number()),
  margin: v.nullable(v.number()),
  maxSoftmax: v.nullable(v.number()),
  selfConfidence: v.nullable(v.number()),
  misclassified: v.nullable(v.boolean()),
  confidentLearningIssue: v.nullable(v.boolean()),
});
export type FaceScores = v.InferOutput<typeof FaceScoresSchema>;

export const FaceModelOutputSchema = v.object({
  modelId: modelId(),
  name: v.string(),
  kind: v.picklist(STORED_MODEL_KINDS),
  /** Length 8 softmax; null when the model has no prediction for this face. */
  probabilities: v.nullable(numbers()),
  /** k-fold index of an out-of-sample prediction, null for a plain one. */
  fold: v.nullable(v.number()),
  /** For a child model: the confusion pair (given -> predicted class) it was trained on. */
  group: v.nullable(v.object({ given: v.number(), predicted: v.number() })),
});
export type FaceModelOutput = v.InferOutput<typeof FaceModelOutputSchema>;

/** Whether and how the face trains, by the same rule as every trainer (core/train/training-targets.ts). */
export const FaceTrainingSchema = v.object({
  included: v.boolean(),
  /** e.g. "trains as anger: a reviewer's decision, over the votes", "left out of training: marked ambiguous by a reviewer". */
  note: v.string(),
});
export type FaceTraining = v.InferOutput<typeof FaceTrainingSchema>;

export const FaceDetailSchema = v.object({
  ...FaceLabelStateSchema.entries,
  split: v.picklist(SPLITS),
  dataset: v.picklist(DATASET_KINDS),
  sourceRef: v.string(),
  width: v.number(),
  height: v.number(),
  originalPath: v.nullable(v.string()),
  valence: v.nullable(v.number()),
  arousal: v.nullable(v.number()),
  /** Identified annotators' labels (reviewers' decisions are in `history`). */
  annotations: v.array(v.object({ annotator: v.string(), label: v.number() })),
  /** Length 12 anonymous vote counts, null when absent. */
  votes: v.nullable(numbers()),
  /** Length 8: the annotators' class labels (votes plus identified annotators) as a distribution; null when none. */
  annotatorDistribution: v.nullable(numbers()),
  /** 1 - share of the most frequent annotator label, null with fewer than two labels. */
  disagreement: v.nullable(v.number()),
  training: FaceTrainingSchema,
  history: v.array(AuditEntrySchema),
  /** The chosen model's output, null without a model. */
  model: v.nullable(FaceModelOutputSchema),
  /**
   * For a train face whose scores came from the k-fold analysis: the out-of-fold prediction (a
   * fold model that never trained on the face), from which its KL, p(given label), margin and
   * predicted class were computed. Null when the scores came from `model` itself.
   */
  outOfFold: v.nullable(FaceModelOutputSchema),
  scores: v.nullable(FaceScoresSchema),
  /** Outputs of the chosen model's children (models whose parent is it). */
  children: v.array(FaceModelOutputSchema),
  /** The chosen model's suggested label (its out-of-fold class for a train face scored so), null where it agrees or without a model. */
  suggested: v.nullable(SuggestionSchema),
  /** The face's free tags, alphabetically. */
  tags: v.array(v.string()),
});
export type FaceDetail = v.InferOutput<typeof FaceDetailSchema>;

export const reviewerName = () => str({ minLength: 1, maxLength: 100 });

export const RelabelParamsSchema = obj({
  sampleId: sampleId(),
  action: oneOf(REVIEW_ACTIONS),
  /** relabel: the new class 0..7 (required); ambiguous: an optional lean; ignored otherwise. */
  label: v.optional(classId()),
  reviewer: reviewerName(),
  note: v.optional(str({ maxLength: 2000 })),
});
export type RelabelParams = v.InferOutput<typeof RelabelParamsSchema>;

export const UndoParamsSchema = obj({
  reviewer: reviewerName(),
  /** The decision to revert; default: the reviewer's latest effective decision (on `sampleId` when given). */
  relabelId: v.optional(relabelId()),
  sampleId: v.optional(sampleId()),
  /** Undo this bulk action (AuditEntry.batchId) as one step. Without any of the three, the latest step: a batch as a whole. */
  batchId: v.optional(int({ min: 1 })),
});
export type UndoParams = v.InferOutput<typeof UndoParamsSchema>;

export const DecisionResultSchema = v.object({
  /** The appended row; null for an undo with nothing left to undo. */
  entry: v.nullable(AuditEntrySchema),
  /** The face's label state afterwards; null when nothing was undone. */
  face: v.nullable(FaceLabelStateSchema),
  /** Every face whose label state the call changed: one, or all faces of a batch undone as one step (then `entry` and `face` are its last). */
  changed: v.array(FaceLabelStateSchema),
});
export type DecisionResult = v.InferOutput<typeof DecisionResultSchema>;
