/** Analysis of a model (k-fold scores, confusion groups) and re-learning of its child models (METHOD.md 4-5). */
import * as v from 'valibot';
import { CancelledSchema, JOB_STATUSES, bool, NoParamsSchema, arrayOf, classId, int, isoTime, jobId, modelId, num, obj, oneOf, runId, sampleId } from './fields.ts';
import { ClassMetricsSchema } from './evaluation.ts';
import { MODEL_REVIEW_SORTS } from './review.ts';
import { STORED_MODEL_KINDS, ModelInfoSchema } from './training.ts';

export const AnalysisStartParamsSchema = obj({
  modelId: modelId(),
  /** k of the k-fold out-of-sample predictions (default 5; 1 = in-sample, with a warning). */
  folds: v.optional(int({ min: 1, max: 20 })),
  /** Smallest confusion group kept for re-learning (default 30). */
  nMin: v.optional(int({ min: 1 })),
});
export type AnalysisStartParams = v.InferOutput<typeof AnalysisStartParamsSchema>;

const progress = {
  /** 'fold', 'scores', 'annotators', 'groups', 'backend'. */
  stage: v.string(),
  message: v.string(),
  done: v.number(),
  total: v.nullable(v.number()),
};

export const AnalysisProgressEventSchema = v.object({ jobId: v.string(), modelId: modelId(), ...progress });
export type AnalysisProgressEvent = v.InferOutput<typeof AnalysisProgressEventSchema>;

export const AnalysisDoneEventSchema = v.object({
  jobId: v.string(),
  modelId: modelId(),
  status: v.picklist(JOB_STATUSES),
  runId: v.nullable(runId()),
  error: v.nullable(v.string()),
});
export type AnalysisDoneEvent = v.InferOutput<typeof AnalysisDoneEventSchema>;

/** An analysis or re-learning job running now, with its latest progress (so a reloaded UI can follow it). */
export const RunningAnalysisJobSchema = v.object({ jobId: v.string(), kind: v.picklist(['analysis', 'relearn']), modelId: modelId(), ...progress });
export type RunningAnalysisJob = v.InferOutput<typeof RunningAnalysisJobSchema>;

/** Orders a simulated reviewer can follow: a score of the parent (suspicious end first) or seeded random. */
export const SIMULATION_ORDERS = [...MODEL_REVIEW_SORTS, 'random'] as const;
export type SimulationOrder = (typeof SIMULATION_ORDERS)[number];

/** One budget of a label-cleaning curve (simulate-review). */
export const CleaningPointSchema = v.object({
  /** Train faces reviewed (0: the parent as it is). */
  reviewed: v.number(),
  relabelled: v.number(),
  markedAmbiguous: v.number(),
  confirmed: v.number(),
  /** The fresh parent trained on the cleaned labels, in the scratch copy (gone afterwards); null at 0. */
  scratchModelId: v.nullable(modelId()),
  validAccuracy: v.number(),
  /** Reported only, never used for a choice; null without a test split. */
  testAccuracy: v.nullable(v.number()),
  /** On the dev-test carve (train faces no reviewer reaches), against their reference majority; reported only; null without a carve. */
  devTestAccuracy: v.optional(v.nullable(v.number()), null),
  /**
   * With several training seeds: one fresh parent per seed (the accuracies above are their
   * means). Empty when one parent per budget was trained with the parent's own seed.
   */
  runs: v.optional(
    v.array(v.object({ seed: v.number(), scratchModelId: modelId(), validAccuracy: v.number(), testAccuracy: v.nullable(v.number()), devTestAccuracy: v.nullable(v.number()) })),
    [],
  ),
});
export type CleaningPoint = v.InferOutput<typeof CleaningPointSchema>;

const TRUTH = ['reference majority', 'published labels'] as const;
/** A label-cleaning curve: accuracy of fresh parents against faces reviewed in one order. */
export const CleaningCurveSchema = v.object({
  parentModelId: modelId(),
  order: v.picklist(SIMULATION_ORDERS),
  seed: v.number(),
  /** Training seeds of the fresh parents (each budget, 0 included, trained once per seed); empty: the parent's own seed, and budget 0 is the parent itself. */
  trainSeeds: v.optional(v.array(v.number()), []),
  /** What accuracy is measured against per split. */
  truth: v.object({ valid: v.picklist(TRUTH), test: v.nullable(v.picklist(TRUTH)) }),
  validFaces: v.number(),
  testFaces: v.number(),
  /** Dev-test faces with a reference majority (0 without a carve). */
  devTestFaces: v.optional(v.number(), 0),
  /**
   * What the points were measured under: the order of faces (a hash of the whole sequence) and
   * the project's label version when the simulation started. A later simulation under the same
   * adds its budgets to this curve; null in curves saved before these were kept.
   */
  orderHash: v.optional(v.nullable(v.string()), null),
  labelVersion: v.optional(v.nullable(v.number()), null),
  points: v.array(CleaningPointSchema),
});
export type CleaningCurve = v.InferOutput<typeof CleaningCurveSchema>;

export const ConfusionGroupInfoSchema = v.object({
  given: v.number(),
  predicted: v.number(),
  /** e.g. "disgust>anger". */
  name: v.string(),
  count: v.number(),
  /** count >= nMin. */
  kept: v.boolean(),
});
export type ConfusionGroupInfo = v.InferOutput<typeof ConfusionGroupInfoSchema>;

/** The latest finished analysis of a model. */
export const AnalysisSummarySchema = v.object({
  runId: runId(),
  modelId: modelId(),
  folds: v.number(),
  inSample: v.boolean(),
  warnings: v.array(v.string()),
  finishedAt: v.nullable(isoTime()),
  groups: v.object({
    source: v.picklist(['out-of-fold', 'in-sample', 'imported']),
    trainFaces: v.number(),
    misclassified: v.number(),
    nMin: v.number(),
    groups: v.array(ConfusionGroupInfoSchema),
  }),
});
export type AnalysisSummary = v.InferOutput<typeof AnalysisSummarySchema>;

/**
 * How the parent and its children answer together (core/relearn/combine.ts): 'kl-argmax' is
 * METHOD.md 6.5 as published (the child's argmax when KL(parent || child) > tau); 'kl-mix'
 * mixes the two distributions with weight KL / (KL + kappa); 'gate' is a logistic regression
 * on [parent probs, child probs, KL] fitted on valid with cross-validation.
 */
export const COMBINE_RULES = ['kl-argmax', 'kl-mix', 'gate'] as const;
export type CombineRule = (typeof COMBINE_RULES)[number];
/** How long an analysis of a model would take, estimated from the model's own recorded training epochs. */
export const AnalysisEstimateSchema = v.object({
  modelId: modelId(),
  folds: v.number(),
  /** Null when the model has no recorded training epochs to estimate from. */
  seconds: v.nullable(v.number()),
  /** What the estimate rests on, in words. */
  basis: v.string(),
});
export type AnalysisEstimate = v.InferOutput<typeof AnalysisEstimateSchema>;

/** A model an analysis can run on, with its latest analysis (if any) and the estimate of a new one. */
export const AnalysableModelSchema = v.object({
  modelId: modelId(),
  name: v.string(),
  kind: v.picklist(STORED_MODEL_KINDS),
  /** The latest finished analysis: its run, k and when it finished; null when never analysed. */
  latest: v.nullable(v.object({ runId: runId(), folds: v.number(), finishedAt: v.nullable(isoTime()) })),
  /** For the default number of folds. */
  estimate: AnalysisEstimateSchema,
});
export type AnalysableModel = v.InferOutput<typeof AnalysableModelSchema>;

export const RelearnStartParamsSchema = obj({
  parentModelId: modelId(),
  /** Confusion pairs to re-learn; absent = every pair with >= nMin cases. */
  groups: v.optional(arrayOf(obj({ given: classId(), predicted: classId() }), { minLength: 1, maxLength: 56 })),
  nMin: v.optional(int({ min: 1 })),
  /** Fine-tuning epochs of each child. */
  epochs: v.optional(int({ min: 1, max: 10_000 })),
  /** Child learning rate as a fraction of the parent's (default 0.1, METHOD.md 6.4). */
  learningRateScale: v.optional(num({ greaterThan: 0, max: 10 })),
  /** Correctly classified faces of a group's two classes replayed per case (default 1; 0: the cases alone). */
  replayRatio: v.optional(num({ min: 0, max: 20 })),
  seed: v.optional(int({ min: 0, max: 2 ** 32 - 1 })),
  /** Combination rule of parent and children (default kl-argmax); every rule is measured either way. */
  combine: v.optional(v.picklist(COMBINE_RULES)),
});
export type RelearnStartParams = v.InferOutput<typeof RelearnStartParamsSchema>;

export const RelearnProgressEventSchema = v.object({ jobId: v.string(), parentModelId: modelId(), ...progress });
export type RelearnProgressEvent = v.InferOutput<typeof RelearnProgressEventSchema>;

export const RelearnDoneEventSchema = v.object({
  jobId: v.string(),
  parentModelId: modelId(),
  status: v.picklist(JOB_STATUSES),
  runId: v.nullable(runId()),
  error: v.nullable(v.string()),
});
export type RelearnDoneEvent = v.InferOutput<typeof RelearnDoneEventSchema>;

const RELEARN_SPLITS = ['valid', 'test'] as const;
const splitFigures = v.object({ accuracy: v.number(), per_class: v.array(ClassMetricsSchema), n_evaluated: v.number() });

export const RelearnSplitReportSchema = v.object({
  split: v.picklist(RELEARN_SPLITS),
  parent: splitFigures,
  parentChildren: splitFigures,
  routed: v.number(),
  wrongToRight: v.number(),
  rightToWrong: v.number(),
  perChild: v.array(v.object({ groupId: v.number(), name: v.string(), routed: v.number(), changed: v.number(), wrongToRight: v.number(), rightToWrong: v.number() })),
});
export type RelearnSplitReport = v.InferOutput<typeof RelearnSplitReportSchema>;

export const CHILD_DECISIONS = ['adopted', 'discarded', 'undecided'] as const;
export type ChildDecision = (typeof CHILD_DECISIONS)[number];

/** Where every combination rule of a run is measured: valid (where it was fitted), test, and the dev-test carve. */
export const RULE_SPLITS = ['valid', 'test', 'dev-test'] as const;

/** One combination rule of a run: what was fitted on valid, and its figures on each split. */
export const RelearnRuleReportSchema = v.object({
  rule: v.picklist(COMBINE_RULES),
  /** What was fitted on valid, in words ("tau 0.4816 nats", "kappa 0.3", "off: no value gained on valid"). */
  fitted: v.string(),
  splits: v.array(
    v.object({
      split: v.picklist(RULE_SPLITS),
      faces: v.number(),
      parentAccuracy: v.number(),
      accuracy: v.number(),
      routed: v.number(),
      wrongToRight: v.number(),
      rightToWrong: v.number(),
    }),
  ),
});
export type RelearnRuleReport = v.InferOutput<typeof RelearnRuleReportSchema>;

/** A finished re-learning run of a parent: its children, tau (chosen on valid) and the before/after figures. */
export const RelearnReportSchema = v.object({
  runId: runId(),
  parentModelId: modelId(),
  tau: v.number(),
  /** The rule behind `splits`, the stored evaluations and the changed faces. */
  rule: v.picklist(COMBINE_RULES),
  /** Every rule, each fitted on valid and measured on valid, test and the dev-test (empty for runs from before the rules). */
  rules: v.array(RelearnRuleReportSchema),
  children: v.array(
    v.object({ modelId: modelId(), groupId: v.number(), name: v.string(), given: v.number(), predicted: v.number(), nCases: v.number(), nReplay: v.number(), epochs: v.number() }),
  ),
  /** The children's learning rate as a fraction of the parent's (null: not recorded by the run). */
  childLearningRateScale: v.nullable(v.number()),
  decision: v.picklist(CHILD_DECISIONS),
  /** Every adopt / discard of this run, oldest first, with its time. */
  decisions: v.array(v.object({ decision: v.picklist(['adopted', 'discarded']), worseAccepted: v.boolean(), decidedAt: isoTime() })),
  /** The splits where parent + children is less accurate than the parent alone (adopting them asks for confirmation). */
  worseThanParent: v.array(v.object({ split: v.picklist(RELEARN_SPLITS), parentAccuracy: v.number(), parentChildrenAccuracy: v.number() })),
  splits: v.array(RelearnSplitReportSchema),
  notes: v.array(v.string()),
  finishedAt: v.nullable(isoTime()),
});
export type RelearnReport = v.InferOutput<typeof RelearnReportSchema>;

export const CHANGE_KINDS = ['wrong-to-right', 'right-to-wrong'] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

export const ChangedFacesParamsSchema = obj({
  runId: runId(),
  split: oneOf(RELEARN_SPLITS),
  change: oneOf(CHANGE_KINDS),
  offset: v.optional(int({ min: 0 })),
  limit: v.optional(int({ min: 1, max: 1000 })),
});
export type ChangedFacesParams = v.InferOutput<typeof ChangedFacesParamsSchema>;

export const ChangedFaceSchema = v.object({
  sampleId: sampleId(),
  /** Reference class (votes' majority or current label). */
  label: v.number(),
  parentPredicted: v.number(),
  routedPredicted: v.number(),
  /** The child the face was routed to. */
  child: v.string(),
});
export type ChangedFace = v.InferOutput<typeof ChangedFaceSchema>;

export const analysisRequests = {
  'analysis.start': { params: AnalysisStartParamsSchema, result: v.object({ jobId: v.string() }) },
  'analysis.latest': { params: obj({ modelId: modelId() }), result: v.nullable(AnalysisSummarySchema) },
  /** Stops a running analysis or re-learning job (its run is marked cancelled). */
  'analysis.estimate': { params: obj({ modelId: modelId(), folds: v.optional(int({ min: 1, max: 20 })) }), result: AnalysisEstimateSchema },
  /** Parent models (not children, not out-of-fold sets), newest first. */
  'analysis.models': { params: NoParamsSchema, result: v.array(AnalysableModelSchema) },
  'analysis.cancel': { params: obj({ jobId: jobId() }), result: CancelledSchema },
  'analysis.jobs': { params: NoParamsSchema, result: v.array(RunningAnalysisJobSchema) },
  'relearn.parents': { params: NoParamsSchema, result: v.array(ModelInfoSchema) },
  'relearn.start': { params: RelearnStartParamsSchema, result: v.object({ jobId: v.string() }) },
  'relearn.latest': { params: obj({ parentModelId: modelId() }), result: v.nullable(RelearnReportSchema) },
  'relearn.changedFaces': { params: ChangedFacesParamsSchema, result: v.object({ total: v.number(), items: v.array(ChangedFaceSchema) }) },
  'relearn.cleaningCurves': { params: obj({ parentModelId: modelId() }), result: v.array(CleaningCurveSchema) },
  /** Adopting children that do worse than the parent on valid or test needs `acceptWorse: true` (else a conflict error with the numbers). */
  'relearn.decide': { params: obj({ runId: runId(), decision: oneOf(['adopted', 'discarded']), acceptWorse: v.optional(bool()) }), result: RelearnReportSchema },
};
