/**
 * Per-face ambiguity scores (METHOD.md 5) as column arrays, one entry per face, NaN where a
 * score does not apply (no votes, no class label). Inputs are flat row-major arrays:
 * probabilities n x 8 (class order of api/domain.ts), votes n x 12 (indexed by LabelCode),
 * given labels as LabelCodes (anything outside 0..7, e.g. -1 or 8..11, means "no class label").
 * Every score has a documented direction in SCORE_DIRECTIONS: which end is more suspicious.
 * All functions are O(n) in the number of faces.
 */
import { NUM_CLASSES } from '../../api/domain.ts';
import { crowdlab, normalizedMargin } from './crowdlab.ts';
import { klAnnotatorBatch, klParentChildBatch, VOTE_STRIDE } from './kl.ts';

export const SCORE_NAMES = [
  'kl_annotator',
  'kl_parent_child',
  'vote_entropy',
  'margin',
  'max_softmax',
  'misclassified',
  'confident_learning',
  'self_confidence',
  'crowdlab',
  'normalized_margin',
] as const;
export type ScoreName = (typeof SCORE_NAMES)[number];

/**
 * Which end of each score marks a suspicious face. 'higher': kl_annotator and kl_parent_child
 * (nats, >= 0), vote_entropy (0..1, annotators disagree), misclassified and confident_learning
 * (1 = flagged, 0 = not). 'lower': margin (top1 - top2 of p, 0..1), max_softmax (0..1) and
 * self_confidence (p of the given label, 0..1; cleanlab's default ranking), crowdlab (the
 * given label's probability under CROWDLAB's model-and-annotators posterior, 0..1) and
 * normalized_margin ((p_y - max other + 1) / 2, 0..1), both in ./crowdlab.ts.
 */
export const SCORE_DIRECTIONS: Readonly<Record<ScoreName, 'higher' | 'lower'>> = {
  kl_annotator: 'higher',
  kl_parent_child: 'higher',
  vote_entropy: 'higher',
  margin: 'lower',
  max_softmax: 'lower',
  misclassified: 'higher',
  confident_learning: 'higher',
  self_confidence: 'lower',
  crowdlab: 'lower',
  normalized_margin: 'lower',
};

function isClass(l: number): boolean {
  return Number.isInteger(l) && l >= 0 && l < NUM_CLASSES;
}

function rowCount(probs: ArrayLike<number>): number {
  if (probs.length % NUM_CLASSES !== 0) throw new Error(`probs: length ${probs.length} is not a multiple of ${NUM_CLASSES}`);
  return probs.length / NUM_CLASSES;
}

/**
 * Shannon entropy of each face's votes, divided by ln(number of categories) so it lies in
 * [0, 1] (1 = votes spread evenly). `categories: 'classes'` (default) uses the annotator
 * distribution over the 8 classes, as a(x) does; 'all' uses all 12 label codes, so votes for
 * `unknown`/`NF` also count as disagreement. NaN for a face without (class) votes.
 */
export function voteEntropy(votes: ArrayLike<number>, categories: 'classes' | 'all' = 'classes'): Float64Array {
  if (votes.length % VOTE_STRIDE !== 0) throw new Error(`votes: length ${votes.length} is not a multiple of ${VOTE_STRIDE}`);
  const n = votes.length / VOTE_STRIDE;
  const k = categories === 'all' ? VOTE_STRIDE : NUM_CLASSES;
  const norm = Math.log(k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const base = i * VOTE_STRIDE;
    let total = 0;
    for (let c = 0; c < k; c++) total += votes[base + c];
    if (!(total > 0)) {
      out[i] = Number.NaN;
      continue;
    }
    let h = 0;
    for (let c = 0; c < k; c++) {
      const q = votes[base + c] / total;
      if (q > 0) h -= q * Math.log(q);
    }
    out[i] = h / norm;
  }
  return out;
}

/** top1 - top2 of each probability row. */
export function margin(probs: ArrayLike<number>): Float64Array {
  const n = rowCount(probs);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = -Infinity;
    let b = -Infinity;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = probs[i * NUM_CLASSES + c];
      if (v > a) {
        b = a;
        a = v;
      } else if (v > b) b = v;
    }
    out[i] = a - b;
  }
  return out;
}

/** Largest probability of each row. */
export function maxSoftmax(probs: ArrayLike<number>): Float64Array {
  const n = rowCount(probs);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let a = -Infinity;
    for (let c = 0; c < NUM_CLASSES; c++) a = Math.max(a, probs[i * NUM_CLASSES + c]);
    out[i] = a;
  }
  return out;
}

/** argmax of each row (first maximum on ties). */
export function argmaxRows(probs: ArrayLike<number>): Int32Array {
  const n = rowCount(probs);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < NUM_CLASSES; c++) if (probs[i * NUM_CLASSES + c] > probs[i * NUM_CLASSES + best]) best = c;
    out[i] = best;
  }
  return out;
}

/** 1 where argmax p differs from the given label, 0 where it matches, NaN without a class label. */
export function misclassified(probs: ArrayLike<number>, givenLabels: ArrayLike<number>): Float64Array {
  const pred = argmaxRows(probs);
  if (givenLabels.length !== pred.length) throw new Error(`misclassified: ${pred.length} probability rows but ${givenLabels.length} labels`);
  const out = new Float64Array(pred.length);
  for (let i = 0; i < pred.length; i++) out[i] = isClass(givenLabels[i]) ? (pred[i] !== givenLabels[i] ? 1 : 0) : Number.NaN;
  return out;
}

/** p(given label) per face; NaN without a class label. */
export function selfConfidence(probs: ArrayLike<number>, givenLabels: ArrayLike<number>): Float64Array {
  const n = rowCount(probs);
  if (givenLabels.length !== n) throw new Error(`selfConfidence: ${n} probability rows but ${givenLabels.length} labels`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = isClass(givenLabels[i]) ? probs[i * NUM_CLASSES + givenLabels[i]] : Number.NaN;
  return out;
}

export interface ConfidentLearningResult {
  /** Per class: mean p_j over the faces labelled j (NaN for a class no face carries). */
  thresholds: Float64Array;
  /** 1 = label issue, 0 = not, NaN = no class label. */
  issue: Float64Array;
}

/**
 * Confident learning (Northcutt et al.; METHOD.md 5): threshold t_j = mean self-confidence of
 * the faces whose given label is j. A face labelled y is an issue when p_y < t_y while some
 * other class k has p_k >= t_k (>= as in cleanlab's confident joint). A class without labelled
 * faces has no threshold and never counts as the "other" class.
 */
export function confidentLearning(probs: ArrayLike<number>, givenLabels: ArrayLike<number>): ConfidentLearningResult {
  const n = rowCount(probs);
  if (givenLabels.length !== n) throw new Error(`confidentLearning: ${n} probability rows but ${givenLabels.length} labels`);
  const sum = new Float64Array(NUM_CLASSES);
  const count = new Float64Array(NUM_CLASSES);
  for (let i = 0; i < n; i++) {
    const y = givenLabels[i];
    if (!isClass(y)) continue;
    sum[y] += probs[i * NUM_CLASSES + y];
    count[y]++;
  }
  const thresholds = new Float64Array(NUM_CLASSES);
  for (let c = 0; c < NUM_CLASSES; c++) thresholds[c] = count[c] > 0 ? sum[c] / count[c] : Number.NaN;
  const issue = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const y = givenLabels[i];
    if (!isClass(y)) {
      issue[i] = Number.NaN;
      continue;
    }
    let flagged = 0;
    if (probs[i * NUM_CLASSES + y] < thresholds[y]) {
      for (let k = 0; k < NUM_CLASSES; k++) {
        if (k !== y && probs[i * NUM_CLASSES + k] >= thresholds[k]) {
          flagged = 1;
          break;
        }
      }
    }
    issue[i] = flagged;
  }
  return { thresholds, issue };
}

export interface ScoreInput {
  /** Model output p(x), n x 8 (out-of-sample when the scores pick training data). */
  probs: ArrayLike<number>;
  /** Given (or current) label per face as a LabelCode; non-class codes or -1 = none. */
  givenLabels: ArrayLike<number>;
  /** Vote counts n x 12, when the dataset has annotators. */
  votes?: ArrayLike<number> | null;
  /** Child outputs n x 8; with several children kl_parent_child is the largest KL over them. */
  childProbs?: ArrayLike<number> | ArrayLike<number>[] | null;
}

/** Score columns; a column is null when its input is missing. */
export type ScoreColumns = Record<ScoreName, Float64Array | null> & { confidentLearningThresholds: Float64Array };

export function computeScores(input: ScoreInput): ScoreColumns {
  const { probs, givenLabels } = input;
  const n = rowCount(probs);
  if (givenLabels.length !== n) throw new Error(`computeScores: ${n} probability rows but ${givenLabels.length} given labels`);
  let klChild: Float64Array | null = null;
  const children = input.childProbs == null ? [] : isArrayOfRows(input.childProbs) ? input.childProbs : [input.childProbs];
  for (const child of children) {
    const kl = klParentChildBatch(probs, child);
    if (klChild === null) klChild = kl;
    else for (let i = 0; i < n; i++) klChild[i] = Math.max(klChild[i], kl[i]);
  }
  const cl = confidentLearning(probs, givenLabels);
  return {
    kl_annotator: input.votes ? klAnnotatorBatch(input.votes, probs) : null,
    kl_parent_child: klChild,
    vote_entropy: input.votes ? voteEntropy(input.votes) : null,
    margin: margin(probs),
    max_softmax: maxSoftmax(probs),
    misclassified: misclassified(probs, givenLabels),
    confident_learning: cl.issue,
    self_confidence: selfConfidence(probs, givenLabels),
    crowdlab: input.votes ? crowdlab(probs, input.votes, givenLabels).score : null,
    normalized_margin: normalizedMargin(probs, givenLabels),
    confidentLearningThresholds: cl.thresholds,
  };
}

function isArrayOfRows(x: ArrayLike<number> | ArrayLike<number>[]): x is ArrayLike<number>[] {
  return Array.isArray(x) && (x.length === 0 || typeof x[0] !== 'number');
}

function hasFinite(col: Float64Array | null): boolean {
  if (col === null) return false;
  for (let i = 0; i < col.length; i++) if (Number.isFinite(col[i])) return true;
  return false;
}

/**
 * The review queue's default score (METHOD.md 5), decided for the whole dataset so that one
 * queue never mixes scales: kl_annotator when any face has class votes, else kl_parent_child
 * when a child model has been run, else margin.
 */
export function defaultQueueScore(columns: Partial<Record<ScoreName, Float64Array | null>>): ScoreName {
  if (hasFinite(columns.kl_annotator ?? null)) return 'kl_annotator';
  if (hasFinite(columns.kl_parent_child ?? null)) return 'kl_parent_child';
  return 'margin';
}

/**
 * Face indices ordered most suspicious first for a score column and its direction; NaN
 * entries go last; ties keep index order (stable), so the queue is deterministic. O(n log n).
 */
export function suspicionOrder(column: ArrayLike<number>, direction: 'higher' | 'lower'): Int32Array {
  const n = column.length;
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const sign = direction === 'higher' ? -1 : 1;
  return idx.sort((a, b) => {
    const va = column[a];
    const vb = column[b];
    const na = Number.isNaN(va);
    const nb = Number.isNaN(vb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return va === vb ? a - b : sign * (va < vb ? -1 : 1);
  });
}

/** The default review queue: which score it sorts by, and the face indices most suspicious first. */
export function defaultQueueOrder(columns: Partial<Record<ScoreName, Float64Array | null>>): { score: ScoreName; order: Int32Array } {
  const score = defaultQueueScore(columns);
  const column = columns[score];
  if (!column) throw new Error(`defaultQueueOrder: the ${score} column is missing`);
  return { score, order: suspicionOrder(column, SCORE_DIRECTIONS[score]) };
}
