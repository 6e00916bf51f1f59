/**
 * The face map (README "Face map"): every face placed in 2-D from a model's penultimate
 * features (UMAP) or, before any model exists, from its pixels (PCA). Computed by a job in a
 * worker with progress events; stored in the project per model and method.
 */
import * as v from 'valibot';
import { CancelledSchema, JOB_STATUSES, NoParamsSchema, int, isoTime, jobId, modelId, obj, oneOf } from './fields.ts';
import { REVIEW_SORTS } from './review.ts';

export const MAP_METHODS = ['pca-pixels', 'umap-features'] as const;
export type MapMethod = (typeof MAP_METHODS)[number];

export const MapStartParamsSchema = obj({
  /** Whose penultimate features to lay out (UMAP); null: the pixels (PCA), no model needed. */
  modelId: v.nullable(modelId()),
  /** Seed of the layout (default 1): the same faces, model and seed give the same map. */
  seed: v.optional(int({ min: 0, max: 2 ** 31 - 1 })),
});
export type MapStartParams = v.InferOutput<typeof MapStartParamsSchema>;

export const MapProgressEventSchema = v.object({
  jobId: v.string(),
  modelId: v.nullable(modelId()),
  /** 'load', 'features', 'pca', 'neighbours', 'layout', 'save'. */
  stage: v.string(),
  message: v.string(),
  done: v.number(),
  total: v.nullable(v.number()),
});
export type MapProgressEvent = v.InferOutput<typeof MapProgressEventSchema>;

export const MapDoneEventSchema = v.object({
  jobId: v.string(),
  modelId: v.nullable(modelId()),
  status: v.picklist(JOB_STATUSES),
  error: v.nullable(v.string()),
  seconds: v.number(),
});
export type MapDoneEvent = v.InferOutput<typeof MapDoneEventSchema>;

/** A stored map without its points. */
export const MapInfoSchema = v.object({
  modelId: v.nullable(modelId()),
  method: v.picklist(MAP_METHODS),
  seed: v.number(),
  faces: v.number(),
  /** Computation time in seconds. */
  seconds: v.number(),
  createdAt: isoTime(),
});
export type MapInfo = v.InferOutput<typeof MapInfoSchema>;

/** Model scores a map can be coloured by (the review queue's model sorts). */
export const MAP_SCORES = ['kl_annotator', 'kl_parent_child', 'vote_entropy', 'margin', 'max_softmax', 'self_confidence'] as const satisfies readonly (typeof REVIEW_SORTS)[number][];
export type MapScore = (typeof MAP_SCORES)[number];

export const MapGetParamsSchema = obj({
  modelId: v.nullable(modelId()),
  /** Also the model's predicted class per face (needs modelId or `labelsOf`). */
  labelsOf: v.optional(v.nullable(modelId())),
  /** Also this score of `labelsOf` (or modelId) per face. */
  score: v.optional(oneOf(MAP_SCORES)),
});
export type MapGetParams = v.InferOutput<typeof MapGetParamsSchema>;

const column = () => v.array(v.nullable(v.number()));

/** A map's points in parallel arrays (compact for 300,000 faces), ascending by id. */
export const FaceMapSchema = v.object({
  info: MapInfoSchema,
  ids: v.array(v.number()),
  x: v.array(v.number()),
  y: v.array(v.number()),
  /** Per face: given label code, current label code (after review), predicted class (null without a model). */
  given: column(),
  current: column(),
  predicted: column(),
  /** The requested score per face (null where the model has none), or null when none was asked. */
  score: v.nullable(column()),
});
export type FaceMap = v.InferOutput<typeof FaceMapSchema>;

/** Current labels of the faces of a map, to recolour it after relabels without reloading the points. */
export const MapLabelsSchema = v.object({ ids: v.array(v.number()), current: column() });
export type MapLabels = v.InferOutput<typeof MapLabelsSchema>;

export const faceMapRequests = {
  'map.start': { params: MapStartParamsSchema, result: v.object({ jobId: v.string() }) },
  'map.cancel': { params: obj({ jobId: jobId() }), result: CancelledSchema },
  'map.list': { params: NoParamsSchema, result: v.array(MapInfoSchema) },
  'map.get': { params: MapGetParamsSchema, result: v.nullable(FaceMapSchema) },
  'map.currentLabels': { params: NoParamsSchema, result: MapLabelsSchema },
};
