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

/** Models with scores (newest first) and the default order: METHOD.md 5. */
export function reviewOptions(db: ProjectDb): ReviewOptions {
  const models: ReviewModelOption[] = [];
  for (const m of listModels(db).sort((a, b) => b.id - a.id)) {
    const sorts = scoredSorts(db, m.id);
    if (sorts.length) models.push({ id: m.id, name: m.name, kind: m.kind as ModelKind, parentModelId: m.parentModelId, sorts, createdAt: m.createdAt });
  }
  const preference: ReviewSort[] = ['kl_annotator', 'kl_parent_child', 'margin'];
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
  return { models, defaultModelId, defaultSort: defaultSort ?? (annotatorLabels ? 'disagreement' : 'id'), hasAnnotatorLabels: annotatorLabels };
}

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
  if (spec.modelId === null && (spec.filter.predicted !== undefined || spec.filter.misclassified !== undefined)) {
    throw new ApiError('invalid_params', 'the predicted / misclassified filter needs a model (modelId)');
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
  const entry = recordDecision(db, { sampleId: p.sampleId, action: p.action, label: p.action === 'relabel' || p.action === 'ambiguous' ? (p.label ?? null) : null, reviewer: p.reviewer, note: p.note ?? null });
  return { entry: toAuditEntry(entry), face: labelState(db, p.sampleId) };
}

/** Reverts one decision, or the reviewer's latest (on one face when sampleId is given). */
export function undo(db: ProjectDb, p: UndoParams): DecisionResult {
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
  return entry ? { entry: toAuditEntry(entry), face: labelState(db, entry.sampleId) } : { entry: null, face: null };
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
  const q = s.filter as Partial<ReviewQuery>;
  // A model deleted since: fall back to no model (the UI then picks the default order).
  const modelId = typeof q.modelId === 'number' && getModel(db, q.modelId) ? q.modelId : null;
  const query: ReviewQuery = { modelId, sort: q.sort ?? 'id', filter: q.filter ?? {} };
  if (q.list && Array.isArray(q.list.ids)) query.list = { title: String(q.list.title ?? ''), ids: q.list.ids };
  return { query, sampleId: s.lastSampleId, index: s.lastIndex, updatedAt: s.updatedAt };
}
