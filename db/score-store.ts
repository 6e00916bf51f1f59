/**
 * Per-sample scores of a model (METHOD.md 5) and the review queue read from them. Every
 * sortable score has an index (model_id, score) that, the table being WITHOUT ROWID, ends in
 * sample_id: a page of the queue is an index range scan from a keyset cursor (score,
 * sample_id), as fast on page 1,000 as on page 1 at 300,000 faces. Faces without the score
 * (NULL) are not in a queue sorted by it.
 */
import type { ClassId, LabelCode, ModelId, SampleId, Split } from '../api/domain.ts';
import { writeInChunks } from './chunked-write.ts';
import type { ProjectDb } from './connection.ts';

export const SORTABLE_SCORES = ['kl_annotator', 'kl_parent_child', 'vote_entropy', 'margin', 'max_softmax', 'self_confidence', 'crowdlab', 'normalized_margin'] as const;
export type SortableScore = (typeof SORTABLE_SCORES)[number];

/** One face's scores. An absent (undefined) field keeps what is stored; null clears it. */
export interface ScoreInput {
  sampleId: SampleId | number;
  predictedLabel?: ClassId | null;
  klAnnotator?: number | null;
  klParentChild?: number | null;
  voteEntropy?: number | null;
  margin?: number | null;
  maxSoftmax?: number | null;
  /** Probability of the given label (confident learning's self-confidence). */
  selfConfidence?: number | null;
  /** CROWDLAB consensus quality of the given label (core/analysis/crowdlab.ts). */
  crowdlab?: number | null;
  /** (p_y - max other + 1) / 2 of the given label. */
  normalizedMargin?: number | null;
  misclassified?: boolean | null;
  confidentLearningIssue?: boolean | null;
  extra?: Record<string, unknown> | null;
}

export interface ScoreRow {
  sampleId: SampleId;
  predictedLabel: ClassId | null;
  klAnnotator: number | null;
  klParentChild: number | null;
  voteEntropy: number | null;
  margin: number | null;
  maxSoftmax: number | null;
  selfConfidence: number | null;
  crowdlab: number | null;
  normalizedMargin: number | null;
  misclassified: boolean | null;
  confidentLearningIssue: boolean | null;
  extra: Record<string, unknown> | null;
}

/** Input field -> column. */
const FIELDS = [
  ['predictedLabel', 'predicted_label'],
  ['klAnnotator', 'kl_annotator'],
  ['klParentChild', 'kl_parent_child'],
  ['voteEntropy', 'vote_entropy'],
  ['margin', 'margin'],
  ['maxSoftmax', 'max_softmax'],
  ['selfConfidence', 'self_confidence'],
  ['crowdlab', 'crowdlab'],
  ['normalizedMargin', 'normalized_margin'],
  ['misclassified', 'misclassified'],
  ['confidentLearningIssue', 'confident_learning_issue'],
  ['extra', 'extra'],
] as const;

// Anonymous parameters in order of appearance: model, sample, the values, then one "given" flag
// per value (a params object with 22 named keys per row cost more at 300,000 rows).
const UPSERT_SQL = `
  INSERT INTO scores (model_id, sample_id, ${FIELDS.map(([, c]) => c).join(', ')})
  VALUES (?, ?, ${FIELDS.map(() => '?').join(', ')})
  ON CONFLICT (model_id, sample_id) DO UPDATE SET
  ${FIELDS.map(([, c]) => `${c} = CASE WHEN ? THEN excluded.${c} ELSE scores.${c} END`).join(',\n  ')}`;

function toColumnValue(field: string, v: unknown): unknown {
  if (v === undefined || v === null) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (field === 'extra') return JSON.stringify(v);
  if (typeof v === 'number' && Number.isNaN(v)) throw new Error(`score ${field} is NaN`);
  return v;
}

/** Inserts or updates scores of many faces, in short transactions (chunked-write.ts). */
export function upsertScores(db: ProjectDb, modelId: ModelId | number, rows: readonly ScoreInput[]): number {
  const stmt = db.stmt<unknown[]>(UPSERT_SQL);
  const k = FIELDS.length;
  const params: unknown[] = new Array(2 + 2 * k);
  params[0] = modelId;
  writeInChunks(db, rows.length, (j) => {
    const r = rows[j];
    params[1] = r.sampleId;
    const rec = r as unknown as Record<string, unknown>;
    for (let i = 0; i < k; i++) {
      const v = rec[FIELDS[i][0]];
      params[2 + i] = toColumnValue(FIELDS[i][0], v);
      params[2 + k + i] = v === undefined ? 0 : 1;
    }
    stmt.run(params);
  });
  return rows.length;
}

interface ScoreDbRow {
  sample_id: number;
  predicted_label: number | null;
  kl_annotator: number | null;
  kl_parent_child: number | null;
  vote_entropy: number | null;
  margin: number | null;
  max_softmax: number | null;
  self_confidence: number | null;
  crowdlab: number | null;
  normalized_margin: number | null;
  misclassified: number | null;
  confident_learning_issue: number | null;
  extra: string | null;
}

function toScore(r: ScoreDbRow): ScoreRow {
  return {
    sampleId: r.sample_id as SampleId,
    predictedLabel: r.predicted_label,
    klAnnotator: r.kl_annotator,
    klParentChild: r.kl_parent_child,
    voteEntropy: r.vote_entropy,
    margin: r.margin,
    maxSoftmax: r.max_softmax,
    selfConfidence: r.self_confidence,
    crowdlab: r.crowdlab,
    normalizedMargin: r.normalized_margin,
    misclassified: r.misclassified === null ? null : r.misclassified === 1,
    confidentLearningIssue: r.confident_learning_issue === null ? null : r.confident_learning_issue === 1,
    extra: r.extra === null ? null : JSON.parse(r.extra),
  };
}

export function getScores(db: ProjectDb, modelId: ModelId | number, sampleId: SampleId | number): ScoreRow | null {
  const r = db.stmt<[number, number], ScoreDbRow>('SELECT * FROM scores WHERE model_id = ? AND sample_id = ?').get(modelId, sampleId);
  return r ? toScore(r) : null;
}

/** Every score row of a model (optionally one split), by ascending sample id: for histograms and analysis. */
export function listScores(db: ProjectDb, modelId: ModelId | number, split?: Split): ScoreRow[] {
  const rows = split
    ? db.stmt<[number, string], ScoreDbRow>('SELECT sc.* FROM scores sc JOIN samples s ON s.id = sc.sample_id WHERE sc.model_id = ? AND s.split = ? ORDER BY sc.sample_id').all(modelId, split)
    : db.stmt<[number], ScoreDbRow>('SELECT * FROM scores WHERE model_id = ? ORDER BY sample_id').all(modelId);
  return rows.map(toScore);
}

/** Removes a model's scores (before a fresh analysis replaces them); returns how many. */
export function deleteScores(db: ProjectDb, modelId: ModelId | number): number {
  return db.stmt('DELETE FROM scores WHERE model_id = ?').run(modelId).changes;
}

export interface QueueFilter {
  split?: Split;
  givenLabel?: LabelCode;
  currentLabel?: LabelCode;
  predictedLabel?: ClassId;
  misclassified?: boolean;
  confidentLearningIssue?: boolean;
  /** true: only reviewed faces; false: only faces not reviewed yet. */
  reviewed?: boolean;
}

export interface QueueCursor {
  value: number;
  sampleId: number;
}

export interface QueuePageRequest {
  modelId: ModelId | number;
  sortBy: SortableScore;
  /** 'desc' (default): largest score first. */
  direction?: 'asc' | 'desc';
  limit?: number;
  /** The `next` of the previous page; absent for the first page. */
  after?: QueueCursor | null;
  filter?: QueueFilter;
}

export interface QueueItem extends ScoreRow {
  value: number;
  split: Split;
  givenLabel: LabelCode | null;
  currentLabel: LabelCode | null;
  reviewed: boolean;
}

export interface QueuePage {
  items: QueueItem[];
  /** Cursor for the next page, null at the end. */
  next: QueueCursor | null;
}

const FILTER_SQL = `
  AND (@split IS NULL OR s.split = @split)
  AND (@given IS NULL OR s.given_label = @given)
  AND (@current IS NULL OR l.current_label = @current)
  AND (@predicted IS NULL OR sc.predicted_label = @predicted)
  AND (@misclassified IS NULL OR sc.misclassified = @misclassified)
  AND (@cl_issue IS NULL OR sc.confident_learning_issue = @cl_issue)
  AND (@reviewed IS NULL OR (l.last_action IS NOT NULL) = @reviewed)`;

function filterParams(f: QueueFilter = {}): Record<string, unknown> {
  const bool = (b: boolean | undefined) => (b === undefined ? null : b ? 1 : 0);
  return {
    split: f.split ?? null,
    given: f.givenLabel ?? null,
    current: f.currentLabel ?? null,
    predicted: f.predictedLabel ?? null,
    misclassified: bool(f.misclassified),
    cl_issue: bool(f.confidentLearningIssue),
    reviewed: bool(f.reviewed),
  };
}

function checkSortColumn(sortBy: string): void {
  if (!(SORTABLE_SCORES as readonly string[]).includes(sortBy)) throw new Error(`cannot sort the review queue by ${JSON.stringify(sortBy)}`);
}

/** One page of the review queue: faces scored by a model, sorted by one score, filtered. */
export function pageReviewQueue(db: ProjectDb, req: QueuePageRequest): QueuePage {
  checkSortColumn(req.sortBy);
  const desc = (req.direction ?? 'desc') === 'desc';
  const col = `sc.${req.sortBy}`;
  // The cursor is part of the SQL text (not an OR with a flag) so that SQLite seeks the index to it.
  const sql = `
    SELECT sc.*, ${col} AS value, s.split, s.given_label, l.current_label, l.last_action
    FROM scores sc JOIN samples s ON s.id = sc.sample_id JOIN sample_labels l ON l.sample_id = sc.sample_id
    WHERE sc.model_id = @model_id AND ${col} IS NOT NULL
      ${req.after ? `AND (${col}, sc.sample_id) ${desc ? '<' : '>'} (@cursor_value, @cursor_id)` : ''}
      ${FILTER_SQL}
    ORDER BY ${col} ${desc ? 'DESC' : 'ASC'}, sc.sample_id ${desc ? 'DESC' : 'ASC'}
    LIMIT @limit`;
  const limit = Math.max(1, Math.min(req.limit ?? 50, 10_000));
  const rows = db.stmt<[Record<string, unknown>], ScoreDbRow & { value: number; split: Split; given_label: number | null; current_label: number | null; last_action: string | null }>(sql).all({
    model_id: req.modelId,
    ...(req.after ? { cursor_value: req.after.value, cursor_id: req.after.sampleId } : {}),
    limit,
    ...filterParams(req.filter),
  });
  const items = rows.map((r) => ({
    ...toScore(r),
    value: r.value,
    split: r.split,
    givenLabel: r.given_label,
    currentLabel: r.current_label,
    reviewed: r.last_action !== null,
  }));
  const last = items[items.length - 1];
  return { items, next: items.length === limit && last ? { value: last.value, sampleId: last.sampleId } : null };
}

/** How many faces a queue holds (those with the score, matching the filter). */
export function countReviewQueue(db: ProjectDb, req: Pick<QueuePageRequest, 'modelId' | 'sortBy' | 'filter'>): number {
  checkSortColumn(req.sortBy);
  const sql = `
    SELECT count(*) FROM scores sc JOIN samples s ON s.id = sc.sample_id JOIN sample_labels l ON l.sample_id = sc.sample_id
    WHERE sc.model_id = @model_id AND sc.${req.sortBy} IS NOT NULL ${FILTER_SQL}`;
  return db.stmt<[Record<string, unknown>], number>(sql, 'pluck').get({ model_id: req.modelId, ...filterParams(req.filter) })!;
}
