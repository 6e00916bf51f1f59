/** The review queue (faces.*) and the decisions taken on its faces (labels.*; shapes in ./review-face.ts). */
import * as v from 'valibot';
import { SPLITS, SPLITS_AND_DEV_TEST } from '../domain.ts';
import { NoParamsSchema, arrayOf, bool, classId, int, isoTime, labelCode, modelId, num, obj, oneOf, sampleId, str } from './fields.ts';
import { DecisionResultSchema, FaceDetailSchema, REVIEW_ACTIONS, RelabelParamsSchema, SuggestionSchema, UndoParamsSchema, reviewerName } from './review-face.ts';
import { STORED_MODEL_KINDS } from './training.ts';

/**
 * Orders of the review queue. Model scores (METHOD.md 5) need a model with scores:
 * `kl_annotator` = KL(annotators || model) and `kl_parent_child` in nats, largest first;
 * `vote_entropy` largest first; `margin`, `max_softmax`, `self_confidence`, `crowdlab` (CROWDLAB
 * consensus quality of the given label) and `normalized_margin` (of the given label) smallest first.
 * Without a model: `disagreement` = 1 - (share of the face's most frequent annotator label),
 * in [0, 1], largest first (anonymous votes, else identified annotators); `id` = import order.
 */
export const REVIEW_SORTS = ['kl_annotator', 'kl_parent_child', 'vote_entropy', 'margin', 'max_softmax', 'self_confidence', 'crowdlab', 'normalized_margin', 'disagreement', 'id'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];
/** Sorts read from the scores of a model (the others need none). */
export const MODEL_REVIEW_SORTS = ['kl_annotator', 'kl_parent_child', 'vote_entropy', 'margin', 'max_softmax', 'self_confidence', 'crowdlab', 'normalized_margin'] as const satisfies readonly ReviewSort[];

/** Longest list of faces one view may hand to the review queue. */
const MAX_REVIEW_LIST = 50_000;

/** A range on one of the model's scores: min <= score <= max (either bound optional; needs a model). */
export const ScoreRangeSchema = obj({ score: oneOf(MODEL_REVIEW_SORTS), min: v.optional(num()), max: v.optional(num()) });
export type ScoreRange = v.InferOutput<typeof ScoreRangeSchema>;

export const ReviewFilterSchema = obj({
  /**
   * A split, or 'dev-test': only the train faces carved out for measurement (carve-dev-test).
   * Without it, and with 'train', the dev-test faces are left out: review never leads to faces
   * that must stay untouched unless asked for by name.
   */
  split: v.optional(oneOf(SPLITS_AND_DEV_TEST)),
  givenLabel: v.optional(labelCode()),
  currentLabel: v.optional(labelCode()),
  /** The model's predicted class (needs a model). With givenLabel: one confusion pair. */
  predicted: v.optional(classId()),
  /** true: the predicted class differs from the given label (needs a model). */
  misclassified: v.optional(bool()),
  /** true: only faces with a review decision; false: only faces without. */
  reviewed: v.optional(bool()),
  /** true: only faces whose annotators (votes or identified) do not all agree. */
  disagreement: v.optional(bool()),
  /** Only faces that carry this free tag. */
  tag: v.optional(str({ minLength: 1, maxLength: 100 })),
  /** Only faces whose scores lie in every range (needs a model). */
  ranges: v.optional(arrayOf(ScoreRangeSchema, { maxLength: MODEL_REVIEW_SORTS.length })),
  /**
   * true: only faces in an exact-duplicate group (another face has the same stored pixels);
   * false: only faces without. Faces are hashed by the dataset-health check: before it, none is in a group.
   */
  duplicate: v.optional(bool()),
});
export type ReviewFilter = v.InferOutput<typeof ReviewFilterSchema>;

/** What a queue shows: a model's scores (or none), an order and a filter; or a given list of faces. */
export const ReviewQuerySchema = obj({
  modelId: v.nullable(modelId()),
  sort: oneOf(REVIEW_SORTS),
  filter: ReviewFilterSchema,
  /** Exactly these faces in this order (handed over by another view), instead of order and filter. */
  list: v.optional(obj({ title: str({ maxLength: 500 }), ids: arrayOf(sampleId(), { maxLength: MAX_REVIEW_LIST }) })),
});
export type ReviewQuery = v.InferOutput<typeof ReviewQuerySchema>;

/** Keyset position in a queue: the sort value and id of the last face of a page. */
export const ReviewCursorSchema = obj({ value: num(), sampleId: sampleId() });
export type ReviewCursor = v.InferOutput<typeof ReviewCursorSchema>;

export const FaceListParamsSchema = obj({
  /** Whose scores to sort by; required by the model sorts and filters. */
  modelId: v.optional(modelId()),
  sort: oneOf(REVIEW_SORTS),
  filter: v.optional(ReviewFilterSchema),
  /** List exactly these faces in this order (filter and order are then not applied; page with offset). */
  ids: v.optional(arrayOf(sampleId(), { maxLength: MAX_REVIEW_LIST })),
  /** Continue after this face (the previous page's `next`): the fast way to page. */
  after: v.optional(ReviewCursorSchema),
  /** Start the page at this face (or at the next one when it left the queue), e.g. to resume; `offset` says its index. */
  startAt: v.optional(sampleId()),
  /** Start at this index (a jump; costs a scan of the skipped rows). */
  offset: v.optional(int({ min: 0 })),
  limit: v.optional(int({ min: 1, max: 1000 })),
  /** Also count the queue's faces and how many of them are reviewed (one scan: ask on the first page). */
  withCounts: v.optional(bool()),
});
export type FaceListParams = v.InferOutput<typeof FaceListParamsSchema>;

export const FaceListItemSchema = v.object({
  id: sampleId(),
  split: v.picklist(SPLITS),
  givenLabel: v.nullable(v.number()),
  currentLabel: v.nullable(v.number()),
  /** The model's predicted class, null without a model. */
  predicted: v.nullable(v.number()),
  /** The sort value (see ReviewSort), null for `id`. */
  score: v.nullable(v.number()),
  reviewed: v.boolean(),
  lastAction: v.nullable(v.picklist(REVIEW_ACTIONS)),
  /** The model's probability of its predicted class (top softmax), null without a model. */
  predictedProbability: v.nullable(v.number()),
  /** The model's suggested label (api/suggestion.ts), null without a model or where it agrees with the current label. */
  suggested: v.nullable(SuggestionSchema),
});
export type FaceListItem = v.InferOutput<typeof FaceListItemSchema>;

export const FaceListSchema = v.object({
  /** Index in the queue of items[0]; -1 for a page read with `after` (the caller knows where it continues). */
  offset: v.number(),
  items: v.array(FaceListItemSchema),
  /** Cursor for the following page; null at the end. */
  next: v.nullable(ReviewCursorSchema),
  counts: v.nullable(v.object({ total: v.number(), reviewed: v.number() })),
  /** The order in words, e.g. "KL(annotators ‖ model #3), largest first". */
  orderLabel: v.string(),
});
export type FaceList = v.InferOutput<typeof FaceListSchema>;

/** A model offered to the review queue, with the scores it has. */
export const ReviewModelOptionSchema = v.object({
  id: modelId(),
  name: v.string(),
  kind: v.picklist(STORED_MODEL_KINDS),
  parentModelId: v.nullable(modelId()),
  /** Model sorts with at least one score for this model. */
  sorts: v.array(v.picklist(REVIEW_SORTS)),
  createdAt: isoTime(),
});
export type ReviewModelOption = v.InferOutput<typeof ReviewModelOptionSchema>;

export const ReviewOptionsSchema = v.object({
  /** Models with scores, newest first. */
  models: v.array(ReviewModelOptionSchema),
  /** METHOD.md 5: the newest scored model (preferring one with kl_annotator); null when none. */
  defaultModelId: v.nullable(modelId()),
  /** crowdlab, else kl_annotator, else kl_parent_child, else margin; without scores: disagreement, else id. */
  defaultSort: v.picklist(REVIEW_SORTS),
  /** Why the default order is the default, in words for the Review view. */
  defaultReason: v.string(),
  /** Whether any face carries two or more annotator labels (what `disagreement` needs). */
  hasAnnotatorLabels: v.boolean(),
});
export type ReviewOptions = v.InferOutput<typeof ReviewOptionsSchema>;

/** Where a reviewer stopped: the query and the face, saved on every move. */
export const ReviewQueueStateSchema = v.object({
  query: ReviewQuerySchema,
  sampleId: v.nullable(sampleId()),
  index: v.number(),
  updatedAt: isoTime(),
});
export type ReviewQueueState = v.InferOutput<typeof ReviewQueueStateSchema>;

export const SaveQueueStateParamsSchema = obj({
  reviewer: reviewerName(),
  query: ReviewQuerySchema,
  sampleId: v.nullable(sampleId()),
  index: int({ min: 0 }),
});
export type SaveQueueStateParams = v.InferOutput<typeof SaveQueueStateParamsSchema>;

export const reviewRequests = {
  'faces.reviewOptions': { params: NoParamsSchema, result: ReviewOptionsSchema },
  'faces.listForReview': { params: FaceListParamsSchema, result: FaceListSchema },
  'faces.get': { params: obj({ id: sampleId(), modelId: v.optional(modelId()) }), result: FaceDetailSchema },
  'faces.getQueueState': { params: obj({ reviewer: reviewerName() }), result: v.nullable(ReviewQueueStateSchema) },
  'faces.saveQueueState': { params: SaveQueueStateParamsSchema, result: v.object({ saved: v.literal(true) }) },
  'labels.relabel': { params: RelabelParamsSchema, result: DecisionResultSchema },
  'labels.undo': { params: UndoParamsSchema, result: DecisionResultSchema },
};
