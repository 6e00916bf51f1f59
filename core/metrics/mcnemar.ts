/**
 * McNemar's test for two classifiers on the same faces: only the discordant faces count, b
 * (the first model right, the second wrong) and c (the reverse). Under the null hypothesis
 * that both models are equally accurate each discordant face goes either way with p = 1/2.
 * Below EXACT_BELOW discordant faces the two-sided exact binomial test is used (the chi-square
 * approximation is poor there); from it on, the chi-square statistic with Edwards' continuity
 * correction, (|b - c| - 1)^2 / (b + c), with one degree of freedom.
 */

/** The usual rule of thumb: the chi-square approximation needs b + c >= 25. */
export const EXACT_BELOW = 25;

export interface McNemarResult {
  /** First model right, second wrong. */
  b: number;
  /** First model wrong, second right. */
  c: number;
  method: 'exact binomial' | 'chi-square with continuity correction';
  /** The chi-square statistic; null for the exact test. */
  statistic: number | null;
  /** Two-sided. */
  pValue: number;
}

export function mcnemar(b: number, c: number): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new Error(`mcnemar: counts must be integers >= 0 (got b=${b}, c=${c})`);
  const n = b + c;
  if (n < EXACT_BELOW) return { b, c, method: 'exact binomial', statistic: null, pValue: exactTwoSided(b, n) };
  const d = Math.max(0, Math.abs(b - c) - 1);
  const statistic = (d * d) / n;
  // Upper tail of chi-square with 1 df: P(X > x) = erfc(sqrt(x / 2)).
  return { b, c, method: 'chi-square with continuity correction', statistic, pValue: Math.min(1, erfc(Math.sqrt(statistic / 2))) }; // the fit's error can push erfc(0) past 1
}

/** min(1, 2 P(X <= min(b, n-b))) for X ~ Binomial(n, 1/2); n < EXACT_BELOW keeps the sums exact in doubles. */
function exactTwoSided(b: number, n: number): number {
  if (n === 0) return 1;
  const k = Math.min(b, n - b);
  let term = 1; // C(n, 0)
  let sum = 1;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    sum += term;
  }
  return Math.min(1, (2 * sum) / 2 ** n);
}

/** Complementary error function, Chebyshev fit (Press et al., Numerical Recipes, erfcc): relative error < 1.2e-7. */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
