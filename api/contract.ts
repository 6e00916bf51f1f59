/**
 * The one typed contract between the UI and the back end: every request (name -> params and
 * result) and every event pushed to the UI (name -> payload). The service implements it once;
 * Electron IPC, the browser-mode WebSocket and tests are transports over it. Types only, plus
 * the name lists that the transports and the preload are generated from (checked against the
 * types at compile time, so a request cannot be added without its name, or the reverse).
 *
 * Conventions: params are always a JSON object (`{}` when there are none); ids of database rows
 * are numbers (branded in TypeScript), job ids of in-memory jobs are strings; class-indexed
 * arrays have length 8 in CLASS_NAMES order; label-code-indexed arrays have length 12 in
 * LABEL_CODE_NAMES order; times are ISO-8601 strings.
 */
import type {
  ClassId,
  ClassName,
  DatasetKind,
  ImportIssue,
  LabelCode,
  ModelId,
  RelabelId,
  RunId,
  SampleId,
  Split,
} from './domain.ts';

/** The model kinds; core/train/types.ts re-exports this (api imports nothing from core). */
export type ModelKind = 'cnn' | 'adbn' | 'dbn';
export const MODEL_KINDS = ['cnn', 'adbn', 'dbn'] as const satisfies readonly ModelKind[];

/** A structure change of an adaptive model (METHOD.md 3.6), as the engine reports it. */
export interface StructureEvent {
  epoch: number;
  /** 0-based index of the hidden layer; a 'layer' event names the new layer, with unitsBefore 0. */
  layer: number;
  kind: 'generation' | 'annihilation' | 'layer';
  unitsBefore: number;
  unitsAfter: number;
}

export type NoParams = Record<string, never>;

// ---------------------------------------------------------------- app and project

export type TransportKind = 'electron' | 'browser' | 'cli' | 'test';

export interface AppInfo {
  version: string;
  /** The tfjs backend in use ('tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'), or null before the first job initialised one. */
  backend: { name: string; reason: string } | null;
  transport: TransportKind;
  /** Absolute path of the open project file, or null when none is open. */
  projectPath: string | null;
  node: string;
  platform: string;
}

export interface ProjectInfo {
  path: string;
  name: string;
  inputSize: { height: number; width: number };
}

export interface RecentProject {
  path: string;
  name: string;
  openedAt: string;
  exists: boolean;
}

/** Counts of one split: per class by the dataset's given label and by the current label (after relabels). */
export interface SplitCounts {
  total: number;
  /** Length 8: faces whose given label is that class. */
  givenByClass: number[];
  /** Length 8: faces whose current label is that class. */
  currentByClass: number[];
  /** Faces whose given label is a non-class code or missing (not trained on). */
  givenNonClass: number;
  currentNonClass: number;
}

export interface AnnotatorSummary {
  id: number;
  name: string;
  annotations: number;
}

export interface AgreementSummary {
  /** Faces with at least two labels (identified annotators or anonymous votes). */
  facesWithMultipleLabels: number;
  /** Mean share of a face's labels that agree with its majority, in [0, 1]; null without such faces. */
  meanMajorityShare: number | null;
  /** Share of multi-labelled faces whose labels are unanimous, in [0, 1]; null without such faces. */
  unanimousShare: number | null;
}

/**
 * The review's progress in one vocabulary for every screen: a face is reviewed when it has at
 * least one decision that was not undone; the audit trail counts rows (undos included).
 */
export interface ReviewCounts {
  reviewedFaces: number;
  /** Reviewed faces whose current class differs from the given one. */
  relabelledFaces: number;
  notFaceFaces: number;
  ambiguousFaces: number;
  /** Every row of the audit trail, as the audit export lists them. */
  auditRows: number;
}

export interface ProjectSummary {
  project: ProjectInfo;
  totalSamples: number;
  splits: Record<Split, SplitCounts>;
  datasets: { kind: DatasetKind; count: number }[];
  annotators: AnnotatorSummary[];
  /** Faces that carry anonymous vote counts (FER+), and the total number of votes. */
  facesWithVotes: number;
  totalVotes: number;
  agreement: AgreementSummary;
  /** Review decisions that are not undos (undone ones included): one per key press that decided. */
  relabels: number;
  review: ReviewCounts;
  runs: number;
  models: number;
}

/** Progress of a long project operation (demo generation). */
export interface ProjectProgress {
  stage: string;
  done: number;
  total: number | null;
}

// ---------------------------------------------------------------- imports

export type JobStatus = 'running' | 'done' | 'failed' | 'cancelled';

export interface ImportOptions {
  /** Reject the whole import on the first bad row instead of reporting and skipping it. */
  strict?: boolean;
  /** Side of the square grey image stored per face (default: the project's input size). */
  size?: number;
}

export interface ImportStartParams {
  kind: DatasetKind;
  path: string;
  options?: ImportOptions;
}

export interface ImportReport {
  jobId: string;
  kind: DatasetKind;
  path: string;
  status: JobStatus;
  accepted: number;
  /** Faces already in the project (same sourceRef), skipped so a re-run resumes without duplicates. */
  skippedExisting: number;
  rejected: number;
  issues: ImportIssue[];
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface ImportProgressEvent {
  jobId: string;
  done: number;
  total: number | null;
  accepted: number;
  rejected: number;
  skippedExisting: number;
}

// ---------------------------------------------------------------- training and models

export interface TrainingOptions {
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** RBM pre-training epochs per layer (DBN kinds). */
  pretrainEpochs?: number;
  /** Initial hidden units per layer (DBN kinds). */
  hiddenUnits?: number[];
  /** Upper bound on layers the adaptive DBN may generate. */
  maxLayers?: number;
  /** Train on normalised annotator votes where a face has them. */
  softTargets?: boolean;
  /** Cap on training faces (for quick runs); all when absent. */
  maxSamples?: number;
  /** Early-stopping patience in epochs on the validation split. */
  patience?: number;
}

export interface TrainingStartParams {
  modelKind: ModelKind;
  options: TrainingOptions;
}

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export interface EpochRecord {
  epoch: number;
  phase: string;
  metrics: Record<string, number>;
  /** Hidden units per layer after the epoch (DBN kinds); [] for the CNN. */
  units: number[];
  seconds: number;
}

/** What a run did: train a model, analyse one (k-fold models and scores), or re-learn its children. */
export type RunKindName = 'train' | 'analyze' | 'relearn';

export interface TrainingRunInfo {
  id: RunId;
  kind: RunKindName;
  /** For analysis and re-learning runs: the model it worked on, e.g. "model #3 · 5-fold"; null for training. */
  subject: string | null;
  modelKind: ModelKind;
  config: TrainingOptions;
  /** The tfjs backend the run used. */
  backend: string;
  status: RunStatus;
  epochs: EpochRecord[];
  structureEvents: StructureEvent[];
  /** The model the run produced, once it finished. */
  modelId: ModelId | null;
  /** For a re-learn run: the model it started from. */
  parentModelId: ModelId | null;
  startedAt: string;
  finishedAt: string | null;
  error: string | null;
}

export interface TrainingProgressEvent {
  runId: RunId;
  phase: string;
  /** Global 1-based epoch in progress (across pre-training and fine-tuning). */
  epoch: number;
  /** Epochs the run's options allow in all: an upper bound (early stopping and the Adaptive DBN may end sooner). */
  plannedEpochs: number;
  /** Batch within the epoch in progress. */
  batch: number;
  batches: number;
  samplesPerSecond: number;
  /** Estimated seconds to the end of the whole run (from the first batches on), null when unknown. */
  etaSeconds: number | null;
}

export interface ModelInfo {
  id: ModelId;
  runId: RunId | null;
  kind: ModelKind;
  name: string;
  createdAt: string;
  inputSize: { height: number; width: number };
  /** Hidden units per layer (DBN kinds); [] for the CNN. */
  units: number[];
  /** Final metrics of the run (e.g. valid_accuracy). */
  metrics: Record<string, number>;
  parentModelId: ModelId | null;
}

// ---------------------------------------------------------------- evaluation

export interface ClassMetrics {
  class: ClassName;
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

export interface EvaluationResult {
  id: number;
  modelId: ModelId;
  split: Split;
  accuracy: number;
  per_class: ClassMetrics[];
  /** 8x8, rows = true class, columns = predicted class. */
  confusion: number[][];
  n_evaluated: number;
  /** Faces of the split not evaluated (non-class or missing current label, ...). */
  n_excluded: number;
  excluded_by_reason: Record<string, number>;
  createdAt: string;
}

// ---------------------------------------------------------------- review

/**
 * Orders of the review queue. Model scores (METHOD.md 5) need a model with scores:
 * `kl_annotator` = KL(annotators || model) and `kl_parent_child` in nats, largest first;
 * `vote_entropy` largest first; `margin`, `max_softmax`, `self_confidence` smallest first.
 * Without a model: `disagreement` = 1 - (share of the face's most frequent annotator label),
 * in [0, 1], largest first (anonymous votes, else identified annotators); `id` = import order.
 */
export const REVIEW_SORTS = ['kl_annotator', 'kl_parent_child', 'vote_entropy', 'margin', 'max_softmax', 'self_confidence', 'disagreement', 'id'] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];
/** Sorts read from the scores of a model (the others need none). */
export const MODEL_REVIEW_SORTS = ['kl_annotator', 'kl_parent_child', 'vote_entropy', 'margin', 'max_softmax', 'self_confidence'] as const satisfies readonly ReviewSort[];

export interface ReviewFilter {
  split?: Split;
  givenLabel?: LabelCode;
  currentLabel?: LabelCode;
  /** The model's predicted class (needs a model). With givenLabel: one confusion pair. */
  predicted?: ClassId;
  /** true: the predicted class differs from the given label (needs a model). */
  misclassified?: boolean;
  /** true: only faces with a review decision; false: only faces without. */
  reviewed?: boolean;
  /** true: only faces whose annotators (votes or identified) do not all agree. */
  disagreement?: boolean;
}

/** What a queue shows: a model's scores (or none), an order and a filter; or a given list of faces. */
export interface ReviewQuery {
  modelId: ModelId | null;
  sort: ReviewSort;
  filter: ReviewFilter;
  /** Exactly these faces in this order (handed over by another view), instead of order and filter. */
  list?: { title: string; ids: SampleId[] };
}

/** Keyset position in a queue: the sort value and id of the last face of a page. */
export interface ReviewCursor {
  value: number;
  sampleId: SampleId;
}

export interface FaceListParams {
  /** Whose scores to sort by; required by the model sorts and filters. */
  modelId?: ModelId;
  sort: ReviewSort;
  filter?: ReviewFilter;
  /** List exactly these faces in this order (filter and order are then not applied; page with offset). */
  ids?: SampleId[];
  /** Continue after this face (the previous page's `next`): the fast way to page. */
  after?: ReviewCursor;
  /** Start the page at this face (or at the next one when it left the queue), e.g. to resume; `offset` says its index. */
  startAt?: SampleId;
  /** Start at this index (a jump; costs a scan of the skipped rows). */
  offset?: number;
  limit?: number;
  /** Also count the queue's faces and how many of them are reviewed (one scan: ask on the first page). */
  withCounts?: boolean;
}

export type ReviewAction = 'relabel' | 'confirm' | 'ambiguous' | 'not_face';
export const REVIEW_ACTIONS = ['relabel', 'confirm', 'ambiguous', 'not_face'] as const satisfies readonly ReviewAction[];

export interface FaceListItem {
  id: SampleId;
  split: Split;
  givenLabel: LabelCode | null;
  currentLabel: LabelCode | null;
  /** The model's predicted class, null without a model. */
  predicted: ClassId | null;
  /** The sort value (see ReviewSort), null for `id`. */
  score: number | null;
  reviewed: boolean;
  lastAction: ReviewAction | null;
}

export interface FaceList {
  /** Index in the queue of items[0]; -1 for a page read with `after` (the caller knows where it continues). */
  offset: number;
  items: FaceListItem[];
  /** Cursor for the following page; null at the end. */
  next: ReviewCursor | null;
  counts: { total: number; reviewed: number } | null;
  /** The order in words, e.g. "KL(annotators ‖ model #3), largest first". */
  orderLabel: string;
}

/** One row of the append-only audit trail. */
export interface AuditEntry {
  id: RelabelId;
  sampleId: SampleId;
  action: ReviewAction | 'undo';
  /** relabel: the new class; not_face: 10; confirm: the label confirmed; ambiguous: an optional lean; undo: the label restored. */
  label: LabelCode | null;
  previousLabel: LabelCode | null;
  /** For an undo: the decision it reverts. */
  revertsId: RelabelId | null;
  /** For an undone decision: the undo row. */
  undoneById: RelabelId | null;
  reviewer: string;
  note: string | null;
  createdAt: string;
}

/** The label state of a face (after a decision). */
export interface FaceLabelState {
  id: SampleId;
  givenLabel: LabelCode | null;
  currentLabel: LabelCode | null;
  reviewed: boolean;
  lastAction: ReviewAction | null;
}

export interface FaceScores {
  predicted: ClassId | null;
  klAnnotator: number | null;
  klParentChild: number | null;
  voteEntropy: number | null;
  margin: number | null;
  maxSoftmax: number | null;
  selfConfidence: number | null;
  misclassified: boolean | null;
  confidentLearningIssue: boolean | null;
}

export interface FaceModelOutput {
  modelId: ModelId;
  name: string;
  kind: ModelKind;
  /** Length 8 softmax; null when the model has no prediction for this face. */
  probabilities: number[] | null;
  /** k-fold index of an out-of-sample prediction, null for a plain one. */
  fold: number | null;
  /** For a child model: the confusion pair (given -> predicted class) it was trained on. */
  group: { given: ClassId; predicted: ClassId } | null;
}

export interface FaceDetail extends FaceLabelState {
  split: Split;
  dataset: DatasetKind;
  sourceRef: string;
  width: number;
  height: number;
  originalPath: string | null;
  valence: number | null;
  arousal: number | null;
  /** Identified annotators' labels (reviewers' decisions are in `history`). */
  annotations: { annotator: string; label: LabelCode }[];
  /** Length 12 anonymous vote counts, null when absent. */
  votes: number[] | null;
  /** Length 8: the annotators' class labels (votes, else identified annotators) as a distribution; null when none. */
  annotatorDistribution: number[] | null;
  /** 1 - share of the most frequent annotator label, null with fewer than two labels. */
  disagreement: number | null;
  history: AuditEntry[];
  /** The chosen model's own output, null without a model. */
  model: FaceModelOutput | null;
  /**
   * For a train face whose scores came from the k-fold analysis: the out-of-fold prediction (a
   * fold model that never trained on the face), from which its KL, p(given label), margin and
   * predicted class were computed. Null when the scores came from `model` itself.
   */
  outOfFold: FaceModelOutput | null;
  scores: FaceScores | null;
  /** Outputs of the chosen model's children (models whose parent is it). */
  children: FaceModelOutput[];
}

export interface RelabelParams {
  sampleId: SampleId;
  action: ReviewAction;
  /** relabel: the new class 0..7 (required); ambiguous: an optional lean; ignored otherwise. */
  label?: ClassId;
  reviewer: string;
  note?: string;
}

export interface UndoParams {
  reviewer: string;
  /** The decision to revert; default: the reviewer's latest effective decision (on `sampleId` when given). */
  relabelId?: RelabelId;
  sampleId?: SampleId;
}

export interface DecisionResult {
  /** The appended row; null for an undo with nothing left to undo. */
  entry: AuditEntry | null;
  /** The face's label state afterwards; null when nothing was undone. */
  face: FaceLabelState | null;
}

/** A model offered to the review queue, with the scores it has. */
export interface ReviewModelOption {
  id: ModelId;
  name: string;
  kind: ModelKind;
  parentModelId: ModelId | null;
  /** Model sorts with at least one score for this model. */
  sorts: ReviewSort[];
  createdAt: string;
}

export interface ReviewOptions {
  /** Models with scores, newest first. */
  models: ReviewModelOption[];
  /** METHOD.md 5: the newest scored model (preferring one with kl_annotator); null when none. */
  defaultModelId: ModelId | null;
  /** kl_annotator, else kl_parent_child, else margin; without scores: disagreement, else id. */
  defaultSort: ReviewSort;
  /** Whether any face carries two or more annotator labels (what `disagreement` needs). */
  hasAnnotatorLabels: boolean;
}

/** Where a reviewer stopped: the query and the face, saved on every move. */
export interface ReviewQueueState {
  query: ReviewQuery;
  sampleId: SampleId | null;
  index: number;
  updatedAt: string;
}

export interface SaveQueueStateParams {
  reviewer: string;
  query: ReviewQuery;
  sampleId: SampleId | null;
  index: number;
}

// ---------------------------------------------------------------- annotators, analysis, re-learning, export

/** One identified annotator (METHOD.md 5): leave-one-out agreement with the consensus and Dawid-Skene figures. */
export interface IdentifiedAnnotatorStats {
  name: string;
  labelled: number;
  /** Labels compared with a consensus of the other annotators. */
  compared: number;
  /** Share of compared labels equal to the consensus, in [0, 1]. */
  agreement: number;
  /** 8x8 counts, rows = consensus of the other annotators, columns = this annotator's label. */
  confusion: number[][];
  /** Dawid-Skene P(label | true class), rows = true class. */
  dawidSkeneConfusion: number[][];
  /** Dawid-Skene probability that this annotator's label is right, in [0, 1]. */
  dawidSkeneReliability: number;
}

/** Annotator statistics of the open project; `identified` for named annotators, `crowd` for anonymous vote counts (FER+). */
export interface AnnotatorStatsResult {
  faces: number;
  identified: {
    faces: number;
    annotations: number;
    overallAgreement: number;
    fleissKappa: number;
    annotators: IdentifiedAnnotatorStats[];
    dawidSkene: { iterations: number; converged: boolean; priors: number[] };
  } | null;
  crowd: {
    faces: number;
    facesWithVotes: number;
    fleissKappa: number;
    majorityAgreement: number;
    majorityShare: number;
    meanVoteEntropy: number;
    dawidSkeneConfusion: number[][];
    dawidSkeneReliability: number;
    priors: number[];
  } | null;
}

/** The faces behind one cell of an annotator's confusion matrix. */
export interface AnnotatorFacesParams {
  annotator: string;
  /** Consensus class of the other annotators (the matrix row). */
  consensus: ClassId;
  /** This annotator's label (the matrix column). */
  label: ClassId;
}

export interface AnalysisStartParams {
  modelId: ModelId;
  /** k of the k-fold out-of-sample predictions (default 5; 1 = in-sample, with a warning). */
  folds?: number;
  /** Smallest confusion group kept for re-learning (default 30). */
  nMin?: number;
}

export interface AnalysisProgressEvent {
  jobId: string;
  modelId: ModelId;
  /** 'fold', 'scores', 'annotators', 'groups', 'backend'. */
  stage: string;
  message: string;
  done: number;
  total: number | null;
}

export interface AnalysisDoneEvent {
  jobId: string;
  modelId: ModelId;
  status: JobStatus;
  runId: RunId | null;
  error: string | null;
}

/** An analysis or re-learning job running now, with its latest progress (so a reloaded UI can follow it). */
export interface RunningAnalysisJob {
  jobId: string;
  kind: 'analysis' | 'relearn';
  modelId: ModelId;
  stage: string;
  message: string;
  done: number;
  total: number | null;
}

export interface ConfusionGroupInfo {
  given: ClassId;
  predicted: ClassId;
  /** e.g. "disgust>anger". */
  name: string;
  count: number;
  /** count >= nMin. */
  kept: boolean;
}

/** The latest finished analysis of a model. */
export interface AnalysisSummary {
  runId: RunId;
  modelId: ModelId;
  folds: number;
  inSample: boolean;
  warnings: string[];
  finishedAt: string | null;
  groups: {
    source: 'out-of-fold' | 'in-sample';
    trainFaces: number;
    misclassified: number;
    nMin: number;
    groups: ConfusionGroupInfo[];
  };
}

export interface RelearnStartParams {
  parentModelId: ModelId;
  /** Confusion pairs to re-learn; absent = every pair with >= nMin cases. */
  groups?: { given: ClassId; predicted: ClassId }[];
  nMin?: number;
  /** Fine-tuning epochs of each child. */
  epochs?: number;
  seed?: number;
}

export interface RelearnProgressEvent {
  jobId: string;
  parentModelId: ModelId;
  stage: string;
  message: string;
  done: number;
  total: number | null;
}

export interface RelearnDoneEvent {
  jobId: string;
  parentModelId: ModelId;
  status: JobStatus;
  runId: RunId | null;
  error: string | null;
}

export interface RelearnSplitReport {
  split: 'valid' | 'test';
  parent: { accuracy: number; per_class: ClassMetrics[]; n_evaluated: number };
  parentChildren: { accuracy: number; per_class: ClassMetrics[]; n_evaluated: number };
  routed: number;
  wrongToRight: number;
  rightToWrong: number;
  perChild: { groupId: number; name: string; routed: number; changed: number; wrongToRight: number; rightToWrong: number }[];
}

export type ChildDecision = 'adopted' | 'discarded' | 'undecided';

/** A finished re-learning run of a parent: its children, tau (chosen on valid) and the before/after figures. */
export interface RelearnReport {
  runId: RunId;
  parentModelId: ModelId;
  tau: number;
  children: { modelId: ModelId; groupId: number; name: string; given: ClassId; predicted: ClassId; nCases: number; nReplay: number; epochs: number }[];
  decision: ChildDecision;
  splits: RelearnSplitReport[];
  notes: string[];
  finishedAt: string | null;
}

export type ChangeKind = 'wrong-to-right' | 'right-to-wrong';

export interface ChangedFacesParams {
  runId: RunId;
  split: 'valid' | 'test';
  change: ChangeKind;
  offset?: number;
  limit?: number;
}

export interface ChangedFace {
  sampleId: SampleId;
  /** Reference class (votes' majority or current label). */
  label: ClassId;
  parentPredicted: ClassId;
  routedPredicted: ClassId;
  /** The child the face was routed to. */
  child: string;
}

export const EXPORT_KINDS = ['labels', 'audit', 'affectnet', 'model', 'report'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export interface ExportParams {
  kind: ExportKind;
  /** Where to write: relative to the project's folder (or absolute inside it). */
  out: string;
  /** For 'model' and 'report'. */
  modelId?: ModelId;
}

export interface ExportResult {
  kind: ExportKind;
  /** Absolute paths of the files written. */
  files: string[];
  /** Data rows written (CSV kinds), null otherwise. */
  rows: number | null;
  /** What the export holds or leaves out (e.g. the format a model was exported in). */
  notes: string[];
}

// ---------------------------------------------------------------- the request map

export interface Requests {
  'app.info': { params: NoParams; result: AppInfo };

  'projects.current': { params: NoParams; result: ProjectInfo | null };
  'projects.open': { params: { path: string }; result: ProjectInfo };
  'projects.create': { params: { path: string; name?: string }; result: ProjectInfo };
  'projects.createDemo': { params: { path?: string }; result: ProjectInfo };
  'projects.recent': { params: NoParams; result: RecentProject[] };
  'projects.summary': { params: NoParams; result: ProjectSummary };

  'imports.start': { params: ImportStartParams; result: { jobId: string } };
  'imports.report': { params: { jobId: string }; result: ImportReport };
  'imports.list': { params: NoParams; result: ImportReport[] };
  'imports.cancel': { params: { jobId: string }; result: { cancelled: boolean } };

  'training.start': { params: TrainingStartParams; result: { runId: RunId } };
  'training.cancel': { params: { runId: RunId }; result: { cancelled: boolean } };
  'training.resume': { params: { runId: RunId }; result: { runId: RunId } };
  'training.list': { params: NoParams; result: TrainingRunInfo[] };
  'training.get': { params: { runId: RunId }; result: TrainingRunInfo };

  'models.list': { params: NoParams; result: ModelInfo[] };

  'evaluation.run': { params: { modelId: ModelId; split: Split }; result: EvaluationResult };
  'evaluation.list': { params: { modelId?: ModelId }; result: EvaluationResult[] };

  'faces.reviewOptions': { params: NoParams; result: ReviewOptions };
  'faces.listForReview': { params: FaceListParams; result: FaceList };
  'faces.get': { params: { id: SampleId; modelId?: ModelId }; result: FaceDetail };
  'faces.getQueueState': { params: { reviewer: string }; result: ReviewQueueState | null };
  'faces.saveQueueState': { params: SaveQueueStateParams; result: { saved: true } };
  'labels.relabel': { params: RelabelParams; result: DecisionResult };
  'labels.undo': { params: UndoParams; result: DecisionResult };
  'annotators.stats': { params: NoParams; result: AnnotatorStatsResult };
  'annotators.faces': { params: AnnotatorFacesParams; result: { sampleIds: SampleId[] } };
  'analysis.start': { params: AnalysisStartParams; result: { jobId: string } };
  'analysis.latest': { params: { modelId: ModelId }; result: AnalysisSummary | null };
  /** Stops a running analysis or re-learning job (its run is marked cancelled). */
  'analysis.cancel': { params: { jobId: string }; result: { cancelled: boolean } };
  'analysis.jobs': { params: NoParams; result: RunningAnalysisJob[] };
  'relearn.parents': { params: NoParams; result: ModelInfo[] };
  'relearn.start': { params: RelearnStartParams; result: { jobId: string } };
  'relearn.latest': { params: { parentModelId: ModelId }; result: RelearnReport | null };
  'relearn.changedFaces': { params: ChangedFacesParams; result: { total: number; items: ChangedFace[] } };
  'relearn.decide': { params: { runId: RunId; decision: 'adopted' | 'discarded' }; result: RelearnReport };
  'export.run': { params: ExportParams; result: ExportResult };
}

export type RequestName = keyof Requests;
export type ParamsOf<M extends RequestName> = Requests[M]['params'];
export type ResultOf<M extends RequestName> = Requests[M]['result'];

// ---------------------------------------------------------------- the event map

export interface Events {
  'project:changed': { project: ProjectInfo | null };
  'project:progress': ProjectProgress;
  'import:progress': ImportProgressEvent;
  'import:done': ImportReport;
  'training:progress': TrainingProgressEvent;
  'training:epoch': { runId: RunId; epoch: EpochRecord };
  'training:structure': { runId: RunId; event: StructureEvent };
  'training:done': { runId: RunId; status: RunStatus; modelId: ModelId | null; error: string | null };
  'analysis:progress': AnalysisProgressEvent;
  'analysis:done': AnalysisDoneEvent;
  'relearn:progress': RelearnProgressEvent;
  'relearn:done': RelearnDoneEvent;
  'job:error': { jobId: string; kind: 'import' | 'training' | 'evaluation' | 'analysis' | 'relearn' | 'project'; message: string };
}

export type EventName = keyof Events;
export type PayloadOf<E extends EventName> = Events[E];

// ---------------------------------------------------------------- name lists

/** Every key of T exactly once: a compile error names the missing or extra key. */
type ExactKeys<T, L extends readonly string[]> = [Exclude<keyof T, L[number]>] extends [never]
  ? [Exclude<L[number], keyof T>] extends [never]
    ? L
    : { extra: Exclude<L[number], keyof T> }
  : { missing: Exclude<keyof T, L[number]> };

const requestNames = [
  'app.info',
  'projects.current',
  'projects.open',
  'projects.create',
  'projects.createDemo',
  'projects.recent',
  'projects.summary',
  'imports.start',
  'imports.report',
  'imports.list',
  'imports.cancel',
  'training.start',
  'training.cancel',
  'training.resume',
  'training.list',
  'training.get',
  'models.list',
  'evaluation.run',
  'evaluation.list',
  'faces.reviewOptions',
  'faces.listForReview',
  'faces.get',
  'faces.getQueueState',
  'faces.saveQueueState',
  'labels.relabel',
  'labels.undo',
  'annotators.stats',
  'annotators.faces',
  'analysis.start',
  'analysis.latest',
  'analysis.cancel',
  'analysis.jobs',
  'relearn.parents',
  'relearn.start',
  'relearn.latest',
  'relearn.changedFaces',
  'relearn.decide',
  'export.run',
] as const;
/** Every request name; the preload and the IPC handlers are generated from it. */
export const REQUEST_NAMES: ExactKeys<Requests, typeof requestNames> = requestNames;

const eventNames = [
  'project:changed',
  'project:progress',
  'import:progress',
  'import:done',
  'training:progress',
  'training:epoch',
  'training:structure',
  'training:done',
  'analysis:progress',
  'analysis:done',
  'relearn:progress',
  'relearn:done',
  'job:error',
] as const;
/** Every event name; a transport forwards only these. */
export const EVENT_NAMES: ExactKeys<Events, typeof eventNames> = eventNames;

export function isRequestName(name: unknown): name is RequestName {
  return typeof name === 'string' && (REQUEST_NAMES as readonly string[]).includes(name);
}

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && (EVENT_NAMES as readonly string[]).includes(name);
}

// ---------------------------------------------------------------- errors

/** Error codes every transport carries unchanged. */
export const ERROR_CODES = [
  'invalid_params',
  'unknown_method',
  'no_project',
  'not_found',
  'not_available',
  'conflict',
  'internal',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorShape {
  code: ErrorCode;
  message: string;
}

/** An error meant for the caller: its code and message cross the transport verbatim. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorShape {
    return { code: this.code, message: this.message };
  }
}

/**
 * The {code, message} of any thrown value: an ApiError keeps its own (also one from another
 * copy of this module, e.g. across a bundle boundary), anything else becomes 'internal'.
 */
export function errorShapeOf(e: unknown, prefix?: string): ApiErrorShape {
  const maybe = e as { code?: unknown; message?: unknown } | null;
  if (maybe && typeof maybe === 'object' && (ERROR_CODES as readonly unknown[]).includes(maybe.code) && typeof maybe.message === 'string') {
    return { code: maybe.code as ErrorCode, message: maybe.message };
  }
  const message = e instanceof Error ? e.message : String(e);
  return { code: 'internal', message: prefix ? `${prefix}: ${message}` : message };
}
