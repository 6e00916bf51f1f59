/**
 * Browsing faces without a model: a page of light rows (no pixels) in id order, filtered by
 * split, given or current label, dataset and review state, with an id cursor so deep pages
 * cost the same as the first. The score-sorted review queue is in score-store.ts.
 */
import type { DatasetKind, LabelCode, SampleId, Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import type { DecisionAction } from './relabel-store.ts';

export interface SampleFilter {
  split?: Split;
  dataset?: DatasetKind;
  givenLabel?: LabelCode;
  currentLabel?: LabelCode;
  /** true: only reviewed faces; false: only faces not reviewed yet. */
  reviewed?: boolean;
  /** Only faces whose current label differs from the given one (relabelled or marked not a face). */
  changed?: boolean;
}

export interface SampleListItem {
  id: SampleId;
  sourceRef: string;
  dataset: DatasetKind;
  split: Split;
  givenLabel: LabelCode | null;
  currentLabel: LabelCode | null;
  lastAction: DecisionAction | null;
  hasVotes: boolean;
}

const FILTER_SQL = `
  (@split IS NULL OR s.split = @split)
  AND (@dataset IS NULL OR s.dataset = @dataset)
  AND (@given IS NULL OR s.given_label = @given)
  AND (@current IS NULL OR l.current_label = @current)
  AND (@reviewed IS NULL OR (l.last_action IS NOT NULL) = @reviewed)
  AND (@changed IS NULL OR (l.current_label IS NOT s.given_label) = @changed)`;

function params(f: SampleFilter): Record<string, unknown> {
  const bool = (b: boolean | undefined) => (b === undefined ? null : b ? 1 : 0);
  return {
    split: f.split ?? null,
    dataset: f.dataset ?? null,
    given: f.givenLabel ?? null,
    current: f.currentLabel ?? null,
    reviewed: bool(f.reviewed),
    changed: bool(f.changed),
  };
}

/** Faces after id `afterId` (exclusive) matching the filter, ascending id. */
export function pageSamples(db: ProjectDb, req: { filter?: SampleFilter; afterId?: number; limit?: number } = {}): { items: SampleListItem[]; nextAfterId: number | null } {
  const limit = Math.max(1, Math.min(req.limit ?? 100, 10_000));
  const rows = db
    .stmt<[Record<string, unknown>], { id: number; source_ref: string; dataset: DatasetKind; split: Split; given_label: number | null; current_label: number | null; last_action: DecisionAction | null; has_votes: number }>(
      `SELECT s.id, s.source_ref, s.dataset, s.split, s.given_label, l.current_label, l.last_action,
              EXISTS (SELECT 1 FROM sample_votes v WHERE v.sample_id = s.id) AS has_votes
       FROM samples s JOIN sample_labels l ON l.sample_id = s.id
       WHERE s.id > @after AND ${FILTER_SQL}
       ORDER BY s.id LIMIT @limit`,
    )
    .all({ after: req.afterId ?? 0, limit, ...params(req.filter ?? {}) });
  const items = rows.map((r) => ({
    id: r.id as SampleId,
    sourceRef: r.source_ref,
    dataset: r.dataset,
    split: r.split,
    givenLabel: r.given_label,
    currentLabel: r.current_label,
    lastAction: r.last_action,
    hasVotes: r.has_votes === 1,
  }));
  return { items, nextAfterId: items.length === limit ? items[items.length - 1].id : null };
}

export function countSamples(db: ProjectDb, filter: SampleFilter = {}): number {
  return db
    .stmt<[Record<string, unknown>], number>(`SELECT count(*) FROM samples s JOIN sample_labels l ON l.sample_id = s.id WHERE ${FILTER_SQL}`, 'pluck')
    .get(params(filter))!;
}
