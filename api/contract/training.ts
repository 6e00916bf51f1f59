/** Training runs (one per model trained), their epochs and structure changes, and the models they produce. */
import * as v from 'valibot';
import { MAX_THREADS, RUNTIME_NAMES } from '../domain.ts';
import { METHOD_OPTION_SPECS, type MethodOptionSpec } from '../method-options.ts';
import { CancelledSchema, NoParamsSchema, arrayOf, bool, figures, int, isoTime, modelId, num, numbers, obj, oneOf, runId } from './fields.ts';

/** The model kinds; core/train/types.ts re-exports this (api imports nothing from core). */
export const MODEL_KINDS = ['cnn', 'adbn', 'dbn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];
/** What a stored model can be: a network trained here, or another tool's predictions imported from a CSV (no weights). */
export const STORED_MODEL_KINDS = [...MODEL_KINDS, 'imported'] as const;
export type StoredModelKind = (typeof STORED_MODEL_KINDS)[number];

/** A structure change of an adaptive model (METHOD.md 3.6), as the engine reports it. */
export const StructureEventSchema = v.object({
  epoch: v.number(),
  /** 0-based index of the hidden layer; a 'layer' event names the new layer, with unitsBefore 0. */
  layer: v.number(),
  kind: v.picklist(['generation', 'annihilation', 'layer']),
  unitsBefore: v.number(),
  unitsAfter: v.number(),
});
export type StructureEvent = v.InferOutput<typeof StructureEventSchema>;

/**
 * METHOD.md's constants as options of a run (each absent one keeps its default). Defaults,
 * bounds, help and the model kinds that read each one: api/method-options.ts, whose table is
 * keyed by this type, so a constant without its bounds does not compile.
 */
export interface MethodOptions {
  // RBM training (METHOD 2)
  rbmLearningRate?: number;
  momentumStart?: number;
  momentumFinal?: number;
  momentumSwitchEpoch?: number;
  weightDecay?: number;
  rbmInitWeightStd?: number;
  freeEnergySampleSize?: number;
  gaussianFirstLayer?: boolean;
  gaussianLearningRate?: number;
  // Neuron generation and annihilation (METHOD 3.1-3.3)
  epsE?: number;
  alphaC?: number;
  alphaW?: number;
  thetaG?: number;
  maxNewFraction?: number;
  maxUnits?: number;
  splitNoise?: number;
  thetaA?: number;
  removeDuplicates?: boolean;
  duplicateCosine?: number;
  minUnits?: number;
  minEpochsPerLayer?: number;
  // Layer generation (METHOD 3.4)
  alphaWD?: number;
  thetaL1?: number;
  alphaE?: number;
  thetaL2?: number;
  // Supervised phase (METHOD 3.5, 4)
  fineTuneInput?: 'standardised' | 'pixels';
  classWeighting?: 'none' | 'balanced' | 'sqrt';
  dropout?: number;
  maxShift?: number;
  horizontalFlip?: boolean;
  warmupSteps?: number;
}

/** The check of one METHOD constant, from its bounds in api/method-options.ts. */
function methodOptionSchema(s: MethodOptionSpec): v.GenericSchema {
  if (s.type === 'bool') return bool();
  if (s.type === 'enum') return oneOf(s.values ?? []);
  if (s.type === 'int') return int({ min: s.min, max: s.max });
  return num({ min: s.min, max: s.max, greaterThan: s.greaterThan });
}

export const MethodOptionsSchema = obj(
  Object.fromEntries(METHOD_OPTION_SPECS.map((s) => [s.key, v.optional(methodOptionSchema(s))])),
) as unknown as v.GenericSchema<MethodOptions, MethodOptions>;

/** Training target of a face with a reviewer's class decision (core/train/training-targets.ts). */
export const REVIEWED_TARGETS = ['one-hot', 'weighted'] as const;
export type ReviewedTarget = (typeof REVIEWED_TARGETS)[number];

export const TrainingOptionsSchema = obj({
  epochs: v.optional(int({ min: 1 })),
  batchSize: v.optional(int({ min: 1, max: 65_536 })),
  learningRate: v.optional(num({ greaterThan: 0, max: 10 })),
  seed: v.optional(int({ min: 0, max: 2 ** 32 - 1 })),
  /** RBM pre-training epochs per layer (DBN kinds). */
  pretrainEpochs: v.optional(int({ min: 0, max: 10_000 })),
  /** Initial hidden units per layer (DBN kinds). */
  hiddenUnits: v.optional(arrayOf(int({ min: 1, max: 65_536 }), { minLength: 1, maxLength: 16 })),
  /** Upper bound on layers the adaptive DBN may generate. */
  maxLayers: v.optional(int({ min: 1, max: 16 })),
  /** Train on normalised annotator votes where a face has them. */
  softTargets: v.optional(bool()),
  /** How a face a reviewer relabelled or confirmed trains: on the reviewer's class alone, or weighted above the votes. */
  reviewedTarget: v.optional(oneOf(REVIEWED_TARGETS)),
  /** Cap on training faces (for quick runs); all when absent. */
  maxSamples: v.optional(int({ min: 1 })),
  /** Early-stopping patience in epochs on the validation split. */
  patience: v.optional(int({ min: 1, max: 10_000 })),
  /** Engine runtime to train on (default: the best present). */
  runtime: v.optional(oneOf(RUNTIME_NAMES)),
  /** Intra-op threads of the runtime (default: all cores but one). */
  threads: v.optional(int({ min: 1, max: MAX_THREADS })),
  /**
   * METHOD.md's constants (api/method-options.ts). A run records every constant its kind
   * reads here, defaults included, so TrainingRunInfo.config shows the values it ran with.
   */
  method: v.optional(MethodOptionsSchema),
});
export type TrainingOptions = v.InferOutput<typeof TrainingOptionsSchema>;

export const TrainingStartParamsSchema = obj({ modelKind: oneOf(MODEL_KINDS), options: TrainingOptionsSchema });
export type TrainingStartParams = v.InferOutput<typeof TrainingStartParamsSchema>;

/** 'running-elsewhere': another live process owns the run (its lease in the project file); this one may not resume or cancel it. */
export const RUN_STATUSES = ['running', 'done', 'failed', 'cancelled', 'interrupted', 'running-elsewhere'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const EpochRecordSchema = v.object({
  epoch: v.number(),
  phase: v.string(),
  metrics: figures(),
  /** Hidden units per layer after the epoch (DBN kinds); [] for the CNN. */
  units: numbers(),
  seconds: v.number(),
});
export type EpochRecord = v.InferOutput<typeof EpochRecordSchema>;

/** The process that holds a run's lease: it trains the run, renewing its heartbeat. */
export const RunOwnerInfoSchema = v.object({ pid: v.number(), host: v.string(), heartbeatAt: isoTime() });
export type RunOwnerInfo = v.InferOutput<typeof RunOwnerInfoSchema>;

/** What a run did: train a model, analyse one (k-fold models and scores), or re-learn its children. */
export const RUN_KIND_NAMES = ['train', 'analyze', 'relearn'] as const;
export type RunKindName = (typeof RUN_KIND_NAMES)[number];

export const TrainingRunInfoSchema = v.object({
  id: runId(),
  kind: v.picklist(RUN_KIND_NAMES),
  /** For analysis and re-learning runs: the model it worked on, e.g. "model #3 · 5-fold"; null for training. */
  subject: v.nullable(v.string()),
  modelKind: v.picklist(MODEL_KINDS),
  config: TrainingOptionsSchema,
  /** The engine runtime the run used, with its threads (e.g. 'onnxruntime-cpu (3 threads)'). */
  backend: v.string(),
  status: v.picklist(RUN_STATUSES),
  epochs: v.array(EpochRecordSchema),
  structureEvents: v.array(StructureEventSchema),
  /** The model the run produced, once it finished. */
  modelId: v.nullable(modelId()),
  /** For a re-learn run: the model it started from. */
  parentModelId: v.nullable(modelId()),
  startedAt: isoTime(),
  finishedAt: v.nullable(isoTime()),
  error: v.nullable(v.string()),
  /** The owner when another live process trains this run, else null. */
  runningElsewhere: v.nullable(RunOwnerInfoSchema),
});
export type TrainingRunInfo = v.InferOutput<typeof TrainingRunInfoSchema>;

export const TrainingProgressEventSchema = v.object({
  runId: runId(),
  phase: v.string(),
  /** Global 1-based epoch in progress (across pre-training and fine-tuning). */
  epoch: v.number(),
  /** Epochs the run's options allow in all: an upper bound (early stopping and the Adaptive DBN may end sooner). */
  plannedEpochs: v.number(),
  batch: v.number(),
  batches: v.number(),
  samplesPerSecond: v.number(),
  /** Estimated seconds to the end of the run, null when unknown. */
  etaSeconds: v.nullable(v.number()),
});
export type TrainingProgressEvent = v.InferOutput<typeof TrainingProgressEventSchema>;

export const ModelInfoSchema = v.object({
  id: modelId(),
  runId: v.nullable(runId()),
  kind: v.picklist(STORED_MODEL_KINDS),
  name: v.string(),
  createdAt: isoTime(),
  inputSize: v.object({ height: v.number(), width: v.number() }),
  /** Hidden units per layer (DBN kinds); [] for the CNN. */
  units: numbers(),
  /** Final metrics of the run (e.g. valid_accuracy). */
  metrics: figures(),
  parentModelId: v.nullable(modelId()),
});
export type ModelInfo = v.InferOutput<typeof ModelInfoSchema>;

const RunRef = obj({ runId: runId() });

export const trainingRequests = {
  'training.start': { params: TrainingStartParamsSchema, result: v.object({ runId: runId() }) },
  'training.cancel': { params: RunRef, result: CancelledSchema },
  'training.resume': { params: RunRef, result: v.object({ runId: runId() }) },
  'training.list': { params: NoParamsSchema, result: v.array(TrainingRunInfoSchema) },
  'training.get': { params: RunRef, result: TrainingRunInfoSchema },
  'models.list': { params: NoParamsSchema, result: v.array(ModelInfoSchema) },
};
