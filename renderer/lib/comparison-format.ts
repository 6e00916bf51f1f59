// How a comparison of two models reads: differences in percentage points (one unit for
// accuracy and F1 alike) and McNemar's test in words.
import type { ModelComparison } from '../../api/contract.ts';

/** A difference of two ratios in percentage points: "+2.0 points", "−0.5 points", "±0.0 points". */
export function formatPoints(points: number, digits = 1): string {
  if (!Number.isFinite(points)) return '–';
  const r = points.toFixed(digits);
  if (Number(r) === 0) return `±${(0).toFixed(digits)} points`;
  return `${points > 0 ? '+' : '−'}${Math.abs(points).toFixed(digits)} points`;
}

/** "p = 0.031", "p < 0.001". */
export function formatP(p: number): string {
  if (!Number.isFinite(p)) return 'p = –';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** One sentence: is the difference significant at 5%, by which test, on how many discordant faces. */
export function mcnemarSentence(c: ModelComparison, nameA: string, nameB: string): string {
  const discordant = c.onlyFirstRight + c.onlyOtherRight;
  const verdict = c.test.pValue < 0.05 ? 'a significant difference at the 5% level' : 'no significant difference at the 5% level';
  const stat = c.test.statistic === null ? '' : `, χ² = ${c.test.statistic.toFixed(2)}`;
  return `McNemar (${c.test.method}${stat}, ${formatP(c.test.pValue)}) on the ${discordant} faces only one model got right (${c.onlyFirstRight} only ${nameA}, ${c.onlyOtherRight} only ${nameB}): ${verdict}.`;
}
