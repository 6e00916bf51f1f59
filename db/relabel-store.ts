/**
 * The relabel audit trail. Review decisions are only ever appended (the table refuses UPDATE
 * and DELETE by trigger); an undo is a new row that names the decision it reverts. The current
 * label of a face is derived, never stored: its given label overridden by the latest effective
 * (not undone) relabel or not_face decision (view `sample_labels`). A face is "reviewed" when
 * it has at least one effective decision of any kind.
 */
import { LABEL_NOT_FACE, isClassLabel, type LabelCode, type RelabelId, type SampleId, type Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { REVIEW_ACTIONS, type AuditEntry, type ReviewAction } from '../api/contract.ts';
import { ensureAnnotator } from './annotator-store.ts';

// The audit trail's vocabulary and row shape are the contract's, so the review UI shows rows as stored.
export const DECISION_ACTIONS = REVIEW_ACTIONS;
export type DecisionAction = ReviewAction;
export type AuditAction = DecisionAction | 'undo';
/** One audit-trail row; `previousLabel` is the current label just before it. */
export type LabelDecision = AuditEntry;

export interface DecisionInput {
  sampleId: SampleId | number;
  action: DecisionAction;
  /** Required for relabel (a class 0..7); optional for ambiguous; ignored for confirm / not_face. */
  label?: LabelCode | null;
  reviewer: string;
  note?: string | null;
  /** The bulk action (relabel_batches) this decision is part of. */
  batchId?: number | null;
}

interface DecisionRow {
  id: number;
  sample_id: number;
  action: AuditAction;
  label: number | null;
  previous_label: number | null;
  reverts_id: number | null;
  undone_by: number | null;
  reviewer: string;
  note: string | null;
  batch_id: number | null;
  created_at: string;
  duplicate_of: number | null;
}

const DECISION_SELECT = `
  SELECT r.id, r.sample_id, r.action, r.label, r.previous_label, r.reverts_id,
         (SELECT u.id FROM relabels u WHERE u.reverts_id = r.id) AS undone_by,
         a.name AS reviewer, r.note, r.batch_id, r.created_at, r.duplicate_of
  FROM relabels r JOIN annotators a ON a.id = r.reviewer_id`;

function toDecision(r: DecisionRow): LabelDecision {
  return {
    id: r.id as RelabelId,
    sampleId: r.sample_id as SampleId,
    action: r.action,
    label: r.label,
    previousLabel: r.previous_label,
    revertsId: r.reverts_id as RelabelId | null,
    undoneById: r.undone_by as RelabelId | null,
    reviewer: r.reviewer,
    note: r.note,
    batchId: r.batch_id,
    createdAt: r.created_at,
    duplicateOf: r.duplicate_of as SampleId | null,
  };
}

function decisionById(db: ProjectDb, id: number): LabelDecision {
  return toDecision(db.stmt<[number], DecisionRow>(`${DECISION_SELECT} WHERE r.id = ?`).get(id)!);
}

/**
 * The project's label version: the id of the latest audit-trail row, 0 before the first. The
 * trail is append-only, so any decision or undo moves it forward; computations stamp it to
 * tell whether the labels changed since.
 */
export function labelVersion(db: ProjectDb): number {
  return db.stmt<[], number>('SELECT COALESCE(MAX(id), 0) FROM relabels', 'pluck').get() ?? 0;
}

/** The current label of a face (LabelCode or null); throws when the sample does not exist. */
export function currentLabel(db: ProjectDb, sampleId: SampleId | number): LabelCode | null {
  const row = db.stmt<[number], { current_label: number | null }>('SELECT current_label FROM sample_labels WHERE sample_id = ?').get(sampleId);
  if (!row) throw new Error(`sample ${sampleId} does not exist`);
  return row.current_label;
}

/** Current labels of every face (of one split), by ascending id; -1 where a face has no label. */
export function currentLabels(db: ProjectDb, split?: Split): { ids: Int32Array; labels: Int32Array } {
  const rows = split
    ? db.stmt<[string], [number, number | null]>('SELECT sample_id, current_label FROM sample_labels WHERE split = ? ORDER BY sample_id', 'raw').all(split)
    : db.stmt<[], [number, number | null]>('SELECT sample_id, current_label FROM sample_labels ORDER BY sample_id', 'raw').all();
  const ids = new Int32Array(rows.length);
  const labels = new Int32Array(rows.length);
  rows.forEach(([id, label], i) => {
    ids[i] = id;
    labels[i] = label ?? -1;
  });
  return { ids, labels };
}

/** Whether the face has an effective decision, and the latest one. */
export function reviewState(db: ProjectDb, sampleId: SampleId | number): { reviewed: boolean; lastAction: DecisionAction | null } {
  const row = db.stmt<[number], { last_action: DecisionAction | null }>('SELECT last_action FROM sample_labels WHERE sample_id = ?').get(sampleId);
  if (!row) throw new Error(`sample ${sampleId} does not exist`);
  return { reviewed: row.last_action !== null, lastAction: row.last_action };
}

/** Every audit row of a face, oldest first, each marked with the undo that reverted it. */
export function labelHistory(db: ProjectDb, sampleId: SampleId | number): LabelDecision[] {
  return db.stmt<[number], DecisionRow>(`${DECISION_SELECT} WHERE r.sample_id = ? ORDER BY r.id`).all(sampleId).map(toDecision);
}

/** Appends one review decision and returns it (a relabel to the current class is stored as a confirm). */
export function recordDecision(db: ProjectDb, input: DecisionInput): LabelDecision {
  if (!(DECISION_ACTIONS as readonly string[]).includes(input.action)) throw new Error(`unknown decision action ${JSON.stringify(input.action)}`);
  if (input.action === 'relabel' && !isClassLabel(input.label)) throw new Error(`relabel needs a class label 0..7, got ${input.label}`);
  if (input.action === 'ambiguous' && input.label != null && !isClassLabel(input.label)) throw new Error(`ambiguous may lean to a class 0..7, got ${input.label}`);
  return db.write(() => {
    const previous = currentLabel(db, input.sampleId);
    // Choosing the class the face already has changes nothing: it is a confirmation, and the
    // trail and every count must say so (a "relabel" to the same class inflated relabel counts).
    const action = input.action === 'relabel' && input.label === previous ? 'confirm' : input.action;
    const label = action === 'relabel' || action === 'ambiguous' ? (input.label ?? null) : action === 'not_face' ? LABEL_NOT_FACE : previous;
    const reviewerId = ensureAnnotator(db, input.reviewer, 'reviewer');
    const info = db
      .stmt('INSERT INTO relabels (sample_id, action, label, previous_label, reviewer_id, note, batch_id) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(input.sampleId, action, label, previous, reviewerId, input.note ?? null, input.batchId ?? null);
    return decisionById(db, Number(info.lastInsertRowid));
  });
}

/**
 * Marks `sampleId` a duplicate of `of` (the face kept): an 'ambiguous' decision naming `of`, so
 * the face leaves training and current-label evaluation as an ambiguous face does, and an undo
 * brings it back. Refused for a face marked against itself, or against a face that is itself
 * marked a duplicate (the kept face must stay).
 */
export function recordDuplicateDecision(db: ProjectDb, input: { sampleId: SampleId | number; of: SampleId | number; reviewer: string; note?: string | null }): LabelDecision {
  if (Number(input.sampleId) === Number(input.of)) throw new Error(`face ${input.sampleId} cannot be a duplicate of itself`);
  return db.write(() => {
    const previous = currentLabel(db, input.sampleId);
    currentLabel(db, input.of); // throws when the kept face does not exist
    const keptIsDuplicate = db
      .stmt<[number], number>('SELECT count(*) FROM effective_decisions d WHERE d.sample_id = ? AND d.id = (SELECT max(id) FROM effective_decisions WHERE sample_id = d.sample_id) AND d.duplicate_of IS NOT NULL', 'pluck')
      .get(Number(input.of))!;
    if (keptIsDuplicate) throw new Error(`face ${input.of} is itself marked a duplicate; mark against the face that is kept`);
    const reviewerId = ensureAnnotator(db, input.reviewer, 'reviewer');
    const info = db
      .stmt("INSERT INTO relabels (sample_id, action, label, previous_label, reviewer_id, note, duplicate_of) VALUES (?, 'ambiguous', NULL, ?, ?, ?, ?)")
      .run(input.sampleId, previous, reviewerId, input.note ?? `duplicate of face ${input.of}`, input.of);
    return decisionById(db, Number(info.lastInsertRowid));
  });
}

/** Appends an undo of one decision; fails when it is already undone or is itself an undo. */
export function undoDecision(db: ProjectDb, input: { decisionId: RelabelId | number; reviewer: string; note?: string | null; batchId?: number | null }): LabelDecision {
  return db.write(() => {
    const target = db.stmt<[number], { sample_id: number }>('SELECT sample_id FROM relabels WHERE id = ?').get(input.decisionId);
    if (!target) throw new Error(`decision ${input.decisionId} does not exist`);
    const previous = currentLabel(db, target.sample_id);
    const restored = db
      .stmt<[number, number, number], number | null>(
        `SELECT COALESCE((SELECT d.label FROM effective_decisions d
                          WHERE d.sample_id = ? AND d.action IN ('relabel', 'not_face') AND d.id <> ?
                          ORDER BY d.id DESC LIMIT 1), s.given_label)
         FROM samples s WHERE s.id = ?`,
        'pluck',
      )
      .get(target.sample_id, input.decisionId, target.sample_id) ?? null;
    const reviewerId = ensureAnnotator(db, input.reviewer, 'reviewer');
    const info = db
      .stmt("INSERT INTO relabels (sample_id, action, label, previous_label, reverts_id, reviewer_id, note, batch_id) VALUES (?, 'undo', ?, ?, ?, ?, ?, ?)")
      .run(target.sample_id, restored, previous, input.decisionId, reviewerId, input.note ?? null, input.batchId ?? null);
    return decisionById(db, Number(info.lastInsertRowid));
  });
}

/**
 * Undoes the reviewer's latest effective decision (optionally on one face) by appending an
 * undo row; repeated calls walk backwards. Returns null when there is nothing left to undo.
 */
export function undoLastDecision(db: ProjectDb, input: { reviewer: string; sampleId?: SampleId | number; note?: string | null }): LabelDecision | null {
  return db.write(() => {
    const sql = `SELECT d.id FROM effective_decisions d JOIN annotators a ON a.id = d.reviewer_id
                 WHERE a.name = ? ${input.sampleId === undefined ? '' : 'AND d.sample_id = ?'} ORDER BY d.id DESC LIMIT 1`;
    const args: unknown[] = input.sampleId === undefined ? [input.reviewer] : [input.reviewer, input.sampleId];
    const id = db.stmt<unknown[], number>(sql, 'pluck').get(...args);
    if (id === undefined) return null;
    return undoDecision(db, { decisionId: id, reviewer: input.reviewer, note: input.note });
  });
}
