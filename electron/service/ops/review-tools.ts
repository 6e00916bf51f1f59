/**
 * The review tools behind labels.acceptSuggestions, faces.addTag / removeTag / tags and
 * views.*: accepting a model's suggested labels for a selection or the top k of a queue as one
 * batch of the audit trail (undone as one step by labels.undo), free tags, and saved views
 * (stored in the project's review_queues table under the key "view:<name>").
 */
import { ApiError, type AcceptSuggestionsParams, type AcceptSuggestionsResult, type FaceLabelState, type ReviewQuery, type SavedView, type SaveViewParams } from '../../../api/contract.ts';
import type { SampleId } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { addTag, listTags, removeTag } from '../../../db/face-tags.ts';
import { getModel } from '../../../db/model-store.ts';
import { recordBatch } from '../../../db/relabel-batch-store.ts';
import { faceLabelRow, knownSampleIds } from '../../../db/review-lookups.ts';
import { reviewQueuePage } from '../../../db/review-queue-query.ts';
import { deleteReviewQueue, getReviewQueue, listReviewQueues, saveReviewQueue } from '../../../db/review-queue-store.ts';
import { suggestionsFor } from '../../../db/review-suggestions.ts';
import { getQueueStateQuery } from './review.ts';

function labelState(db: ProjectDb, id: number): FaceLabelState {
  const r = faceLabelRow(db, id)!;
  return { id: id as SampleId, givenLabel: r.givenLabel, currentLabel: r.currentLabel, reviewed: r.lastAction !== null, lastAction: r.lastAction };
}

function requireFaces(db: ProjectDb, ids: readonly number[]): void {
  const known = knownSampleIds(db, ids);
  const missing = ids.filter((id) => !known.has(id));
  if (missing.length) throw new ApiError('not_found', `no face ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ` (and ${missing.length - 5} more)` : ''} in this project`);
}

/** The first k faces of a queue, in its order. */
function topOfQueue(db: ProjectDb, query: ReviewQuery, k: number): number[] {
  if (query.list) return query.list.ids.slice(0, k);
  try {
    return reviewQueuePage(db, { modelId: query.modelId, sort: query.sort, filter: query.filter, limit: k }).items.map((x) => x.id);
  } catch (e) {
    throw new ApiError('invalid_params', `top.query: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** Relabels each face to the model's suggestion, all in one batch; faces without one are counted as skipped. */
export function acceptSuggestions(db: ProjectDb, p: AcceptSuggestionsParams): AcceptSuggestionsResult {
  if ((p.sampleIds === undefined) === (p.top === undefined)) throw new ApiError('invalid_params', 'give either sampleIds (a selection) or top (the first k of a queue)');
  if (!getModel(db, p.modelId)) throw new ApiError('not_found', `no model ${p.modelId} in this project`);
  const ids = [...new Set(p.sampleIds ?? topOfQueue(db, p.top!.query, p.top!.k))];
  if (p.sampleIds) requireFaces(db, ids);
  const suggestions = suggestionsFor(db, p.modelId, ids);
  const decisions = ids.flatMap((id) => {
    const s = suggestions.get(id);
    return s ? [{ sampleId: id, label: s.label }] : [];
  });
  if (decisions.length === 0) return { batchId: null, changed: [], skipped: ids.length };
  const batch = recordBatch(db, { kind: 'accept_suggestions', reviewer: p.reviewer, decisions, note: p.note?.trim() || null });
  return { batchId: batch.batchId, changed: decisions.map((d) => labelState(db, d.sampleId)), skipped: ids.length - decisions.length };
}

function tagged<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ApiError('invalid_params', message);
  }
}

export function addFaceTag(db: ProjectDb, sampleIds: readonly number[], tag: string): { added: number } {
  requireFaces(db, sampleIds);
  return { added: tagged(() => addTag(db, sampleIds, tag)) };
}

export function removeFaceTag(db: ProjectDb, sampleIds: readonly number[], tag: string): { removed: number } {
  requireFaces(db, sampleIds);
  return { removed: tagged(() => removeTag(db, sampleIds, tag)) };
}

export const faceTags = listTags;

const VIEW_PREFIX = 'view:';

function toView(db: ProjectDb, key: string): SavedView | null {
  const s = getReviewQueue(db, key);
  if (!s) return null;
  return { name: key.slice(VIEW_PREFIX.length), query: getQueueStateQuery(db, s.filter), sampleId: s.lastSampleId, index: s.lastIndex, updatedAt: s.updatedAt };
}

/** Saved views, most recently saved first. */
export function listViews(db: ProjectDb): SavedView[] {
  return listReviewQueues(db)
    .filter((q) => q.key.startsWith(VIEW_PREFIX))
    .map((q) => toView(db, q.key)!);
}

/** Saves (or replaces) a view under its name. */
export function saveView(db: ProjectDb, p: SaveViewParams): SavedView {
  const name = p.name.trim();
  if (!name) throw new ApiError('invalid_params', 'name: a view needs a name');
  if (p.sampleId !== null) requireFaces(db, [p.sampleId]);
  saveReviewQueue(db, VIEW_PREFIX + name, { filter: { ...p.query }, lastSampleId: p.sampleId, lastIndex: p.index });
  return toView(db, VIEW_PREFIX + name)!;
}

export function deleteView(db: ProjectDb, name: string): { deleted: boolean } {
  return { deleted: deleteReviewQueue(db, VIEW_PREFIX + name.trim()) };
}
