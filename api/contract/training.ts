/** Training runs (one per model trained), their epochs and structure changes, and the models they produce. */
import * as v from 'valibot';
import { CancelledSchema, NoParamsSchema, arrayOf, bool, figures, int, isoTime, modelId, num, numbers, obj, oneOf, runId } from './fields.ts';

/** The model kinds; core/train/types.ts re-exports this (api imports nothing from core). */
export const MODEL_KINDS = ['cnn', 'adbn', 'dbn'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

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
  /** Cap on training faces (for quick runs); all when absent. */
  maxSamples: v.optional(int({ min: 1 })),
  /** Early-stopping patience in epochs on the validation split. */
  patience: v.optional(int({ min: 1, max: 10_000 })),
});
export type TrainingOptions = v.InferOutput<typeof TrainingOptionsSchema>;

export const TrainingStartParamsSchema = obj({ modelKind: oneOf(MODEL_KINDS), options: TrainingOptionsSchema });
export type TrainingStartParams = v.InferOutput<typeof TrainingStartParamsSchema>;

export const RUN_STATUSES = ['running', 'done', 'failed', 'cancelled', 'interrupted'] as const;
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

export const TrainingRunInfoSchema = v.object({
  id: runId(),
  modelKind: v.picklist(MODEL_KINDS),
  config: TrainingOptionsSchema,
  /** The tfjs backend the run used. */
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
});
export type TrainingRunInfo = v.InferOutput<typeof TrainingRunInfoSchema>;

export const TrainingProgressEventSchema = v.object({
  runId: runId(),
  phase: v.string(),
  epoch: v.number(),
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
  kind: v.picklist(MODEL_KINDS),
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
