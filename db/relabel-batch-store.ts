/**
 * Bulk decisions on the audit trail: many faces relabelled by one action (accepting the
 * suggested labels of the selected faces, or of the top k of a queue) are one batch, written in
 * one transaction, and undone as one step. The batch is a row of `relabel_batches`; each of its
 * decisions names it (relabels.batch_id). Undoing it appends an undo row for every decision of
 * the batch still in effect, all in an undo batch that names the batch it reverts, so the trail
 * stays append-only and tells both steps apart from single decisions.
 */
import type { ProjectDb } from './connection.ts';
import { ensureAnnotator } from './annotator-store.ts';
import { recordDecision, undoDecision, type LabelDecision } from './relabel-store.ts';

export type BatchKind = 'accept_suggestions';

export interface BatchDecision {
  sampleId: number;
  label: number;
}

export interface BatchResult {
  batchId: number;
  decisions: LabelDecision[];
}

function newBatch(db: ProjectDb, kind: BatchKind | 'undo', reviewer: string, revertsId: number | null, note: string | null): number {
  const reviewerId = ensureAnnotator(db, reviewer, 'reviewer');
  return Number(db.stmt('INSERT INTO relabel_batches (kind, reviewer_id, reverts_id, note) VALUES (?, ?, ?, ?)').run(kind, reviewerId, revertsId, note).lastInsertRowid);
}

/** Relabels every face of the list in one transaction, as one batch (a label equal to the current one is stored as a confirm). */
export function recordBatch(db: ProjectDb, input: { kind: BatchKind; reviewer: string; decisions: readonly BatchDecision[]; note?: string | null }): BatchResult {
  if (input.decisions.length === 0) throw new Error('a batch needs at least one decision');
  return db.write(() => {
    const batchId = newBatch(db, input.kind, input.reviewer, null, input.note ?? null);
    const decisions = input.decisions.map((d) =>
      recordDecision(db, { sampleId: d.sampleId, action: 'relabel', label: d.label, reviewer: input.reviewer, note: input.note ?? null, batchId }),
    );
    return { batchId, decisions };
  });
}

/** The batch a decision belongs to, with its kind; null for a single decision or an unknown id. */
export function batchOf(db: ProjectDb, decisionId: number): { id: number; kind: string } | null {
  return (
    db
      .stmt<[number], { id: number; kind: string }>('SELECT b.id, b.kind FROM relabels r JOIN relabel_batches b ON b.id = r.batch_id WHERE r.id = ?')
      .get(decisionId) ?? null
  );
}

/**
 * Undoes a batch in one transaction: an undo row for each of its decisions still in effect,
 * newest first, in one undo batch. Throws when the batch does not exist, is itself an undo, or
 * was undone already.
 */
export function undoBatch(db: ProjectDb, input: { batchId: number; reviewer: string }): BatchResult {
  return db.write(() => {
    const b = db.stmt<[number], { kind: string; undone: number }>(
      'SELECT kind, EXISTS (SELECT 1 FROM relabel_batches u WHERE u.reverts_id = b.id) AS undone FROM relabel_batches b WHERE id = ?',
    ).get(input.batchId);
    if (!b) throw new Error(`batch ${input.batchId} does not exist`);
    if (b.kind === 'undo') throw new Error(`batch ${input.batchId} is itself an undo`);
    if (b.undone) throw new Error(`batch ${input.batchId} is already undone`);
    const ids = db.stmt<[number], number>('SELECT id FROM effective_decisions WHERE batch_id = ? ORDER BY id DESC', 'pluck').all(input.batchId);
    const undoId = newBatch(db, 'undo', input.reviewer, input.batchId, null);
    const decisions = ids.map((id) => undoDecision(db, { decisionId: id, reviewer: input.reviewer, batchId: undoId }));
    return { batchId: undoId, decisions };
  });
}

/**
 * The reviewer's latest step undone: when their latest effective decision belongs to a batch,
 * the whole batch (one step for the person who took it as one); else that one decision. Null
 * when nothing is left to undo.
 */
export function undoLatestStep(db: ProjectDb, reviewer: string): LabelDecision[] | null {
  return db.write(() => {
    const last = db
      .stmt<[string], { id: number; batch_id: number | null }>(
        `SELECT d.id, d.batch_id FROM effective_decisions d JOIN annotators a ON a.id = d.reviewer_id WHERE a.name = ? ORDER BY d.id DESC LIMIT 1`,
      )
      .get(reviewer);
    if (!last) return null;
    if (last.batch_id !== null) return undoBatch(db, { batchId: last.batch_id, reviewer }).decisions;
    return [undoDecision(db, { decisionId: last.id, reviewer })];
  });
}
