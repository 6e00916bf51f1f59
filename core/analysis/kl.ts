/**
 * Kullback-Leibler divergences between class distributions (METHOD.md 5 and 6.5), in nats.
 * Direction: `klDivergence(a, p)` = KL(a || p) = sum_k a_k ln(a_k / p_k): `a` is the reference
 * (the annotators, or the parent model) and `p` the distribution judged against it (the model,
 * or the child). KL is asymmetric: a model that puts ~0 on a class the annotators chose is
 * punished hard, a model spreading mass where the annotators put none much less. Logs use one
 * named epsilon, ln(x + LOG_EPSILON) (core/util/log-epsilon.ts, shared with the training losses), so a zero probability gives a large finite value instead
 * of Infinity; terms with a_k = 0 contribute nothing (0 ln 0 = 0). With the epsilon the sum can
 * dip below 0 by O(eps) for near-identical inputs, so results are clamped at 0; identical
 * distributions give exactly 0. Batch versions take flat row-major arrays (n rows of 8).
 */
import { LABEL_CODE_NAMES, NUM_CLASSES } from '../../api/domain.ts';
import { LOG_EPSILON } from '../util/log-epsilon.ts';

/** Stride of a vote-count row: one count per LabelCode. */
export const VOTE_STRIDE = LABEL_CODE_NAMES.length;

/** KL(a || p) over `k` entries starting at the given offsets of two flat arrays. */
export function klAt(a: ArrayLike<number>, aOff: number, p: ArrayLike<number>, pOff: number, k: number): number {
  let s = 0;
  for (let j = 0; j < k; j++) {
    const aj = a[aOff + j];
    if (aj > 0) s += aj * (Math.log(aj + LOG_EPSILON) - Math.log(p[pOff + j] + LOG_EPSILON));
  }
  return s > 0 ? s : 0;
}

/** KL(a || p) in nats for two distributions of equal length. */
export function klDivergence(a: ArrayLike<number>, p: ArrayLike<number>): number {
  if (a.length !== p.length) throw new Error(`klDivergence: lengths differ (${a.length} vs ${p.length})`);
  return klAt(a, 0, p, 0, a.length);
}

/**
 * Writes the annotator distribution a(x) (class votes normalised over the 8 classes only) of
 * vote row `row` into `out` at `outOff`; returns false (and writes nothing) when the row has
 * no class votes (e.g. all `unknown`/`NF`).
 */
export function annotatorDistributionAt(votes: ArrayLike<number>, row: number, out: Float64Array, outOff = 0): boolean {
  const base = row * VOTE_STRIDE;
  let total = 0;
  for (let c = 0; c < NUM_CLASSES; c++) total += votes[base + c];
  if (!(total > 0)) return false;
  for (let c = 0; c < NUM_CLASSES; c++) out[outOff + c] = votes[base + c] / total;
  return true;
}

/** a(x) for one vote row (length 12, indexed by LabelCode), or null when it has no class votes. */
export function annotatorDistribution(votes: ArrayLike<number>): Float64Array | null {
  const out = new Float64Array(NUM_CLASSES);
  return annotatorDistributionAt(votes, 0, out) ? out : null;
}

/** KL(a(x) || p(x)) for one face: votes of length 12, probs of length 8. NaN when no class votes. */
export function klAnnotator(votes: ArrayLike<number>, probs: ArrayLike<number>): number {
  const a = annotatorDistribution(votes);
  return a === null ? Number.NaN : klAt(a, 0, probs, 0, NUM_CLASSES);
}

/** KL(p_parent || p_child) for one face. */
export function klParentChild(pParent: ArrayLike<number>, pChild: ArrayLike<number>): number {
  return klAt(pParent, 0, pChild, 0, NUM_CLASSES);
}

function rowsOf(name: string, arr: ArrayLike<number>, stride: number): number {
  if (arr.length % stride !== 0) throw new Error(`${name}: length ${arr.length} is not a multiple of ${stride}`);
  return arr.length / stride;
}

/** KL(a || p) per face for n vote rows (n x 12) and n probability rows (n x 8); NaN where no class votes. */
export function klAnnotatorBatch(votes: ArrayLike<number>, probs: ArrayLike<number>): Float64Array {
  const n = rowsOf('klAnnotatorBatch votes', votes, VOTE_STRIDE);
  if (rowsOf('klAnnotatorBatch probs', probs, NUM_CLASSES) !== n) throw new Error(`klAnnotatorBatch: ${n} vote rows but ${probs.length / NUM_CLASSES} probability rows`);
  const out = new Float64Array(n);
  const a = new Float64Array(NUM_CLASSES);
  for (let i = 0; i < n; i++) {
    out[i] = annotatorDistributionAt(votes, i, a) ? klAt(a, 0, probs, i * NUM_CLASSES, NUM_CLASSES) : Number.NaN;
  }
  return out;
}

/** KL(p_parent || p_child) per face for two n x 8 probability arrays. */
export function klParentChildBatch(pParent: ArrayLike<number>, pChild: ArrayLike<number>): Float64Array {
  const n = rowsOf('klParentChildBatch parent', pParent, NUM_CLASSES);
  if (pChild.length !== pParent.length) throw new Error(`klParentChildBatch: parent has ${n} rows, child ${pChild.length / NUM_CLASSES}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = klAt(pParent, i * NUM_CLASSES, pChild, i * NUM_CLASSES, NUM_CLASSES);
  return out;
}
