/**
 * Review decisions from outside the review view: one face from the command line, or a CSV of
 * corrections made in another tool (face id or source path, label, optional reviewer and
 * note). They go through the same audit trail as the UI (db/relabel-store.ts recordDecision).
 * Every row is checked first and bad rows are reported by line and field; the good rows are
 * applied together in one transaction. A row whose decision is already the face's latest
 * effective decision (same action, same label) is skipped, and a face given two different
 * decisions in one file is refused on its later line, so running the same file again applies
 * nothing new.
 */
import { CLASS_NAMES, LABEL_NOT_FACE, isClassLabel, type ClassId } from '../../../api/domain.ts';
import type { ReviewAction } from '../../../api/contract.ts';
import { readCsvFile } from '../../../core/datasets/csv-stream.ts';
import { labelCodeFromName } from '../../../core/datasets/label-names.ts';
import { basename } from 'node:path';
import type { ProjectDb } from '../../../db/connection.ts';
import { recordDecision } from '../../../db/relabel-store.ts';

export interface RelabelRow {
  /** 1-based line in the CSV, or null for a decision given on the command line. */
  line: number | null;
  face: string;
  label: string;
  reviewer?: string;
  note?: string;
}

export interface RelabelIssue {
  line: number | null;
  field: string;
  message: string;
}

export interface RelabelBatchResult {
  applied: { line: number | null; sampleId: number; action: ReviewAction; label: number | null; decisionId: number }[];
  /** Rows whose decision the face already had. */
  unchanged: { line: number | null; sampleId: number }[];
  errors: RelabelIssue[];
}

interface Decision {
  line: number | null;
  sampleId: number;
  action: 'relabel' | 'ambiguous' | 'not_face';
  label: ClassId | null;
  reviewer: string;
  note: string | null;
}

const AMBIGUOUS = new Set(['ambiguous', 'amb']);

/** `label` as a decision: a class name (or 0..7 in CLASS_NAMES order), ambiguous, or not_face. */
export function parseDecisionLabel(text: string): { action: Decision['action']; label: ClassId | null } | string {
  const t = text.trim();
  if (AMBIGUOUS.has(t.toLowerCase())) return { action: 'ambiguous', label: null };
  if (/^[0-7]$/.test(t)) return { action: 'relabel', label: Number(t) as ClassId };
  const code = labelCodeFromName(t);
  if (code === LABEL_NOT_FACE) return { action: 'not_face', label: null };
  if (isClassLabel(code)) return { action: 'relabel', label: code };
  return `"${t}" is not a class (${CLASS_NAMES.join(', ')} or 0-7), ambiguous or not_face`;
}

const AMBIGUOUS_PATH = -1;

/**
 * Finds faces by id, by source reference (with or without its dataset prefix, e.g.
 * "ferplus:FER2013Train/fer0000000.png" or "FER2013Train/fer0000000.png"), by original path,
 * or by file name when only one face has it. Builds the path index once.
 */
function faceFinder(db: ProjectDb): (face: string) => number | string {
  let byPath: Map<string, number> | null = null;
  const byId = db.stmt<[number], number>('SELECT id FROM samples WHERE id = ?', 'pluck');
  const index = (): Map<string, number> => {
    const m = new Map<string, number>();
    const add = (key: string, id: number) => m.set(key, m.has(key) && m.get(key) !== id ? AMBIGUOUS_PATH : id);
    for (const [id, path, ref] of db.stmt<[], [number, string | null, string]>('SELECT id, original_path, source_ref FROM samples', 'raw').all()) {
      add(ref, id);
      if (ref.includes(':')) add(ref.slice(ref.indexOf(':') + 1), id);
      if (path) {
        add(path, id);
        add(basename(path), id);
      }
    }
    return m;
  };
  return (face) => {
    const f = face.trim();
    if (f === '') return 'empty: give a face id or source path';
    if (/^\d+$/.test(f)) return byId.get(Number(f)) ?? `no face with id ${f}`;
    byPath ??= index();
    const id = byPath.get(f);
    if (id === AMBIGUOUS_PATH) return `"${f}" names several faces; give the face id or a longer path`;
    return id ?? `no face with id or source path "${f}"`;
  };
}

export function applyRelabels(db: ProjectDb, rows: readonly RelabelRow[], defaultReviewer: string): RelabelBatchResult {
  const find = faceFinder(db);
  const errors: RelabelIssue[] = [];
  const decisions: Decision[] = [];
  const seen = new Map<number, Decision>();
  for (const r of rows) {
    const sampleId = find(r.face);
    if (typeof sampleId === 'string') {
      errors.push({ line: r.line, field: 'face', message: sampleId });
      continue;
    }
    const parsed = parseDecisionLabel(r.label);
    if (typeof parsed === 'string') {
      errors.push({ line: r.line, field: 'label', message: parsed });
      continue;
    }
    const reviewer = (r.reviewer ?? '').trim() || defaultReviewer;
    if (reviewer.length > 100) {
      errors.push({ line: r.line, field: 'reviewer', message: `longer than 100 characters` });
      continue;
    }
    const earlier = seen.get(sampleId);
    if (earlier) {
      // A face decided twice in one file: the same decision is a harmless repeat; two different
      // ones would make the file's outcome depend on row order and a rerun apply them again.
      if (earlier.action !== parsed.action || earlier.label !== parsed.label) errors.push({ line: r.line, field: 'face', message: `face ${sampleId} already has a different decision on line ${earlier.line} of this file` });
      continue;
    }
    const d: Decision = { line: r.line, sampleId, ...parsed, reviewer, note: (r.note ?? '').trim() || null };
    seen.set(sampleId, d);
    decisions.push(d);
  }
  const latest = db.stmt<[number], { action: string; label: number | null }>(
    'SELECT action, label FROM effective_decisions WHERE sample_id = ? ORDER BY id DESC LIMIT 1',
  );
  const result: RelabelBatchResult = { applied: [], unchanged: [], errors };
  db.write(() => {
    for (const d of decisions) {
      const last = latest.get(d.sampleId);
      const same = last && last.action === d.action && (d.action === 'not_face' ? true : last.label === d.label);
      if (same) {
        result.unchanged.push({ line: d.line, sampleId: d.sampleId });
        continue;
      }
      const e = recordDecision(db, { sampleId: d.sampleId, action: d.action, label: d.label, reviewer: d.reviewer, note: d.note });
      result.applied.push({ line: d.line, sampleId: d.sampleId, action: d.action, label: e.label, decisionId: e.id });
    }
  });
  return result;
}

const FACE_COLUMNS = ['face', 'face_id', 'id', 'sample_id', 'sample', 'path', 'source', 'source_path', 'image', 'file'];

/**
 * Rows of a corrections CSV. With a header naming a `label` column the columns are found by
 * name (face: one of FACE_COLUMNS; reviewer and note optional); without one they are face,
 * label, reviewer, note in that order. Malformed CSV records are reported, not applied.
 */
export async function readRelabelCsv(path: string): Promise<{ rows: RelabelRow[]; errors: RelabelIssue[] }> {
  const rows: RelabelRow[] = [];
  const errors: RelabelIssue[] = [];
  let cols: { face: number; label: number; reviewer: number; note: number } | null = null;
  for await (const rec of readCsvFile(path, { quotedNewlines: true })) {
    if (rec.fields.length === 1 && rec.fields[0].trim() === '') continue;
    if (rec.error) {
      errors.push({ line: rec.line, field: 'row', message: `malformed CSV: ${rec.error}` });
      continue;
    }
    if (cols === null) {
      const head = rec.fields.map((f) => f.trim().toLowerCase());
      if (head.includes('label')) {
        const face = head.findIndex((h) => FACE_COLUMNS.includes(h));
        if (face < 0) throw new Error(`${path}: line ${rec.line}: the header has no face column (one of ${FACE_COLUMNS.join(', ')})`);
        cols = { face, label: head.indexOf('label'), reviewer: head.indexOf('reviewer'), note: head.indexOf('note') };
        continue;
      }
      cols = { face: 0, label: 1, reviewer: 2, note: 3 };
    }
    const at = (i: number) => (i >= 0 ? rec.fields[i] : undefined);
    if (at(cols.label) === undefined) {
      errors.push({ line: rec.line, field: 'label', message: 'missing' });
      continue;
    }
    rows.push({ line: rec.line, face: at(cols.face) ?? '', label: at(cols.label)!, reviewer: at(cols.reviewer), note: at(cols.note) });
  }
  return { rows, errors };
}
