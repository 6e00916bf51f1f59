/**
 * The reads behind a project's exports (electron/service/ops/export.ts): every face with its
 * given and current label and its latest effective review decision; the whole audit trail,
 * undos included; and the AffectNet faces with their face box, current label, valence and
 * arousal. Each is one cached statement ordered by id, so an export is stable between runs.
 * Label codes come back as codes: naming them (and any format mapping) is the exporter's job.
 */
import type { DatasetKind, LabelCode, Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import type { AuditAction } from './relabel-store.ts';

/** One face for the labels export. The decision fields are null when no effective decision exists. */
export interface LabelExportRow {
  sampleId: number;
  sourceRef: string;
  dataset: DatasetKind;
  split: Split;
  givenLabel: LabelCode | null;
  currentLabel: LabelCode | null;
  /** The action of the face's latest effective (not undone) decision. */
  lastAction: AuditAction | null;
  reviewer: string | null;
  decidedAt: string | null;
}

/** Every face, by id, with its latest effective decision (`effective_decisions`, highest id). */
export function labelRowsForExport(db: ProjectDb): LabelExportRow[] {
  return db
    .stmt<[], LabelExportRow>(
      `SELECT s.id AS sampleId, s.source_ref AS sourceRef, s.dataset, s.split, s.given_label AS givenLabel,
              l.current_label AS currentLabel, d.action AS lastAction, a.name AS reviewer, d.created_at AS decidedAt
       FROM samples s JOIN sample_labels l ON l.sample_id = s.id
       LEFT JOIN effective_decisions d ON d.id = (SELECT MAX(e.id) FROM effective_decisions e WHERE e.sample_id = s.id)
       LEFT JOIN annotators a ON a.id = d.reviewer_id
       ORDER BY s.id`,
    )
    .all();
}

/** One row of the audit trail (`relabels`). */
export interface AuditExportRow {
  decisionId: number;
  sampleId: number;
  sourceRef: string;
  action: AuditAction;
  label: LabelCode | null;
  previousLabel: LabelCode | null;
  /** For an undo: the decision it reverts. */
  revertsId: number | null;
  /** Whether a later undo row reverts this one. */
  undone: boolean;
  reviewer: string;
  note: string | null;
  createdAt: string;
  /** The bulk action (or the undo of one) the decision belongs to; null for a single decision. */
  batchId: number | null;
}

/** The whole audit trail, oldest first, undos included. */
export function auditRowsForExport(db: ProjectDb): AuditExportRow[] {
  return db
    .stmt<[], Omit<AuditExportRow, 'undone'> & { undone: number }>(
      `SELECT r.id AS decisionId, r.sample_id AS sampleId, s.source_ref AS sourceRef, r.action, r.label,
              r.previous_label AS previousLabel, r.reverts_id AS revertsId,
              EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id) AS undone, a.name AS reviewer, r.note,
              r.created_at AS createdAt, r.batch_id AS batchId
       FROM relabels r JOIN samples s ON s.id = r.sample_id JOIN annotators a ON a.id = r.reviewer_id
       ORDER BY r.id`,
    )
    .all()
    .map((r) => ({ ...r, undone: r.undone !== 0 }));
}

/** One AffectNet face: its source_ref (`affectnet:<subDirectory_filePath>`), split, face box, current label, valence, arousal. */
export interface AffectNetExportRow {
  sourceRef: string;
  split: Split;
  faceX: number | null;
  faceY: number | null;
  faceWidth: number | null;
  faceHeight: number | null;
  currentLabel: LabelCode | null;
  valence: number | null;
  arousal: number | null;
}

/** The project's AffectNet faces, by id (empty when it has none). */
export function affectnetRowsForExport(db: ProjectDb): AffectNetExportRow[] {
  return db
    .stmt<[], AffectNetExportRow>(
      `SELECT s.source_ref AS sourceRef, s.split, s.face_x AS faceX, s.face_y AS faceY, s.face_w AS faceWidth,
              s.face_h AS faceHeight, l.current_label AS currentLabel, s.valence, s.arousal
       FROM samples s JOIN sample_labels l ON l.sample_id = s.id WHERE s.dataset = 'affectnet' ORDER BY s.id`,
    )
    .all();
}
