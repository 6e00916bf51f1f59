/**
 * Small reads the review workflow makes around its queue: which score orders a model can
 * offer, whether the project has annotator labels to order by without a model, which of a
 * handed-over list of ids exist, one face's label state, and whether a decision can be undone.
 * Each is one cached statement and at most a few index probes.
 */
import type { SampleId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import type { DecisionAction } from './relabel-store.ts';
import { SORTABLE_SCORES, type SortableScore } from './score-store.ts';

/** The score columns in which the model has at least one value (each probe is one seek into that score's index). */
export function scoredSorts(db: ProjectDb, modelId: number): SortableScore[] {
  return SORTABLE_SCORES.filter((col) => db.stmt<[number], number>(`SELECT 1 FROM scores WHERE model_id = ? AND ${col} IS NOT NULL LIMIT 1`, 'pluck').get(modelId) !== undefined);
}

/** Whether some face has two or more annotator labels (anonymous votes or identified annotators). */
export function hasAnnotatorLabels(db: ProjectDb): boolean {
  return (
    db.stmt<[], number>('SELECT 1 FROM sample_votes WHERE n_total >= 2 LIMIT 1', 'pluck').get() !== undefined ||
    // A face has at most one label per annotator: with fewer than two annotators who labelled
    // anything (AffectNet's one), no face has two, and the scan of every annotation is skipped.
    ((db.stmt<[], number>('SELECT COUNT(*) FROM annotators a WHERE EXISTS (SELECT 1 FROM annotations n WHERE n.annotator_id = a.id)', 'pluck').get() ?? 0) >= 2 &&
      db.stmt<[], number>('SELECT 1 FROM annotations GROUP BY sample_id HAVING COUNT(*) >= 2 LIMIT 1', 'pluck').get() !== undefined)
  );
}

/** The ids of the list that are faces of this project. */
export function knownSampleIds(db: ProjectDb, ids: readonly number[]): Set<number> {
  return new Set(db.stmt<[string], number>('SELECT s.id FROM json_each(?) j JOIN samples s ON s.id = j.value', 'pluck').all(JSON.stringify(ids)));
}

export interface FaceLabelRow {
  givenLabel: number | null;
  currentLabel: number | null;
  /** The latest effective decision; null when the face is not reviewed. */
  lastAction: DecisionAction | null;
}

/** One face's given and current label and last decision (view `sample_labels`); null for an unknown id. */
export function faceLabelRow(db: ProjectDb, sampleId: SampleId | number): FaceLabelRow | null {
  const r = db
    .stmt<[number], { given_label: number | null; current_label: number | null; last_action: DecisionAction | null }>(
      'SELECT given_label, current_label, last_action FROM sample_labels WHERE sample_id = ?',
    )
    .get(sampleId);
  return r ? { givenLabel: r.given_label, currentLabel: r.current_label, lastAction: r.last_action } : null;
}

/** A decision of the audit trail: its face, its action and whether an undo already reverts it; null for an unknown id. */
export function decisionStatus(db: ProjectDb, relabelId: number): { sampleId: number; action: string; undone: boolean } | null {
  const r = db
    .stmt<[number], { sample_id: number; action: string; undone: number }>(
      'SELECT sample_id, action, EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id) AS undone FROM relabels r WHERE id = ?',
    )
    .get(relabelId);
  return r ? { sampleId: r.sample_id, action: r.action, undone: r.undone === 1 } : null;
}
