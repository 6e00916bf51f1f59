/**
 * The shape annotator statistics work on: identified annotations as three parallel columns
 * (item, annotator, label), one entry per label given, plus helpers to turn them into per-item
 * category counts. Categories are the 8 classes by default (labels such as `none`,
 * `uncertain`, `not_face` or `unknown` are then ignored, as a(x) ignores them); with
 * `categories: 'all'` every one of the 12 label codes is a category of its own. Anonymous vote
 * counts (FER+) are already per-item counts and convert with `countsFromVotes`.
 */
import { NUM_CLASSES, NUM_LABEL_CODES } from '../../api/domain.ts';

export interface AnnotationTable {
  /** Item (face) index 0..numItems-1 per annotation. */
  item: Int32Array;
  /** Annotator index 0..numAnnotators-1 per annotation. */
  annotator: Int32Array;
  /** LabelCode per annotation. */
  label: Int32Array;
  numItems: number;
  numAnnotators: number;
}

export type CategorySet = 'classes' | 'all';

export function categoryCount(categories: CategorySet = 'classes'): number {
  return categories === 'all' ? NUM_LABEL_CODES : NUM_CLASSES;
}

/** Throws, naming the column and position, when the table is malformed. */
export function checkAnnotationTable(t: AnnotationTable): void {
  const m = t.item.length;
  if (t.annotator.length !== m || t.label.length !== m) {
    throw new Error(`annotation table: columns differ in length (item ${m}, annotator ${t.annotator.length}, label ${t.label.length})`);
  }
  for (let e = 0; e < m; e++) {
    if (!(t.item[e] >= 0 && t.item[e] < t.numItems)) throw new Error(`annotation table: item[${e}] = ${t.item[e]} is outside 0..${t.numItems - 1}`);
    if (!(t.annotator[e] >= 0 && t.annotator[e] < t.numAnnotators)) {
      throw new Error(`annotation table: annotator[${e}] = ${t.annotator[e]} is outside 0..${t.numAnnotators - 1}`);
    }
  }
}

/** Builds a table from string ids (e.g. rows read from the database), numbering annotators in order of appearance. */
export function annotationTableFrom(rows: readonly { item: number; annotator: string; label: number }[], numItems: number): {
  table: AnnotationTable;
  annotatorNames: string[];
} {
  const names: string[] = [];
  const index = new Map<string, number>();
  const table: AnnotationTable = {
    item: new Int32Array(rows.length),
    annotator: new Int32Array(rows.length),
    label: new Int32Array(rows.length),
    numItems,
    numAnnotators: 0,
  };
  rows.forEach((r, e) => {
    let a = index.get(r.annotator);
    if (a === undefined) {
      a = names.length;
      index.set(r.annotator, a);
      names.push(r.annotator);
    }
    table.item[e] = r.item;
    table.annotator[e] = a;
    table.label[e] = r.label;
  });
  table.numAnnotators = names.length;
  return { table, annotatorNames: names };
}

/**
 * A table from columns keyed by face row (the shape db's loadTrainingMatrix returns as
 * `annotations`: row, annotator, label); the arrays are shared, not copied.
 */
export function annotationTableFromColumns(
  cols: { row: Int32Array; annotator: Int32Array; label: Int32Array },
  numItems: number,
  numAnnotators: number,
): AnnotationTable {
  const t = { item: cols.row, annotator: cols.annotator, label: cols.label, numItems, numAnnotators };
  checkAnnotationTable(t);
  return t;
}

/** Per-item category counts (numItems x K, row-major); labels outside the category set are skipped. */
export function countsFromTable(t: AnnotationTable, categories: CategorySet = 'classes'): Int32Array {
  const k = categoryCount(categories);
  const counts = new Int32Array(t.numItems * k);
  for (let e = 0; e < t.item.length; e++) {
    const l = t.label[e];
    if (l >= 0 && l < k) counts[t.item[e] * k + l]++;
  }
  return counts;
}

/** Per-item counts (n x K) from vote rows (n x 12, indexed by LabelCode). */
export function countsFromVotes(votes: ArrayLike<number>, categories: CategorySet = 'classes'): Float64Array {
  if (votes.length % NUM_LABEL_CODES !== 0) throw new Error(`votes: length ${votes.length} is not a multiple of ${NUM_LABEL_CODES}`);
  const n = votes.length / NUM_LABEL_CODES;
  const k = categoryCount(categories);
  const counts = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) counts[i * k + c] = votes[i * NUM_LABEL_CODES + c];
  return counts;
}

/**
 * The unique most-voted category of counts row `row`, or -1 when the row is empty or the top
 * count is tied (no consensus rather than an arbitrary pick). `minus`, when >= 0, is removed
 * once from the row first: that gives the leave-one-out consensus for a label in it.
 */
export function pluralityAt(counts: ArrayLike<number>, row: number, k: number, minus = -1): number {
  let best = -1;
  let bestCount = 0;
  let tied = false;
  for (let c = 0; c < k; c++) {
    const v = counts[row * k + c] - (c === minus ? 1 : 0);
    if (v > bestCount) {
      best = c;
      bestCount = v;
      tied = false;
    } else if (v === bestCount && v > 0) tied = true;
  }
  return tied ? -1 : best;
}
