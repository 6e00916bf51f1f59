/**
 * What the ambiguity analysis reads besides predictions, for the faces of one split in id
 * order: current labels, and the annotator evidence as one n x 12 count matrix (anonymous
 * vote counts plus one count per identified, non-reviewer annotation, so kl_annotator and
 * vote_entropy work for FER+ votes and for identified annotators alike), plus the identified
 * annotations in coordinate form for per-annotator statistics. 'train' leaves out the dev-test
 * carve (db/dev-test-store.ts), which is read apart as 'dev-test': its faces are held out for
 * measurement, so no annotator statistic, score threshold or confusion group of train may
 * count them (as no train load does, db/training-matrix.ts). Also a small JSON file per run
 * (`run-<id>-result.json` in the models directory) for results that are not per-face rows,
 * such as an analyze run's annotator statistics: the schema has no run-result column and a
 * JSON document beside the weights moves with the project.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NUM_LABEL_CODES, type Split, type SplitOrDevTest } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { devTestIds } from './dev-test-store.ts';
import { labelCounts } from './label-counts.ts';
import { votesForSplit } from './label-agreement.ts';
import { currentLabels } from './relabel-store.ts';

export interface SplitEvidence {
  ids: Int32Array;
  /** Current label per face (LabelCode, -1 none). */
  labels: Int32Array;
  /** n x 12 counts: votes + identified annotations. */
  counts: Float32Array;
  /** Faces with at least one count. */
  withEvidence: number;
  /** Identified (non-reviewer) annotations: row into ids, annotator name, label. */
  annotations: { row: number; annotator: string; label: number }[];
}

export function loadSplitEvidence(db: ProjectDb, where: SplitOrDevTest): SplitEvidence {
  const split: Split = where === 'dev-test' ? 'train' : where;
  const ev = wholeSplitEvidence(db, split);
  if (split !== 'train') return ev;
  const dev = new Set(devTestIds(db));
  if (dev.size === 0 && where === 'train') return ev;
  const rows: number[] = [];
  ev.ids.forEach((id, i) => dev.has(id) === (where === 'dev-test') && rows.push(i));
  return selectEvidence(ev, rows);
}

/** The given rows of `ev`, in their order, with the annotations renumbered. */
function selectEvidence(ev: SplitEvidence, rows: number[]): SplitEvidence {
  const newRow = new Map<number, number>();
  rows.forEach((r, j) => newRow.set(r, j));
  const counts = new Float32Array(rows.length * NUM_LABEL_CODES);
  let withEvidence = 0;
  rows.forEach((r, j) => {
    const c = ev.counts.subarray(r * NUM_LABEL_CODES, (r + 1) * NUM_LABEL_CODES);
    counts.set(c, j * NUM_LABEL_CODES);
    if (c.some((x) => x > 0)) withEvidence++;
  });
  const annotations: SplitEvidence['annotations'] = [];
  for (const a of ev.annotations) {
    const row = newRow.get(a.row);
    if (row !== undefined) annotations.push({ ...a, row });
  }
  return { ids: Int32Array.from(rows, (r) => ev.ids[r]), labels: Int32Array.from(rows, (r) => ev.labels[r]), counts, withEvidence, annotations };
}

function wholeSplitEvidence(db: ProjectDb, split: Split): SplitEvidence {
  const v = votesForSplit(db, split);
  const cur = currentLabels(db, split);
  if (cur.ids.length !== v.ids.length) throw new Error(`analysis inputs: ${split} has ${v.ids.length} faces but ${cur.ids.length} labels`);
  const rowOf = new Map<number, number>();
  v.ids.forEach((id, i) => rowOf.set(id, i));
  const rows = db
    .stmt<[string], [number, string, number]>(
      `SELECT a.sample_id, n.name, a.label FROM annotations a JOIN annotators n ON n.id = a.annotator_id JOIN samples s ON s.id = a.sample_id
       WHERE s.split = ? AND n.kind <> 'reviewer' ORDER BY a.sample_id, n.id`,
      'raw',
    )
    .all(split);
  const annotations: SplitEvidence['annotations'] = [];
  for (const [sampleId, name, label] of rows) {
    const row = rowOf.get(sampleId);
    if (row !== undefined) annotations.push({ row, annotator: name, label });
  }
  const counts = labelCounts(v.ids.length, v.votes, { row: annotations.map((a) => a.row), label: annotations.map((a) => a.label) });
  let withEvidence = 0;
  for (let i = 0; i < v.ids.length; i++) {
    let t = 0;
    for (let c = 0; c < NUM_LABEL_CODES; c++) t += counts[i * NUM_LABEL_CODES + c];
    if (t > 0) withEvidence++;
  }
  return { ids: v.ids, labels: cur.labels, counts, withEvidence, annotations };
}

export function runResultPath(db: ProjectDb, runId: number): string {
  return join(db.modelsDir, `run-${runId}-result.json`);
}

export function writeRunResult(db: ProjectDb, runId: number, result: unknown): string {
  mkdirSync(db.modelsDir, { recursive: true });
  const file = runResultPath(db, runId);
  writeFileSync(file, JSON.stringify(result, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
  return file;
}

export function readRunResult<T = Record<string, unknown>>(db: ProjectDb, runId: number): T | null {
  const file = runResultPath(db, runId);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as T) : null;
}
