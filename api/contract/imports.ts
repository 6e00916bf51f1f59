/** Dataset imports: a job per import, its report (accepted, skipped, rejected rows) and progress. */
import * as v from 'valibot';
import { DATASET_KINDS, type ImportIssue } from '../domain.ts';
import { CancelledSchema, JOB_STATUSES, NoParamsSchema, bool, filePath, int, isoTime, jobId, modelId, obj, oneOf, str } from './fields.ts';
import { SPLITS } from '../domain.ts';

export const ImportOptionsSchema = obj({
  /** Reject the whole import on the first bad row instead of reporting and skipping it. */
  strict: v.optional(bool()),
  /** Side of the square grey image stored per face (default: the project's input size). */
  size: v.optional(int({ min: 8, max: 512 })),
  /** FER+ only: keep this many of each face's 10 votes (seeded draw); the full counts become reference labels. */
  votesPerFace: v.optional(int({ min: 1, max: 10 })),
  /** Seed of the votes-per-face draw and of its ties (default 1). */
  voteSeed: v.optional(int({ min: 0, max: 2 ** 31 - 1 })),
});
export type ImportOptions = v.InferOutput<typeof ImportOptionsSchema>;

export const ImportStartParamsSchema = obj({
  kind: oneOf(DATASET_KINDS),
  path: filePath(),
  options: v.optional(ImportOptionsSchema),
});
export type ImportStartParams = v.InferOutput<typeof ImportStartParamsSchema>;

/** A rejected or questionable input row: api/domain.ts's ImportIssue, which the importers (core/) produce. */
export const ImportIssueSchema = v.object({
  file: v.string(),
  /** 1-based line (CSV) or null for a whole file. */
  line: v.nullable(v.number()),
  field: v.nullable(v.string()),
  message: v.string(),
}) satisfies v.GenericSchema<ImportIssue, ImportIssue>;

export const ImportReportSchema = v.object({
  jobId: v.string(),
  kind: v.picklist(DATASET_KINDS),
  path: v.string(),
  status: v.picklist(JOB_STATUSES),
  accepted: v.number(),
  /** Faces already in the project (same sourceRef), skipped so a re-run resumes without duplicates. */
  skippedExisting: v.number(),
  rejected: v.number(),
  issues: v.array(ImportIssueSchema),
  startedAt: isoTime(),
  finishedAt: v.nullable(isoTime()),
  error: v.nullable(v.string()),
});
export type ImportReport = v.InferOutput<typeof ImportReportSchema>;

export const ImportProgressEventSchema = v.object({
  jobId: v.string(),
  done: v.number(),
  total: v.nullable(v.number()),
  accepted: v.number(),
  rejected: v.number(),
  skippedExisting: v.number(),
});
export type ImportProgressEvent = v.InferOutput<typeof ImportProgressEventSchema>;

/** Whether the train rows of imported predictions are out-of-sample (cross-validated by the tool that made them). */
export const TRAIN_PREDICTION_KINDS = ['in-sample', 'out-of-sample'] as const;

/**
 * Another tool's predictions as a model of the project: a CSV with a face column (sample_id,
 * face_id, source_ref, source_path or path) and one column per class (neutral ... contempt).
 */
export const ImportPredictionsParamsSchema = obj({
  path: filePath(),
  /** Shown in the model lists (default: the file's name). */
  name: v.optional(str({ minLength: 1, maxLength: 120 })),
  /** Default 'in-sample': scores on train then carry the in-sample warning. */
  trainPredictions: v.optional(oneOf(TRAIN_PREDICTION_KINDS)),
});
export type ImportPredictionsParams = v.InferOutput<typeof ImportPredictionsParamsSchema>;

export const PredictionImportIssueSchema = ImportIssueSchema;
export type PredictionImportIssue = v.InferOutput<typeof PredictionImportIssueSchema>;

export const ImportPredictionsResultSchema = v.object({
  modelId: modelId(),
  name: v.string(),
  sourceFile: v.string(),
  faceColumn: v.string(),
  rows: v.number(),
  rejected: v.number(),
  /** The first rejected rows (all of them up to 200), with line, field and reason. */
  issues: v.array(ImportIssueSchema),
  ignoredColumns: v.array(v.string()),
  perSplit: v.object({ train: v.number(), valid: v.number(), test: v.number() }),
  trainPredictions: v.picklist(TRAIN_PREDICTION_KINDS),
  /** Accuracy against the published labels on each split the file covers. */
  evaluations: v.array(v.object({ split: v.picklist(SPLITS), accuracy: v.number(), evaluated: v.number() })),
  /** The analysis run that scored every face from the imported predictions. */
  analysisRunId: v.number(),
  warnings: v.array(v.string()),
});
export type ImportPredictionsResult = v.InferOutput<typeof ImportPredictionsResultSchema>;

export const importRequests = {
  /** Imports, evaluates and scores in one call; bad rows are reported and skipped, a bad file is an error naming it. */
  'models.importPredictions': { params: ImportPredictionsParamsSchema, result: ImportPredictionsResultSchema },
  'imports.start': { params: ImportStartParamsSchema, result: v.object({ jobId: v.string() }) },
  'imports.report': { params: obj({ jobId: jobId() }), result: ImportReportSchema },
  'imports.list': { params: NoParamsSchema, result: v.array(ImportReportSchema) },
  'imports.cancel': { params: obj({ jobId: jobId() }), result: CancelledSchema },
};
