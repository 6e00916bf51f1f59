/**
 * The review workflow behind `faces.*` and `labels.*`: which models and orders the queue can
 * use (METHOD.md 5 default rule), pages of the queue, one face in detail, review decisions
 * written straight to the append-only audit trail (in SQLite before the call returns), undo,
 * and the per-reviewer queue state that lets a person resume where they stopped.
 */
import {
  ApiError,
  type DecisionResult,
  type FaceLabelState,
  type FaceList,
  type FaceListParams,
  type ModelKind,
  type RelabelParams,
  type ReviewModelOption,
  type ReviewOptions,
  type ReviewQuery,
  type ReviewQueueState,
  type ReviewSort,
  type SaveQueueStateParams,
  type UndoParams,
} from '../../../api/contract.ts';
import { CLASS_NAMES, isClassLabel, type ModelId, type SampleId } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getModel, listModels } from '../../../db/model-store.ts';
import { recordDecision, undoDecision, undoLastDecision, type LabelDecision } from '../../../db/relabel-store.ts';
import { undoBatch, undoLatestStep } from '../../../db/relabel-batch-store.ts';
import { decisionStatus, faceLabelRow, hasAnnotatorLabels, knownSampleIds, scoredSorts } from '../../../db/review-lookups.ts';
import {
  countReviewedAmong,
  isScoreSort,
  reviewListPage,
  reviewQueueCountBefore,
  reviewQueueCounts,
  reviewQueuePage,
  reviewSortDirection,
  reviewSortValue,
} from '../../../db/review-queue-query.ts';
import { getReviewQueue, saveReviewQueue } from '../../../db/review-queue-store.ts';
import { toAuditEntry } from './review-face.ts';

export { faceDetail } from './review-face.ts';

const DEFAULT_LIMIT = 200;

// Measured on FER+ with 3 of its 10 votes per face, valid split (docs/results.md section 4).
const CROWDLAB_REASON =
  'CROWDLAB weighs the model against the annotators by how reliable each has proved. On FER+ with three labels per face it found wrong labels best of all scores (AUROC 0.90, vote entropy 0.87, the model alone 0.74) and ambiguous faces too (0.84, vote entropy 0.80); with one label per face it ranks as the model\'s probability of that label.';

/** Models with scores (newest first) and the default order: METHOD.md 5. */
export function reviewOptions(db: ProjectDb): ReviewOptions {
  const models: ReviewModelOption[] = [];
  for (const m of listModels(db).sort((a, b) => b.id - a.id)) {
    const sorts = scoredSorts(db, m.id);
    if (sorts.length) models.push({ id: m.id, name: m.name, kind: m.kind as ModelKind, parentModelId: m.parentModelId, sorts, createdAt: m.createdAt });
  }
  const preference: ReviewSort[] = DEFAULT_ORDER_PREFERENCE;
  let defaultModelId: ModelId | null = null;
  let defaultSort: ReviewSort | null = null;
  for (const sort of preference) {
    const m = models.find((x) => x.sorts.includes(sort));
    if (m) {
      defaultModelId = m.id;
      defaultSort = sort;
      break;
    }
  }
  if (!defaultModelId && models.length) {
    defaultModelId = models[0].id;
    defaultSort = models[0].sorts[0];
  }
  const annotatorLabels = hasAnnotatorLabels(db);
  const sort = defaultSort ?? (annotatorLabels ? 'disagreement' : 'id');
  return { models, defaultModelId, defaultSort: sort, defaultReason: DEFAULT_ORDER_REASON[sort] ?? 'the first order this model has scores for.', hasAnnotatorLabels: annotatorLabels };
}

/** The review queue's default order, best first: the first one the newest scored model has. */
export const DEFAULT_ORDER_PREFERENCE: ReviewSort[] = ['crowdlab', 'kl_annotator', 'kl_parent_child', 'margin'];

/** Why each possible default is the default (measured on few-annotator FER+, docs/results.md). */
const DEFAULT_ORDER_REASON: Partial<Record<ReviewSort, string>> = {
  crowdlab: CROWDLAB_REASON,
  kl_annotator: 'this model has no CROWDLAB score (analyse it again to get one); KL(annotators ‖ model) puts first the faces whose votes the model disagrees with most.',
  kl_parent_child: 'no face has annotator votes, so the faces where a child model disagrees most with its parent come first.',
  margin: 'no face has annotator votes and no child model has run, so the faces the model is least sure about come first.',
  disagreement: 'no model has scores yet, so the faces whose annotators disagree most come first.',
  id: 'no model has scores and no face has two annotator labels: faces come in import order.',
};


/** The order in words, for the UI ("which order is in use"). */
export function orderLabel(sort: ReviewSort, modelId: ModelId | null): string {
  const model = modelId === null ? '' : `model #${modelId}`;
  const first = reviewSortDirection(sort) === 'desc' ? 'largest first' : 'smallest first';
  switch (sort) {
    case 'kl_annotator':
      return `KL(annotators ‖ ${model}), ${first}`;
    case 'kl_parent_child':
      return `KL(${model} ‖ its child), ${first}`;
    case 'vote_entropy':
      return `entropy of the annotators' votes, ${first}`;
    case 'margin':
      return `margin of ${model} (top-1 − top-2), ${first}`;
    case 'max_softmax':
      return `confidence of ${model}, ${first}`;
    case 'self_confidence':
      return `${model}'s probability of the given label, ${first}`;
    case 'crowdlab':
      return `CROWDLAB quality of the given label (${model} and the annotators, weighted by reliability), ${first}`;
    case 'normalized_margin':
      return `normalised margin of the given label under ${model}, ${first}`;
    case 'disagreement':
      return `annotator disagreement (no model scores), ${first}`;
    case 'id':
      return 'import order (no model scores, no annotator labels)';
  }
}

function checkModel(db: ProjectDb, modelId: ModelId | undefined): ModelId | null {
  if (modelId === undefined) return null;
  if (!getModel(db, modelId)) throw new ApiError('not_found', `no model ${modelId} in this project`);
  return modelId;
}

export function listForReview(db: ProjectDb, p: FaceListParams): FaceList {
  const spec = { modelId: checkModel(db, p.modelId), sort: p.sort, filter: p.filter ?? {} };
  if (isScoreSort(p.sort) && spec.modelId === null) throw new ApiError('invalid_params', `sort ${p.sort} needs a modelId (a model with scores)`);
  const limit = p.limit ?? DEFAULT_LIMIT;
  if (p.ids) return listGiven(db, { ...spec, ids: p.ids }, p, limit);
  const positions = [p.after, p.startAt, p.offset].filter((x) => x !== undefined).length;
  if (positions > 1) throw new ApiError('invalid_params', 'give at most one of after, startAt and offset');
  if (spec.modelId === null && (spec.filter.predicted !== undefined || spec.filter.misclassified !== undefined || (spec.filter.ranges ?? []).length > 0)) {
    throw new ApiError('invalid_params', 'the predicted / misclassified / score range filter needs a model (modelId)');
  }
  for (const r of spec.filter.ranges ?? []) {
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) throw new ApiError('invalid_params', `filter.ranges: ${r.score}: min ${r.min} is above max ${r.max}`);
  }
  let offset = p.offset ?? 0;
  let page;
  if (p.startAt !== undefined) {
    const value = reviewSortValue(db, spec, p.startAt);
    if (value === null) {
      // The face has no value in this order: it is in no such queue; start at the top.
      page = reviewQueuePage(db, { ...spec, limit });
      offset = 0;
    } else {
      const at = { value, sampleId: p.startAt };
      offset = reviewQueueCountBefore(db, spec, at);
      page = reviewQueuePage(db, { ...spec, limit, from: at });
    }
  } else {
    page = reviewQueuePage(db, { ...spec, limit, after: p.after, offset: p.after ? undefined : offset });
    if (p.after) offset = -1;
  }
  return {
    offset,
    items: page.items,
    next: page.next,
    counts: p.withCounts ? reviewQueueCounts(db, spec) : null,
    orderLabel: orderLabel(p.sort, spec.modelId),
  };
}

/** A queue of given faces (a hand-over from another view): paged by offset in the list's order. */
function listGiven(db: ProjectDb, spec: { modelId: ModelId | null; sort: ReviewSort; ids: SampleId[] }, p: FaceListParams, limit: number): FaceList {
  if (p.after) throw new ApiError('invalid_params', 'a list of faces is paged with offset, not after');
  // Unknown ids are dropped up front so indexes and counts agree.
  const known = knownSampleIds(db, spec.ids);
  const ids = spec.ids.filter((id) => known.has(id));
  const offset = p.startAt !== undefined ? Math.max(0, ids.indexOf(p.startAt)) : (p.offset ?? 0);
  return {
    offset,
    items: reviewListPage(db, spec, ids, offset, limit),
    next: null,
    counts: p.withCounts ? { total: ids.length, reviewed: countReviewedAmong(db, ids) } : null,
    orderLabel: `a list of ${ids.length} faces, in the order it was given`,
  };
}

export function labelState(db: ProjectDb, sampleId: number): FaceLabelState {
  const r = faceLabelRow(db, sampleId);
  if (!r) throw new ApiError('not_found', `no face ${sampleId} in this project`);
  return { id: sampleId as SampleId, givenLabel: r.givenLabel, currentLabel: r.currentLabel, reviewed: r.lastAction !== null, lastAction: r.lastAction };
}

/** Appends one decision to the audit trail (committed when this returns). */
export function decide(db: ProjectDb, p: RelabelParams): DecisionResult {
  labelState(db, p.sampleId);
  if (p.action === 'relabel' && !isClassLabel(p.label)) {
    throw new ApiError('invalid_params', `relabel needs label, a class 0..${CLASS_NAMES.length - 1}`);
  }
  const entry = recordDecision(db, { sampleId: p.sampleId, action: p.action, label: p.action === 'relabel' || p.action === 'ambiguous' ? (p.label ?? null) : null, reviewer: p.reviewer, note: p.note?.trim() || null });
  const face = labelState(db, p.sampleId);
  return { entry: toAuditEntry(entry), face, changed: [face] };
}

/**
 * Reverts one decision, one batch (`batchId`), or the reviewer's latest step: their latest
 * decision, or the whole batch it belongs to (a bulk accept is undone as it was taken). With
 * `sampleId`, the reviewer's latest decision on that face alone.
 */
export function undo(db: ProjectDb, p: UndoParams): DecisionResult {
  if ([p.relabelId, p.sampleId, p.batchId].filter((x) => x !== undefined).length > 1) throw new ApiError('invalid_params', 'give at most one of relabelId, sampleId and batchId');
  if (p.batchId !== undefined || (p.relabelId === undefined && p.sampleId === undefined)) return undoStep(db, p.reviewer, p.batchId);
  let entry: LabelDecision | null;
  if (p.relabelId !== undefined) {
    const target = decisionStatus(db, p.relabelId);
    if (!target) throw new ApiError('not_found', `no decision ${p.relabelId} in this project`);
    if (target.action === 'undo') throw new ApiError('conflict', `decision ${p.relabelId} is itself an undo`);
    if (target.undone) throw new ApiError('conflict', `decision ${p.relabelId} is already undone`);
    entry = undoDecision(db, { decisionId: p.relabelId, reviewer: p.reviewer });
  } else {
    entry = undoLastDecision(db, { reviewer: p.reviewer, sampleId: p.sampleId });
  }
  if (!entry) return { entry: null, face: null, changed: [] };
  const face = labelState(db, entry.sampleId);
  return { entry: toAuditEntry(entry), face, changed: [face] };
}

/** A batch, or the reviewer's latest step (a batch as a whole), undone in one transaction. */
function undoStep(db: ProjectDb, reviewer: string, batchId: number | undefined): DecisionResult {
  let entries: LabelDecision[];
  if (batchId === undefined) entries = undoLatestStep(db, reviewer) ?? [];
  else {
    try {
      entries = undoBatch(db, { batchId, reviewer }).decisions;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new ApiError(/does not exist/.test(message) ? 'not_found' : 'conflict', message);
    }
  }
  const last = entries[entries.length - 1];
  if (!last) return { entry: null, face: null, changed: [] };
  const changed = entries.map((e) => labelState(db, e.sampleId));
  return { entry: toAuditEntry(last), face: changed[changed.length - 1], changed };
}

const queueKey = (reviewer: string) => `review:${reviewer}`;

export function saveQueueState(db: ProjectDb, p: SaveQueueStateParams): { saved: true } {
  if (p.sampleId !== null) labelState(db, p.sampleId);
  saveReviewQueue(db, queueKey(p.reviewer), { filter: { ...p.query }, lastSampleId: p.sampleId, lastIndex: p.index });
  return { saved: true };
}

export function getQueueState(db: ProjectDb, reviewer: string): ReviewQueueState | null {
  const s = getReviewQueue(db, queueKey(reviewer));
  if (!s) return null;
  return { query: getQueueStateQuery(db, s.filter), sampleId: s.lastSampleId, index: s.lastIndex, updatedAt: s.updatedAt };
}

/** A stored query read back (saved position or saved view); a model deleted since falls back to none (the UI then picks the default order). */
export function getQueueStateQuery(db: ProjectDb, stored: Record<string, unknown>): ReviewQuery {
  const q = stored as Partial<ReviewQuery>;
  const modelId = typeof q.modelId === 'number' && getModel(db, q.modelId) ? q.modelId : null;
  const query: ReviewQuery = { modelId, sort: q.sort ?? 'id', filter: q.filter ?? {} };
  if (q.list && Array.isArray(q.list.ids)) query.list = { title: String(q.list.title ?? ''), ids: q.list.ids };
  return query;
}
