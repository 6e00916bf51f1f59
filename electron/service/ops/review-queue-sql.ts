/**
 * The review queue as SQL: one page in a chosen order, with a keyset cursor, a "start at this
 * face" position (to resume) and the counts behind the progress counter.
 *
 * Model orders read one score column of `scores`; every such column has an index
 * (model_id, score) that ends in sample_id (WITHOUT ROWID), so a page is an index range scan
 * from the cursor, as fast deep in 300,000 faces as at the top. The no-model orders are
 * `disagreement` (computed per face from its votes or identified annotators' labels: a full
 * scan, fine for projects without a model yet) and `id`.
 *
 * It lives beside the service rather than in db/ because the annotator-disagreement filter and
 * order are review concerns; the score indexes it relies on are db/'s (migration 0002).
 */
import { ApiError, MODEL_REVIEW_SORTS, type FaceListItem, type ReviewAction, type ReviewCursor, type ReviewFilter, type ReviewSort } from '../../../api/contract.ts';
import type { ModelId, SampleId, Split } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { VOTE_COLUMNS } from '../../../db/sample-store.ts';

/** Smallest first for these (least confident first); largest first for the rest. */
const ASCENDING: readonly ReviewSort[] = ['margin', 'max_softmax', 'self_confidence', 'id'];

export const isModelSort = (sort: ReviewSort): boolean => (MODEL_REVIEW_SORTS as readonly string[]).includes(sort);
export const sortDirection = (sort: ReviewSort): 'asc' | 'desc' => (ASCENDING.includes(sort) ? 'asc' : 'desc');

/**
 * 1 - (count of the most frequent label / number of labels) of face `s.id`, from its anonymous
 * votes when it has two or more, else from its identified annotators; NULL with fewer than two.
 */
export const DISAGREEMENT_SQL = `COALESCE(
  (SELECT 1.0 - CAST(MAX(${VOTE_COLUMNS.map((c) => `v.${c}`).join(', ')}) AS REAL) / v.n_total
     FROM sample_votes v WHERE v.sample_id = s.id AND v.n_total >= 2),
  (SELECT CASE WHEN COUNT(*) >= 2 THEN 1.0 - CAST((SELECT COUNT(*) FROM annotations a1 WHERE a1.sample_id = s.id
                                                    GROUP BY a1.label ORDER BY 1 DESC LIMIT 1) AS REAL) / COUNT(*) END
     FROM annotations a2 WHERE a2.sample_id = s.id))`;

export interface QueueSpec {
  modelId: ModelId | null;
  sort: ReviewSort;
  filter: ReviewFilter;
}

interface Built {
  /** FROM ... JOIN ...; `s` samples, `l` sample_labels, `sc` scores (absent without a model). */
  from: string;
  value: string;
  /** The id column: the score table's own for model orders, so SQLite walks its index. */
  idCol: string;
  where: string;
  params: Record<string, unknown>;
  desc: boolean;
}

function build(spec: QueueSpec): Built {
  const { modelId, sort, filter: f } = spec;
  const modelSort = isModelSort(sort);
  if (modelId === null && (modelSort || f.predicted !== undefined || f.misclassified !== undefined)) {
    throw new ApiError('invalid_params', `${modelSort ? `sort ${sort}` : 'the predicted / misclassified filter'} needs a model (modelId)`);
  }
  const value = modelSort ? `sc.${sort}` : sort === 'disagreement' ? `(${DISAGREEMENT_SQL})` : 's.id';
  const from = modelId === null
    ? 'samples s JOIN sample_labels l ON l.sample_id = s.id'
    : modelSort
      ? 'scores sc JOIN samples s ON s.id = sc.sample_id JOIN sample_labels l ON l.sample_id = s.id'
      : 'samples s JOIN sample_labels l ON l.sample_id = s.id LEFT JOIN scores sc ON sc.model_id = @model AND sc.sample_id = s.id';
  const where: string[] = [];
  if (modelSort) where.push('sc.model_id = @model', `${value} IS NOT NULL`);
  if (sort === 'disagreement') where.push(`${value} IS NOT NULL`);
  const params: Record<string, unknown> = {};
  if (modelId !== null) params.model = modelId;
  const add = (cond: string, key: string, v: unknown) => {
    if (v === undefined) return;
    where.push(cond);
    params[key] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  };
  add('s.split = @split', 'split', f.split);
  add('s.given_label = @given', 'given', f.givenLabel);
  add('l.current_label = @current', 'current', f.currentLabel);
  add('sc.predicted_label = @predicted', 'predicted', f.predicted);
  add('(sc.predicted_label IS NOT s.given_label) = @misclassified', 'misclassified', f.misclassified);
  add('(l.last_action IS NOT NULL) = @reviewed', 'reviewed', f.reviewed);
  add(`(COALESCE(${DISAGREEMENT_SQL}, 0) > 0) = @disagreement`, 'disagreement', f.disagreement);
  return { from, value, idCol: modelSort ? 'sc.sample_id' : 's.id', where: where.length ? where.join(' AND ') : '1', params, desc: sortDirection(sort) === 'desc' };
}

interface PageRow {
  id: number;
  value: number | null;
  split: Split;
  given_label: number | null;
  current_label: number | null;
  last_action: ReviewAction | null;
  predicted_label: number | null;
}

function toItem(r: PageRow, sort: ReviewSort): FaceListItem {
  return {
    id: r.id as SampleId,
    split: r.split,
    givenLabel: r.given_label,
    currentLabel: r.current_label,
    predicted: r.predicted_label,
    score: sort === 'id' ? null : r.value,
    reviewed: r.last_action !== null,
    lastAction: r.last_action,
  };
}

/** `(value, id)` strictly after (or, inclusive, at or after) a position in the queue's order. */
function positionSql(b: Built, inclusive: boolean): string {
  const op = b.desc ? (inclusive ? '<=' : '<') : inclusive ? '>=' : '>';
  return `(${b.value}, ${b.idCol}) ${op} (@cursor_value, @cursor_id)`;
}

export interface PageRequest extends QueueSpec {
  limit: number;
  after?: ReviewCursor;
  /** Inclusive start position (value, id): used by startAt. */
  from?: ReviewCursor;
  offset?: number;
}

export function queryPage(db: ProjectDb, req: PageRequest): { items: FaceListItem[]; next: ReviewCursor | null } {
  const b = build(req);
  const dir = b.desc ? 'DESC' : 'ASC';
  const position = req.after ?? req.from;
  const where = position ? `${b.where} AND ${positionSql(b, !req.after)}` : b.where;
  const predicted = req.modelId === null ? 'NULL' : 'sc.predicted_label';
  const sql = `SELECT s.id, ${b.value} AS value, s.split, s.given_label, l.current_label, l.last_action, ${predicted} AS predicted_label
    FROM ${b.from} WHERE ${where} ORDER BY ${b.value} ${dir}, ${b.idCol} ${dir} LIMIT @limit OFFSET @offset`;
  const rows = db.stmt<[Record<string, unknown>], PageRow>(sql).all({
    ...b.params,
    ...(position ? { cursor_value: position.value, cursor_id: position.sampleId } : {}),
    limit: req.limit,
    offset: position ? 0 : (req.offset ?? 0),
  });
  const items = rows.map((r) => toItem(r, req.sort));
  const last = rows[rows.length - 1];
  const next = rows.length === req.limit && last && last.value !== null ? { value: last.value, sampleId: last.id as SampleId } : null;
  return { items, next };
}

/** The sort value of one face (null when it has none, i.e. it is in no queue of this order). */
export function sortValueOf(db: ProjectDb, spec: Pick<QueueSpec, 'modelId' | 'sort'>, sampleId: number): number | null {
  if (isModelSort(spec.sort)) {
    return db.stmt<[number, number], number | null>(`SELECT ${spec.sort} FROM scores WHERE model_id = ? AND sample_id = ?`, 'pluck').get(spec.modelId ?? 0, sampleId) ?? null;
  }
  if (spec.sort === 'id') return sampleId;
  return db.stmt<[number], number | null>(`SELECT ${DISAGREEMENT_SQL} FROM samples s WHERE s.id = ?`, 'pluck').get(sampleId) ?? null;
}

/** How many faces of the queue come before position (value, id). */
export function countBefore(db: ProjectDb, spec: QueueSpec, at: ReviewCursor): number {
  const b = build(spec);
  const op = b.desc ? '>' : '<';
  return db
    .stmt<[Record<string, unknown>], number>(`SELECT count(*) FROM ${b.from} WHERE ${b.where} AND (${b.value}, ${b.idCol}) ${op} (@cursor_value, @cursor_id)`, 'pluck')
    .get({ ...b.params, cursor_value: at.value, cursor_id: at.sampleId })!;
}

/** Faces in the queue, and how many of them have a review decision (driven by the few decided faces). */
export function queueCounts(db: ProjectDb, spec: QueueSpec): { total: number; reviewed: number } {
  const b = build(spec);
  const total = db.stmt<[Record<string, unknown>], number>(`SELECT count(*) FROM ${b.from} WHERE ${b.where}`, 'pluck').get(b.params)!;
  const reviewed = db
    .stmt<[Record<string, unknown>], number>(
      `SELECT count(*) FROM ${b.from} WHERE ${b.where} AND s.id IN (SELECT DISTINCT sample_id FROM effective_decisions)`,
      'pluck',
    )
    .get(b.params)!;
  return { total, reviewed };
}
