/**
 * Ranking quality of a suspicion score: does it put the faces we know to be ambiguous or
 * mislabelled (positives) first? AUROC is the Mann-Whitney statistic with mid-ranks, i.e. the
 * probability that a random positive scores above a random negative, ties counting 1/2 (so a
 * constant score gives exactly 0.5). precision@k is the share of positives among the k
 * most suspicious faces; when the k-th place falls inside a group of tied scores, the group
 * contributes its expected share (as if ties were ordered at random), so the result does not
 * depend on input order. `direction` says which end of the score is suspicious; NaN scores are
 * left out. O(n log n).
 */

export type ScoreDirection = 'higher' | 'lower';

function prepare(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, direction: ScoreDirection) {
  if (scores.length !== positives.length) throw new Error(`ranking: ${scores.length} scores but ${positives.length} labels`);
  const idx: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i])) idx.push(i);
  const sign = direction === 'higher' ? 1 : -1;
  const s = Float64Array.from(idx, (i) => sign * scores[i]);
  const pos = Uint8Array.from(idx, (i) => (positives[i] ? 1 : 0));
  // Order by oriented score, descending (most suspicious first).
  const order = Int32Array.from(idx.keys()).sort((a, b) => (s[a] > s[b] ? -1 : s[a] < s[b] ? 1 : a - b));
  return { s, pos, order };
}

/** Area under the ROC curve; NaN when there are no positives or no negatives. */
export function auroc(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, direction: ScoreDirection = 'higher'): number {
  const { s, pos, order } = prepare(scores, positives, direction);
  const n = order.length;
  let nPos = 0;
  for (let i = 0; i < n; i++) nPos += pos[i];
  const nNeg = n - nPos;
  if (nPos === 0 || nNeg === 0) return Number.NaN;
  // Ascending ranks 1..n with mid-ranks for ties; order is descending, so rank = n - position.
  let rankSumPos = 0;
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && s[order[j + 1]] === s[order[i]]) j++;
    const midRank = n - (i + j) / 2;
    for (let t = i; t <= j; t++) if (pos[order[t]]) rankSumPos += midRank;
    i = j + 1;
  }
  return (rankSumPos - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** Share of positives among the k most suspicious faces (k is capped at the number of scored faces). */
export function precisionAtK(scores: ArrayLike<number>, positives: ArrayLike<number | boolean>, k: number, direction: ScoreDirection = 'higher'): number {
  if (!(Number.isInteger(k) && k > 0)) throw new Error(`precisionAtK: k must be a positive integer (got ${k})`);
  const { s, pos, order } = prepare(scores, positives, direction);
  const n = order.length;
  const kk = Math.min(k, n);
  if (kk === 0) return Number.NaN;
  let hits = 0;
  let i = 0;
  while (i < kk) {
    let j = i;
    while (j + 1 < n && s[order[j + 1]] === s[order[i]]) j++;
    let groupPos = 0;
    for (let t = i; t <= j; t++) groupPos += pos[order[t]];
    const taken = Math.min(j, kk - 1) - i + 1;
    hits += (groupPos * taken) / (j - i + 1);
    i = j + 1;
  }
  return hits / kk;
}
