/**
 * Annotators: identified people, datasets' own labellers, simulated annotators of the demo and
 * reviewers who relabel in the UI. Names are unique within a project; the kind of an existing
 * name is never changed by a later import.
 */
import { NUM_LABEL_CODES, type AnnotatorId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export const ANNOTATOR_KINDS = ['person', 'dataset', 'simulated', 'reviewer'] as const;
export type AnnotatorKind = (typeof ANNOTATOR_KINDS)[number];

export interface AnnotatorSummary {
  id: AnnotatorId;
  name: string;
  kind: AnnotatorKind;
  /** Annotations this annotator gave (relabel decisions of reviewers are not annotations). */
  annotations: number;
  /** Annotations per LabelCode (length 12). */
  perLabel: number[];
}

/** The id of the annotator with this name, created with `kind` when new. */
export function ensureAnnotator(db: ProjectDb, name: string, kind: AnnotatorKind): AnnotatorId {
  if (!name) throw new Error('annotator name must not be empty');
  if (!(ANNOTATOR_KINDS as readonly string[]).includes(kind)) throw new Error(`unknown annotator kind ${JSON.stringify(kind)}`);
  db.stmt('INSERT INTO annotators (name, kind) VALUES (?, ?) ON CONFLICT(name) DO NOTHING').run(name, kind);
  return db.stmt<[string], number>('SELECT id FROM annotators WHERE name = ?', 'pluck').get(name) as AnnotatorId;
}

export function listAnnotators(db: ProjectDb): AnnotatorSummary[] {
  const rows = db.stmt<[], { id: number; name: string; kind: AnnotatorKind }>('SELECT id, name, kind FROM annotators ORDER BY id').all();
  const counts = db.stmt<[], { annotator_id: number; label: number; n: number }>(
    'SELECT annotator_id, label, count(*) AS n FROM annotations GROUP BY annotator_id, label',
  ).all();
  const byId = new Map<number, AnnotatorSummary>();
  const out = rows.map((r) => {
    const s: AnnotatorSummary = { id: r.id as AnnotatorId, name: r.name, kind: r.kind, annotations: 0, perLabel: new Array(NUM_LABEL_CODES).fill(0) };
    byId.set(r.id, s);
    return s;
  });
  for (const c of counts) {
    const s = byId.get(c.annotator_id)!;
    s.perLabel[c.label] += c.n;
    s.annotations += c.n;
  }
  return out;
}
