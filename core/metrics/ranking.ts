/**
 * Ranking quality of a suspicion score: does it put the faces we know to be ambiguous or
 * mislabelled (positives) first? AUROC is the Mann-Whitney statistic, i.e. the probability
 * that a random positive scores above a random negative, ties counting 1/2 (so a constant
 * score gives exactly 0.5). precision@k is the share of positives among the k most suspicious
 * faces; when the k-th place falls inside a group of tied scores, the group contributes its
 * expected share (as if ties were ordered at random), so the result does not depend on input
 * order. `direction` says which end of the score is suspicious; NaN scores are left out.
 * Both sort with the engine's native typed-array sort (no comparator calls), O(n log n): at
 * 300,000 faces that is several times faster than sorting an index array.
 */

export type ScoreDirection = 'higher' | 'lower';

/** Oriented scores (higher = more suspicious) of the positives and negatives, each sorted ascending. */
function split(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, direction: ScoreDirection) {
  if (scores.length !== positives.length) throw new Error(`ranking: ${scores.length} scores but ${positives.length} labels`);
  let nPos = 0;
  let nNeg = 0;
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) positives[i] ? nPos++ : nNeg++;
  const pos = new Float64Array(nPos);
  const neg = new Float64Array(nNeg);
  const sign = direction === 'higher' ? 1 : -1;
  for (let i = 0, a = 0, b = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i])) continue;
    if (positives[i]) pos[a++] = sign * scores[i];
    else neg[b++] = sign * scores[i];
  }
  return { pos: pos.sort(), neg: neg.sort() };
}

/** Area under the ROC curve; NaN when there are no positives or no negatives. */
export function auroc(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, direction: ScoreDirection = 'higher'): number {
  const { pos, neg } = split(scores, positives, direction);
  if (pos.length === 0 || neg.length === 0) return Number.NaN;
  // Walk both ascending lists: for each positive, negatives strictly below count 1, equal 1/2.
  let below = 0;
  let equalEnd = 0;
  let wins = 0;
  for (let i = 0; i < pos.length; i++) {
    const v = pos[i];
    while (below < neg.length && neg[below] < v) below++;
    if (equalEnd < below) equalEnd = below;
    while (equalEnd < neg.length && neg[equalEnd] === v) equalEnd++;
    wins += below + (equalEnd - below) / 2;
  }
  return wins / (pos.length * neg.length);
}

/** Share of positives among the k most suspicious faces (k is capped at the number of scored faces). */
export function precisionAtK(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, k: number, direction: ScoreDirection = 'higher'): number {
  if (!(Number.isInteger(k) && k > 0)) throw new Error(`precisionAtK: k must be a positive integer (got ${k})`);
  const { pos, neg } = split(scores, positives, direction);
  const n = pos.length + neg.length;
  const kk = Math.min(k, n);
  if (kk === 0) return Number.NaN;
  // The kk-th largest oriented score is the cut; faces above it are all taken, ties share the rest.
  const all = new Float64Array(n);
  all.set(pos);
  all.set(neg, pos.length);
  all.sort();
  const cut = all[n - kk];
  const countAbove = (a: Float64Array) => a.length - upperBound(a, cut);
  const countEqual = (a: Float64Array) => upperBound(a, cut) - lowerBound(a, cut);
  const above = countAbove(pos) + countAbove(neg);
  const tiedPos = countEqual(pos);
  const tied = tiedPos + countEqual(neg);
  return (countAbove(pos) + (tiedPos * (kk - above)) / tied) / kk;
}

/** First index with a[i] >= v in an ascending array. */
function lowerBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with a[i] > v in an ascending array. */
function upperBound(a: Float64Array, v: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Average precision: the mean, over positives, of the precision at the rank where each is found,
 * i.e. sum over thresholds of (recall gained) x (precision there), as scikit-learn's
 * average_precision_score. Faces with tied scores enter at one threshold together, so a tie
 * group contributes its recall at the precision of the whole group (order-independent). NaN
 * without positives.
 */
export function averagePrecision(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, direction: ScoreDirection = 'higher'): number {
  const { pos, neg } = split(scores, positives, direction);
  if (pos.length === 0) return Number.NaN;
  // Walk both ascending lists from the top (most suspicious) down, one distinct score at a time.
  let i = pos.length - 1;
  let j = neg.length - 1;
  let tp = 0;
  let fp = 0;
  let ap = 0;
  while (i >= 0) {
    const v = j >= 0 && neg[j] > pos[i] ? neg[j] : pos[i];
    let gained = 0;
    while (i >= 0 && pos[i] === v) {
      i--;
      gained++;
    }
    while (j >= 0 && neg[j] === v) {
      j--;
      fp++;
    }
    tp += gained;
    if (gained > 0) ap += (gained / pos.length) * (tp / (tp + fp));
  }
  return ap;
}
