/**
 * Fleiss' kappa (Fleiss 1971) from per-item category counts n_ij (items x K, row-major), which
 * serves both identified annotators (countsFromTable) and anonymous vote counts such as FER+'s
 * (countsFromVotes). Items may have different numbers of raters r_i: we use the usual
 * generalisation, P_i = sum_j n_ij (n_ij - 1) / (r_i (r_i - 1)), P_bar = mean of P_i over the
 * items with r_i >= 2, p_j = sum_i n_ij / sum_i r_i, P_e = sum_j p_j^2,
 * kappa = (P_bar - P_e) / (1 - P_e); with equal r_i this is exactly Fleiss' formula. Items with
 * fewer than two raters say nothing about agreement and are left out (counted in
 * `itemsSkipped`). When every rating falls in one category, P_e = 1 and kappa is undefined:
 * NaN. O(items x K).
 */

export interface FleissKappaResult {
  kappa: number;
  /** P_bar: mean pairwise agreement within items. */
  observedAgreement: number;
  /** P_e: agreement expected by chance from the category proportions. */
  expectedAgreement: number;
  /** p_j per category. */
  categoryProportions: Float64Array;
  itemsUsed: number;
  itemsSkipped: number;
  ratings: number;
}

export function fleissKappa(counts: ArrayLike<number>, numCategories: number): FleissKappaResult {
  const k = numCategories;
  if (counts.length % k !== 0) throw new Error(`fleissKappa: length ${counts.length} is not a multiple of ${k} categories`);
  const n = counts.length / k;
  const totals = new Float64Array(k);
  let sumP = 0;
  let used = 0;
  let ratings = 0;
  for (let i = 0; i < n; i++) {
    let r = 0;
    let pairs = 0;
    for (let j = 0; j < k; j++) {
      const v = counts[i * k + j];
      if (v < 0 || !Number.isFinite(v)) throw new Error(`fleissKappa: count at item ${i}, category ${j} is ${v}`);
      r += v;
      pairs += v * (v - 1);
    }
    if (r < 2) continue;
    for (let j = 0; j < k; j++) totals[j] += counts[i * k + j];
    ratings += r;
    sumP += pairs / (r * (r - 1));
    used++;
  }
  const proportions = new Float64Array(k);
  let pe = 0;
  for (let j = 0; j < k; j++) {
    proportions[j] = ratings > 0 ? totals[j] / ratings : Number.NaN;
    pe += proportions[j] * proportions[j];
  }
  const pBar = used > 0 ? sumP / used : Number.NaN;
  const kappa = used > 0 && pe < 1 ? (pBar - pe) / (1 - pe) : Number.NaN;
  return {
    kappa,
    observedAgreement: pBar,
    expectedAgreement: used > 0 ? pe : Number.NaN,
    categoryProportions: proportions,
    itemsUsed: used,
    itemsSkipped: n - used,
    ratings,
  };
}
