/** The app and its project file: what is open, the recent list, and the summary of a project. */
import * as v from 'valibot';
import { DATASET_KINDS } from '../domain.ts';
import { NoParamsSchema, filePath, isoTime, numbers, obj, str } from './fields.ts';

export const TRANSPORT_KINDS = ['electron', 'browser', 'cli', 'test'] as const;
export type TransportKind = (typeof TRANSPORT_KINDS)[number];

const backendInfo = v.object({ name: v.string(), reason: v.string() });

export const AppInfoSchema = v.object({
  version: v.string(),
  /** The engine runtime in use with its threads (e.g. 'onnxruntime-cpu (1 thread)'), or null before the first job chose one. */
  backend: v.nullable(backendInfo),
  transport: v.picklist(TRANSPORT_KINDS),
  /** Absolute path of the open project file, or null when none is open. */
  projectPath: v.nullable(v.string()),
  node: v.string(),
  platform: v.string(),
});
export type AppInfo = v.InferOutput<typeof AppInfoSchema>;

export const ProjectInfoSchema = v.object({
  path: v.string(),
  name: v.string(),
  inputSize: v.object({ height: v.number(), width: v.number() }),
});
export type ProjectInfo = v.InferOutput<typeof ProjectInfoSchema>;

export const RecentProjectSchema = v.object({
  path: v.string(),
  name: v.string(),
  openedAt: isoTime(),
  exists: v.boolean(),
});
export type RecentProject = v.InferOutput<typeof RecentProjectSchema>;

/** Counts of one split: per class by the dataset's given label and by the current label (after relabels). */
export const SplitCountsSchema = v.object({
  total: v.number(),
  /** Length 8: faces whose given label is that class. */
  givenByClass: numbers(),
  /** Length 8: faces whose current label is that class. */
  currentByClass: numbers(),
  /** Faces whose given label is a non-class code or missing (not trained on). */
  givenNonClass: v.number(),
  currentNonClass: v.number(),
});
export type SplitCounts = v.InferOutput<typeof SplitCountsSchema>;

export const AnnotatorSummarySchema = v.object({ id: v.number(), name: v.string(), annotations: v.number() });
export type AnnotatorSummary = v.InferOutput<typeof AnnotatorSummarySchema>;

export const AgreementSummarySchema = v.object({
  /** Faces with at least two labels (identified annotators or anonymous votes). */
  facesWithMultipleLabels: v.number(),
  /** Mean share of a face's labels that agree with its majority, in [0, 1]; null without such faces. */
  meanMajorityShare: v.nullable(v.number()),
  /** Share of multi-labelled faces whose labels are unanimous, in [0, 1]; null without such faces. */
  unanimousShare: v.nullable(v.number()),
});
export type AgreementSummary = v.InferOutput<typeof AgreementSummarySchema>;

/** Review in numbers, the same wherever they are shown (Review, the Project view, the audit export). */
export const ReviewCountsSchema = v.object({
  reviewedFaces: v.number(),
  /** Reviewed faces whose current class differs from the given one. */
  relabelledFaces: v.number(),
  notFaceFaces: v.number(),
  ambiguousFaces: v.number(),
  /** Every row of the audit trail, as the audit export lists them. */
  auditRows: v.number(),
});
export type ReviewCounts = v.InferOutput<typeof ReviewCountsSchema>;

export const ProjectSummarySchema = v.object({
  project: ProjectInfoSchema,
  totalSamples: v.number(),
  splits: v.object({ train: SplitCountsSchema, valid: SplitCountsSchema, test: SplitCountsSchema }),
  datasets: v.array(v.object({ kind: v.picklist(DATASET_KINDS), count: v.number() })),
  annotators: v.array(AnnotatorSummarySchema),
  /** Faces that carry anonymous vote counts (FER+), and the total number of votes. */
  facesWithVotes: v.number(),
  totalVotes: v.number(),
  agreement: AgreementSummarySchema,
  /** Review decisions that are not undos (undone ones included): one per key press that decided. */
  relabels: v.number(),
  review: ReviewCountsSchema,
  runs: v.number(),
  models: v.number(),
});
export type ProjectSummary = v.InferOutput<typeof ProjectSummarySchema>;

/** Progress of a long project operation (demo generation). */
export const ProjectProgressSchema = v.object({ stage: v.string(), done: v.number(), total: v.nullable(v.number()) });
export type ProjectProgress = v.InferOutput<typeof ProjectProgressSchema>;

/** The end of the app's log file (errors, job starts and ends, the runtime chosen), for a bug report. */
export const AppLogTailSchema = v.object({
  /** Absolute path of the log file (rotated copies sit next to it as .1, .2, ...); null when the app keeps no log (tests). */
  path: v.nullable(v.string()),
  /** Its last 64 KiB at most, cut at a line start; '' when nothing was logged yet. */
  text: v.string(),
});
export type AppLogTail = v.InferOutput<typeof AppLogTailSchema>;

export const projectRequests = {
  'app.info': { params: NoParamsSchema, result: AppInfoSchema },
  'app.log': { params: NoParamsSchema, result: AppLogTailSchema },
  'projects.current': { params: NoParamsSchema, result: v.nullable(ProjectInfoSchema) },
  'projects.open': { params: obj({ path: filePath() }), result: ProjectInfoSchema },
  'projects.create': { params: obj({ path: filePath(), name: v.optional(str({ minLength: 1, maxLength: 200 })) }), result: ProjectInfoSchema },
  'projects.createDemo': { params: obj({ path: v.optional(filePath()) }), result: ProjectInfoSchema },
  'projects.recent': { params: NoParamsSchema, result: v.array(RecentProjectSchema) },
  'projects.summary': { params: NoParamsSchema, result: ProjectSummarySchema },
};
