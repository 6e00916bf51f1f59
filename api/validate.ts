/**
 * Runtime validation of every request's params, used by every transport before the service
 * sees a payload. `validators` is typed as a complete map over the contract, so a request
 * without a validator does not compile. Errors name the request and the field:
 * `training.start: options.epochs must be an integer >= 1, got "x"`.
 */
import { ApiError, REVIEW_ACTIONS, REVIEWED_TARGETS, REVIEW_SORTS, EXPORT_KINDS, MODEL_KINDS, isRequestName, type ParamsOf, type RequestName } from './contract.ts';
import { DATASET_KINDS, NUM_LABEL_CODES, NUM_CLASSES, SPLITS, type ModelId, type RelabelId, type RunId, type SampleId } from './domain.ts';
import { ValidationError, arrayOf, bool, branded, empty, int, num, object, oneOf, str, type Check } from './schema.ts';

const id = () => int({ min: 1 });
const runId = () => branded<RunId>(id());
const modelId = () => branded<ModelId>(id());
const sampleId = () => branded<SampleId>(id());
const relabelId = () => branded<RelabelId>(id());
const filePath = () => str({ minLength: 1, maxLength: 4096 });
const jobId = () => str({ minLength: 1, maxLength: 128 });
const labelCode = () => int({ min: 0, max: NUM_LABEL_CODES - 1 });
const classId = () => int({ min: 0, max: NUM_CLASSES - 1 });
const split = () => oneOf(SPLITS);

const trainingOptions = object(
  {},
  {
    epochs: int({ min: 1 }),
    batchSize: int({ min: 1, max: 65_536 }),
    learningRate: num({ greaterThan: 0, max: 10 }),
    seed: int({ min: 0, max: 2 ** 32 - 1 }),
    pretrainEpochs: int({ min: 0, max: 10_000 }),
    hiddenUnits: arrayOf(int({ min: 1, max: 65_536 }), { minLength: 1, maxLength: 16 }),
    maxLayers: int({ min: 1, max: 16 }),
    softTargets: bool(),
    reviewedTarget: oneOf(REVIEWED_TARGETS),
    maxSamples: int({ min: 1 }),
    patience: int({ min: 1, max: 10_000 }),
  },
);

// Review (faces.* / labels.*).
const reviewerName = () => str({ minLength: 1, maxLength: 100 });
/** Longest list of faces one view may hand to the review queue. */
const MAX_REVIEW_LIST = 50_000;
/** null, or what `check` accepts. */
const nullable = <T>(check: Check<T>): Check<T | null> => (v, path) => (v === null ? null : check(v, path));
const reviewFilter = object(
  {},
  {
    split: split(),
    givenLabel: labelCode(),
    currentLabel: labelCode(),
    predicted: classId(),
    misclassified: bool(),
    reviewed: bool(),
    disagreement: bool(),
  },
);

type Validators = { [M in RequestName]: Check<ParamsOf<M>> };

export const validators: Validators = {
  'app.info': empty(),

  'projects.current': empty(),
  'projects.open': object({ path: filePath() }),
  'projects.create': object({ path: filePath() }, { name: str({ minLength: 1, maxLength: 200 }) }),
  'projects.createDemo': object({}, { path: filePath() }),
  'projects.recent': empty(),
  'projects.summary': empty(),

  'imports.start': object(
    { kind: oneOf(DATASET_KINDS), path: filePath() },
    { options: object({}, { strict: bool(), size: int({ min: 8, max: 512 }) }) },
  ),
  'imports.report': object({ jobId: jobId() }),
  'imports.list': empty(),
  'imports.cancel': object({ jobId: jobId() }),

  'training.start': object({ modelKind: oneOf(MODEL_KINDS), options: trainingOptions }),
  'training.cancel': object({ runId: runId() }),
  'training.resume': object({ runId: runId() }),
  'training.list': empty(),
  'training.get': object({ runId: runId() }),

  'models.list': empty(),

  'evaluation.run': object({ modelId: modelId(), split: split() }),
  'evaluation.list': object({}, { modelId: modelId() }),

  'faces.reviewOptions': empty(),
  'faces.listForReview': object(
    { sort: oneOf(REVIEW_SORTS) },
    {
      modelId: modelId(),
      filter: reviewFilter,
      ids: arrayOf(sampleId(), { maxLength: MAX_REVIEW_LIST }),
      after: object({ value: num(), sampleId: sampleId() }),
      startAt: sampleId(),
      offset: int({ min: 0 }),
      limit: int({ min: 1, max: 1000 }),
      withCounts: bool(),
    },
  ),
  'faces.get': object({ id: sampleId() }, { modelId: modelId() }),
  'faces.getQueueState': object({ reviewer: reviewerName() }),
  'faces.saveQueueState': object({
    reviewer: reviewerName(),
    query: object(
      { modelId: nullable(modelId()), sort: oneOf(REVIEW_SORTS), filter: reviewFilter },
      { list: object({ title: str({ maxLength: 500 }), ids: arrayOf(sampleId(), { maxLength: MAX_REVIEW_LIST }) }) },
    ),
    sampleId: nullable(sampleId()),
    index: int({ min: 0 }),
  }),
  'labels.relabel': object(
    { sampleId: sampleId(), action: oneOf(REVIEW_ACTIONS), reviewer: reviewerName() },
    { label: classId(), note: str({ maxLength: 2000 }) },
  ),
  'labels.undo': object({ reviewer: reviewerName() }, { relabelId: relabelId(), sampleId: sampleId() }),
  'annotators.stats': empty(),
  'annotators.faces': object({ annotator: str({ minLength: 1, maxLength: 200 }), consensus: classId(), label: classId() }),
  'analysis.start': object({ modelId: modelId() }, { folds: int({ min: 1, max: 20 }), nMin: int({ min: 1 }) }),
  'analysis.latest': object({ modelId: modelId() }),
  'analysis.cancel': object({ jobId: jobId() }),
  'analysis.jobs': empty(),
  'relearn.start': object(
    { parentModelId: modelId() },
    {
      groups: arrayOf(object({ given: classId(), predicted: classId() }), { minLength: 1, maxLength: 56 }),
      nMin: int({ min: 1 }),
      epochs: int({ min: 1, max: 10_000 }),
      seed: int({ min: 0, max: 2 ** 32 - 1 }),
    },
  ),
  'relearn.parents': empty(),
  'relearn.latest': object({ parentModelId: modelId() }),
  'relearn.changedFaces': object(
    { runId: runId(), split: oneOf(['valid', 'test'] as const), change: oneOf(['wrong-to-right', 'right-to-wrong'] as const) },
    { offset: int({ min: 0 }), limit: int({ min: 1, max: 1000 }) },
  ),
  'relearn.decide': object({ runId: runId(), decision: oneOf(['adopted', 'discarded'] as const) }),
  'export.run': object({ kind: oneOf(EXPORT_KINDS), out: filePath() }, { modelId: modelId() }),
};

/**
 * Returns the params typed for `method`, or throws ApiError('invalid_params' | 'unknown_method')
 * whose message starts with the request name and names the offending field.
 */
export function validateParams<M extends RequestName>(method: M, params: unknown): ParamsOf<M>;
export function validateParams(method: unknown, params: unknown): unknown;
export function validateParams(method: unknown, params: unknown): unknown {
  if (!isRequestName(method)) {
    throw new ApiError('unknown_method', `unknown request ${typeof method === 'string' ? JSON.stringify(method.slice(0, 80)) : typeof method}`);
  }
  try {
    return (validators[method] as Check<unknown>)(params, '');
  } catch (e) {
    if (e instanceof ValidationError) throw new ApiError('invalid_params', `${method}: ${e.message}`);
    throw e;
  }
}
