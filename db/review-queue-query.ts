/**
 * The review queue as SQL: one page in a chosen order, with a keyset cursor, a "start at this
 * face" position (to resume) and the counts behind the progress counter; and pages of a given
 * list of faces (a hand-over from another view).
 *
 * Score orders read one column of `scores`; every such column has an index (model_id, score)
 * that ends in sample_id (WITHOUT ROWID, migration 0002), so a page is an index range scan from
 * the cursor, as fast deep in 300,000 faces as at the top. The no-model orders are
 * `disagreement` (the TEMP table of review-disagreement.ts) and `id`. The statements are built
 * from the order and the filter (only the joins a filter needs), then cached by `db.stmt`.
 * The caller validates requests (a score order or a predicted / misclassified filter needs a
 * model); this module throws a plain Error when it is given one anyway.
 */
import type { FaceListItem, ReviewAction, ReviewCursor, ReviewFilter, ReviewSort } from '../api/contract.ts';
import type { ModelId, SampleId, Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { ensureDisagreementTable, faceDisagreement } from './review-disagreement.ts';
import { SORTABLE_SCORES } from './score-store.ts';
import { extraFilterConditions } from './review-filter-extras.ts';
import { suggestionOf } from './review-suggestions.ts';

/** Smallest first for these (least confident first); largest first for the rest. */
const ASCENDING: readonly ReviewSort[] = ['margin', 'max_softmax', 'self_confidence', 'crowdlab', 'normalized_margin', 'id'];

/** Whether an order reads a model's scores (the others need no model). */
export const isScoreSort = (sort: ReviewSort): boolean => (SORTABLE_SCORES as readonly string[]).includes(sort);
export const reviewSortDirection = (sort: ReviewSort): 'asc' | 'desc' => (ASCENDING.includes(sort) ? 'asc' : 'desc');

/**
 * Review state of face `id` straight from the audit trail, as the view `sample_labels`
 * (migration 0001) derives it. Filters use these instead of joining the view: a count over
 * 300,000 faces through the view took a second, these are two index probes per face.
 */
const reviewedSql = (id: string) =>
  `EXISTS (SELECT 1 FROM relabels r WHERE r.sample_id = ${id} AND r.action <> 'undo' AND NOT EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id))`;
const currentLabelSql = (id: string) =>
  `COALESCE((SELECT r.label FROM relabels r WHERE r.sample_id = ${id} AND r.action IN ('relabel', 'not_face')
             AND NOT EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id) ORDER BY r.id DESC LIMIT 1), s.given_label)`;

export interface ReviewQueueSpec {
  modelId: ModelId | null;
  sort: ReviewSort;
  filter: ReviewFilter;
}

interface Built {
  /** FROM ... JOIN ...: the driving table, then only the joins the filter (and, for a page, the output) needs. */
  from: string;
  value: string;
  /** The id column of the driving table, so SQLite walks its (value, id) index. */
  idCol: string;
  where: string;
  params: Record<string, unknown>;
  desc: boolean;
}

/**
 * 'page': a page in order, with every output column; 'order': the order alone (to find a
 * position); 'count': no order, so a filter on the faces' own columns (split, given label)
 * drives the scan from the samples' (split, label) index and probes the score by its key,
 * instead of probing 300,000 wide sample rows from the score index (1.2 s -> see the bench).
 */
type BuildMode = 'page' | 'order' | 'count';

function build(db: ProjectDb, spec: ReviewQueueSpec, mode: BuildMode): Built {
  const forPage = mode === 'page';
  const { modelId, sort, filter: f } = spec;
  const modelSort = isScoreSort(sort);
  const [base, value, id] = modelSort
    ? ['scores sc', `sc.${sort}`, 'sc.sample_id']
    : sort === 'disagreement'
      ? ['temp.review_disagreement dg', 'dg.value', 'dg.sample_id']
      : ['samples s', 's.id', 's.id'];
  const extra = extraFilterConditions(f, id);
  if (modelId === null && (modelSort || f.predicted !== undefined || f.misclassified !== undefined || extra.readsScores)) {
    throw new Error(`${modelSort ? `sort ${sort}` : 'the predicted / misclassified / score range filter'} needs a model (modelId)`);
  }
  if (sort === 'disagreement' || f.disagreement !== undefined) ensureDisagreementTable(db);
  // 'dev-test' is no split of the samples table: those faces are found by id (all are train).
  const split = f.split === 'dev-test' ? undefined : f.split;
  const needSamples = forPage || split !== undefined || f.givenLabel !== undefined || f.currentLabel !== undefined || f.misclassified !== undefined;
  const needLabels = forPage;
  const needScores = !modelSort && modelId !== null && (forPage || f.predicted !== undefined || f.misclassified !== undefined || extra.readsScores);
  const drivenBySamples = mode === 'count' && needSamples && !base.startsWith('samples');
  const joins = drivenBySamples ? ['samples s', `CROSS JOIN ${base}`] : [base];
  if (needSamples && !base.startsWith('samples') && !drivenBySamples) joins.push(`JOIN samples s ON s.id = ${id}`);
  if (needLabels) joins.push(`JOIN sample_labels l ON l.sample_id = ${id}`);
  if (needScores) joins.push(`LEFT JOIN scores sc ON sc.model_id = @model AND sc.sample_id = ${id}`);
  const where: string[] = [];
  if (drivenBySamples) where.push(`${id} = s.id`);
  if (modelSort) where.push('sc.model_id = @model', `${value} IS NOT NULL`);
  const params: Record<string, unknown> = {};
  if (modelId !== null) params.model = modelId;
  const add = (cond: string, key: string, v: unknown) => {
    if (v === undefined) return;
    where.push(cond);
    params[key] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  };
  add('s.split = @split', 'split', split);
  // The dev-test carve (db/dev-test-store.ts) is held out for measurement: it is in a queue only
  // when asked for by name, so no default or train queue (nor a bulk accept of its first k)
  // leads a reviewer to relabel it. Valid and test faces are never in it.
  if (f.split === 'dev-test') where.push(`EXISTS (SELECT 1 FROM dev_test_samples d WHERE d.sample_id = ${id})`);
  else if (f.split === undefined || f.split === 'train') where.push(`NOT EXISTS (SELECT 1 FROM dev_test_samples d WHERE d.sample_id = ${id})`);
  add('s.given_label = @given', 'given', f.givenLabel);
  add(`${currentLabelSql(id)} = @current`, 'current', f.currentLabel);
  add('sc.predicted_label = @predicted', 'predicted', f.predicted);
  add('(sc.predicted_label IS NOT s.given_label) = @misclassified', 'misclassified', f.misclassified);
  add(`${reviewedSql(id)} = @reviewed`, 'reviewed', f.reviewed);
  add(`EXISTS (SELECT 1 FROM temp.review_disagreement d2 WHERE d2.sample_id = ${id} AND d2.value > 0) = @disagreement`, 'disagreement', f.disagreement);
  // Same hash (indexed), then the same bytes: a hash collision is never a duplicate.
  add(
    `EXISTS (SELECT 1 FROM sample_hashes h1 JOIN sample_hashes h2 ON h2.pixel_hash = h1.pixel_hash AND h2.sample_id <> h1.sample_id
             JOIN samples p1 ON p1.id = h1.sample_id JOIN samples p2 ON p2.id = h2.sample_id
             WHERE h1.sample_id = ${id} AND p1.pixels = p2.pixels) = @duplicate`,
    'duplicate',
    f.duplicate,
  );
  where.push(...extra.where);
  Object.assign(params, extra.params);
  return { from: joins.join(' '), value, idCol: id, where: where.length ? where.join(' AND ') : '1', params, desc: reviewSortDirection(sort) === 'desc' };
}

interface PageRow {
  id: number;
  value: number | null;
  split: Split;
  given_label: number | null;
  current_label: number | null;
  last_action: ReviewAction | null;
  predicted_label: number | null;
  /** The model's top probability (that of predicted_label): the suggestion's probability. */
  predicted_p: number | null;
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
    predictedProbability: r.predicted_p,
    suggested: suggestionOf(r.predicted_label, r.predicted_p, r.current_label),
  };
}

/** `(value, id)` strictly after (or, inclusive, at or after) a position in the queue's order. */
function positionSql(b: Built, inclusive: boolean): string {
  const op = b.desc ? (inclusive ? '<=' : '<') : inclusive ? '>=' : '>';
  return `(${b.value}, ${b.idCol}) ${op} (@cursor_value, @cursor_id)`;
}

export interface ReviewPageRequest extends ReviewQueueSpec {
  limit: number;
  after?: ReviewCursor;
  /** Inclusive start position (value, id): used by startAt. */
  from?: ReviewCursor;
  offset?: number;
}

export function reviewQueuePage(db: ProjectDb, req: ReviewPageRequest): { items: FaceListItem[]; next: ReviewCursor | null } {
  if (!req.after && !req.from && req.offset) {
    // A jump: find the face at the offset walking only the driving index (and the joins the
    // filter needs), then read the page from there.
    const at = positionAt(db, req, req.offset);
    return at ? reviewQueuePage(db, { ...req, offset: undefined, from: at }) : { items: [], next: null };
  }
  const b = build(db, req, 'page');
  const dir = b.desc ? 'DESC' : 'ASC';
  const position = req.after ?? req.from;
  const where = position ? `${b.where} AND ${positionSql(b, !req.after)}` : b.where;
  const predicted = req.modelId === null ? 'NULL' : 'sc.predicted_label';
  const predictedP = req.modelId === null ? 'NULL' : 'sc.max_softmax';
  const sql = `SELECT ${b.idCol} AS id, ${b.value} AS value, s.split, s.given_label, l.current_label, l.last_action, ${predicted} AS predicted_label, ${predictedP} AS predicted_p
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

function positionAt(db: ProjectDb, spec: ReviewQueueSpec, offset: number): ReviewCursor | null {
  const b = build(db, spec, 'order');
  const dir = b.desc ? 'DESC' : 'ASC';
  const r = db
    .stmt<[Record<string, unknown>], { value: number; id: number }>(`SELECT ${b.value} AS value, ${b.idCol} AS id FROM ${b.from} WHERE ${b.where} ORDER BY ${b.value} ${dir}, ${b.idCol} ${dir} LIMIT 1 OFFSET @offset`)
    .get({ ...b.params, offset });
  return r ? { value: r.value, sampleId: r.id as SampleId } : null;
}

/** The sort value of one face (null when it has none, i.e. it is in no queue of this order). */
export function reviewSortValue(db: ProjectDb, spec: Pick<ReviewQueueSpec, 'modelId' | 'sort'>, sampleId: number): number | null {
  if (isScoreSort(spec.sort)) {
    return db.stmt<[number, number], number | null>(`SELECT ${spec.sort} FROM scores WHERE model_id = ? AND sample_id = ?`, 'pluck').get(spec.modelId ?? 0, sampleId) ?? null;
  }
  if (spec.sort === 'id') return sampleId;
  return faceDisagreement(db, sampleId);
}

/** How many faces of the queue come before position (value, id). */
export function reviewQueueCountBefore(db: ProjectDb, spec: ReviewQueueSpec, at: ReviewCursor): number {
  const b = build(db, spec, 'count');
  const op = b.desc ? '>' : '<';
  return db
    .stmt<[Record<string, unknown>], number>(`SELECT count(*) FROM ${b.from} WHERE ${b.where} AND (${b.value}, ${b.idCol}) ${op} (@cursor_value, @cursor_id)`, 'pluck')
    .get({ ...b.params, cursor_value: at.value, cursor_id: at.sampleId })!;
}

/** Faces in the queue, and how many of them have a review decision (driven by the few decided faces). */
export function reviewQueueCounts(db: ProjectDb, spec: ReviewQueueSpec): { total: number; reviewed: number } {
  const b = build(db, spec, 'count');
  const total = db.stmt<[Record<string, unknown>], number>(`SELECT count(*) FROM ${b.from} WHERE ${b.where}`, 'pluck').get(b.params)!;
  // Driven by the (few) decided faces: CROSS JOIN keeps them the outer loop.
  const reviewed = db
    .stmt<[Record<string, unknown>], number>(
      `SELECT count(*) FROM (SELECT DISTINCT sample_id AS rid FROM effective_decisions) d CROSS JOIN ${b.from} WHERE ${b.idCol} = d.rid AND ${b.where}`,
      'pluck',
    )
    .get(b.params)!;
  return { total, reviewed };
}

/**
 * A page of a given list of faces (a hand-over from another view): ids[offset .. offset+limit]
 * in the list's order, with the model's predicted class and sort value when there is a model.
 * Ids not in the project are left out of the page.
 */
export function reviewListPage(db: ProjectDb, spec: Pick<ReviewQueueSpec, 'modelId' | 'sort'>, ids: readonly number[], offset: number, limit: number): FaceListItem[] {
  const slice = ids.slice(offset, offset + limit);
  if (slice.length === 0) return [];
  const withModel = spec.modelId !== null;
  const value = withModel && isScoreSort(spec.sort) ? `sc.${spec.sort}` : 'NULL';
  const rows = db
    .stmt<[Record<string, unknown>], PageRow>(
      `SELECT s.id, ${value} AS value, s.split, s.given_label, l.current_label, l.last_action, ${withModel ? 'sc.predicted_label' : 'NULL'} AS predicted_label,
              ${withModel ? 'sc.max_softmax' : 'NULL'} AS predicted_p
       FROM json_each(@ids) j JOIN samples s ON s.id = j.value JOIN sample_labels l ON l.sample_id = s.id
       ${withModel ? 'LEFT JOIN scores sc ON sc.model_id = @model AND sc.sample_id = s.id' : ''}`,
    )
    .all({ ids: JSON.stringify(slice), ...(withModel ? { model: spec.modelId } : {}) });
  const byId = new Map(rows.map((r) => [r.id, r]));
  return slice.flatMap((id) => {
    const r = byId.get(id);
    return r ? [toItem(r, spec.sort)] : [];
  });
}

/** Faces of a given list that have a review decision. */
export function countReviewedAmong(db: ProjectDb, ids: readonly number[]): number {
  return db
    .stmt<[string], number>('SELECT count(DISTINCT d.sample_id) FROM effective_decisions d WHERE d.sample_id IN (SELECT value FROM json_each(?))', 'pluck')
    .get(JSON.stringify(ids))!;
}
