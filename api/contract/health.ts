/** Dataset health (issue 13): exact and near duplicates within and across splits, image checks, outlier scores. */
import * as v from 'valibot';
import { NoParamsSchema, int, isoTime, modelId, obj, oneOf, sampleId, str } from './fields.ts';
import { AuditEntrySchema, FaceLabelStateSchema, reviewerName } from './review-face.ts';

/** Most bits two perceptual hashes may differ in and still count as near-duplicates (core/health/near-duplicates.ts). */
export const HEALTH_MAX_NEAR_THRESHOLD = 12;

const perSplit = () => v.object({ train: v.number(), valid: v.number(), test: v.number() });
const crossSplit = () => v.object({ 'train+valid': v.number(), 'train+test': v.number(), 'valid+test': v.number(), 'train+valid+test': v.number() });

export const HealthSummarySchema = v.object({
  faces: v.number(),
  exactDuplicates: v.object({
    /** Groups of 2+ faces with byte-identical pixels. */
    groups: v.number(),
    /** Faces beyond the first of each group. */
    redundantFaces: v.number(),
    /** Groups inside one split. */
    withinSplit: perSplit(),
    /** Groups spanning exactly these splits. */
    crossSplit: crossSplit(),
  }),
  nearDuplicates: v.object({
    /** Pairs of faces (exact duplicates counted once, blank faces left out) whose pHashes differ in <= threshold bits. */
    pairs: v.number(),
    threshold: v.number(),
    /** Pairs with both faces in one split. */
    withinSplit: perSplit(),
    /** Pairs across two splits. */
    crossSplit: v.object({ 'train+valid': v.number(), 'train+test': v.number(), 'valid+test': v.number() }),
  }),
  outliers: v.object({
    scored: v.number(),
    /**
     * What ranks `top`: 'free-energy' (of the first RBM layer of `modelId`, an Adaptive DBN) when
     * the project has one, else 'pixel-centroid' (distance of the z-scored pixels to the mean face).
     */
    score: v.string(),
    modelId: v.nullable(modelId()),
    /** The most outlying faces first. */
    top: v.array(sampleId()),
  }),
  imageChecks: v.object({
    blank: v.number(),
    lowContrast: v.number(),
    dark: v.number(),
    thresholds: v.object({ blankMaxStd: v.number(), lowContrastMaxStd: v.number(), darkMaxMean: v.number() }),
  }),
  /**
   * How well each score finds the faces annotators voted "not a face" (FER+ NF votes), when the
   * project has such votes: AUROC per score over the faces with votes, 0.5 = chance, below 0.5 =
   * the score points the other way. `definition` says which faces count as positives.
   */
  notFace: v.nullable(
    v.object({ definition: v.string(), positives: v.number(), negatives: v.number(), auroc: v.record(v.string(), v.nullable(v.number())) }),
  ),
  seconds: v.number(),
});
export type HealthSummary = v.InferOutput<typeof HealthSummarySchema>;

/** Progress of `health.compute`: hashing faces not hashed yet, then duplicates, then outlier scores (each done of total). */
export const HealthProgressEventSchema = v.object({ stage: v.picklist(['hash', 'duplicates', 'outliers']), done: v.number(), total: v.number() });
export type HealthProgressEvent = v.InferOutput<typeof HealthProgressEventSchema>;

export const HealthReportSchema = v.object({ id: v.number(), createdAt: isoTime(), summary: HealthSummarySchema });
export type HealthReport = v.InferOutput<typeof HealthReportSchema>;

export const HealthComputeParamsSchema = obj({
  /** Near-duplicate Hamming threshold in bits (default 4). */
  nearThreshold: v.optional(int({ min: 0, max: HEALTH_MAX_NEAR_THRESHOLD })),
  /** Adaptive DBN (or DBN) whose first RBM layer scores outliers; default the latest Adaptive DBN of the project, none without one. */
  modelId: v.optional(modelId()),
});
export type HealthComputeParams = v.InferOutput<typeof HealthComputeParamsSchema>;

export const HEALTH_FINDINGS = ['exactDuplicates', 'crossSplitDuplicates', 'nearDuplicates', 'blank', 'lowContrast', 'dark', 'outliers'] as const;
export type HealthFinding = (typeof HEALTH_FINDINGS)[number];

export const HealthFacesParamsSchema = obj({ finding: oneOf(HEALTH_FINDINGS) });

/** Keep one face of an exact-duplicate group: each of its byte-identical twins gets a "duplicate of `keep`" decision. */
export const KeepOneParamsSchema = obj({
  keep: sampleId(),
  reviewer: reviewerName(),
  note: v.optional(str({ maxLength: 2000 })),
});
export type KeepOneParams = v.InferOutput<typeof KeepOneParamsSchema>;

export const KeepOneResultSchema = v.object({
  kept: sampleId(),
  /** The decisions appended, one per twin not already marked a duplicate of `kept`. */
  decisions: v.array(AuditEntrySchema),
  /** Every twin of `kept` (byte-identical pixels), ascending. */
  twins: v.array(sampleId()),
  /** The twins' label state afterwards, in `twins` order (for the review queue's tiles). */
  faces: v.array(FaceLabelStateSchema),
});
export type KeepOneResult = v.InferOutput<typeof KeepOneResultSchema>;

export const healthRequests = {
  /** Computes (hashing faces not yet hashed) and stores a new report. */
  'health.compute': { params: HealthComputeParamsSchema, result: HealthReportSchema },
  /** The latest stored report, or null. */
  'health.latest': { params: NoParamsSchema, result: v.nullable(HealthReportSchema) },
  /** The faces behind one finding of the latest report, in the report's order (duplicate groups together). */
  'health.faces': { params: HealthFacesParamsSchema, result: v.object({ sampleIds: v.array(sampleId()) }) },
  /** The faces with exactly the stored pixels of `sampleId`, ascending, among the faces hashed so far (by a health check). */
  'health.twins': { params: obj({ sampleId: sampleId() }), result: v.object({ twins: v.array(sampleId()) }) },
  /** Keeps one face of its exact-duplicate group; the others leave training ("duplicate of face N" in the audit trail). */
  'health.keepOne': { params: KeepOneParamsSchema, result: KeepOneResultSchema },
};
