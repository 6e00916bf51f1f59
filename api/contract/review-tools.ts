/**
 * Tools around the review queue: accepting suggested labels in bulk (one batch, one undo
 * step), free tags on faces, and saved views (a queue's filters, order and position under a
 * name, stored in the project).
 */
import * as v from 'valibot';
import { NoParamsSchema, arrayOf, int, isoTime, modelId, obj, sampleId, str } from './fields.ts';
import { FaceLabelStateSchema, reviewerName } from './review-face.ts';
import { ReviewQuerySchema } from './review.ts';

/** Most faces one bulk action may touch. */
export const MAX_BULK_FACES = 10_000;

export const AcceptSuggestionsParamsSchema = obj({
  reviewer: reviewerName(),
  /** Whose suggestions (the model the queue is reviewed against). */
  modelId: modelId(),
  /** These faces (a selection); or `top`. */
  sampleIds: v.optional(arrayOf(sampleId(), { minLength: 1, maxLength: MAX_BULK_FACES })),
  /** The first k faces of this queue in its order (cleanlab's "fix the top k"); faces without a suggestion among them are left as they are. */
  top: v.optional(obj({ query: ReviewQuerySchema, k: int({ min: 1, max: MAX_BULK_FACES }) })),
  note: v.optional(str({ maxLength: 2000 })),
});
export type AcceptSuggestionsParams = v.InferOutput<typeof AcceptSuggestionsParamsSchema>;

export const AcceptSuggestionsResultSchema = v.object({
  /** The batch of the audit trail (undo it with labels.undo {batchId}); null when no face had a suggestion. */
  batchId: v.nullable(v.number()),
  /** Faces relabelled to their suggestion. */
  changed: v.array(FaceLabelStateSchema),
  /** Faces asked for that had no suggestion (the model agrees with their label, or has no score for them). */
  skipped: v.number(),
});
export type AcceptSuggestionsResult = v.InferOutput<typeof AcceptSuggestionsResultSchema>;

export const TagParamsSchema = obj({ sampleIds: arrayOf(sampleId(), { minLength: 1, maxLength: MAX_BULK_FACES }), tag: str({ minLength: 1, maxLength: 100 }) });
export type TagParams = v.InferOutput<typeof TagParamsSchema>;

export const TagCountSchema = v.object({ tag: v.string(), count: v.number() });

const viewName = () => str({ minLength: 1, maxLength: 100 });

/** A saved view: a queue (model, order, filters) and the face it was at. */
export const SavedViewSchema = v.object({
  name: v.string(),
  query: ReviewQuerySchema,
  sampleId: v.nullable(sampleId()),
  index: v.number(),
  updatedAt: isoTime(),
});
export type SavedView = v.InferOutput<typeof SavedViewSchema>;

export const SaveViewParamsSchema = obj({ name: viewName(), query: ReviewQuerySchema, sampleId: v.nullable(sampleId()), index: int({ min: 0 }) });
export type SaveViewParams = v.InferOutput<typeof SaveViewParamsSchema>;

export const reviewToolRequests = {
  'labels.acceptSuggestions': { params: AcceptSuggestionsParamsSchema, result: AcceptSuggestionsResultSchema },
  'faces.addTag': { params: TagParamsSchema, result: v.object({ added: v.number() }) },
  'faces.removeTag': { params: TagParamsSchema, result: v.object({ removed: v.number() }) },
  'faces.tags': { params: NoParamsSchema, result: v.array(TagCountSchema) },
  'views.list': { params: NoParamsSchema, result: v.array(SavedViewSchema) },
  'views.save': { params: SaveViewParamsSchema, result: SavedViewSchema },
  'views.delete': { params: obj({ name: viewName() }), result: v.object({ deleted: v.boolean() }) },
};
