// Pure helpers of the Map view: map coordinates to the scatterplot's [-1, 1] square (one scale
// for both axes, so distances keep their meaning), a colour category or value per face for
// the chosen colouring, and the legend with its counts. Unit tested without a browser.
import { LABEL_CODE_NAMES } from '../../api/domain.ts';

export const COLOR_BY = ['given', 'current', 'predicted', 'score'] as const;
export type ColorBy = (typeof COLOR_BY)[number];

/** One colour per label code (8 classes, then none, uncertain, not a face, unknown), then "no label". */
export const LABEL_COLORS = [
  '#8c8c8c', '#f2b701', '#3969ac', '#11a579', '#7f3c8d', '#80ba5a', '#e73f74', '#e68310',
  '#c9c9c9', '#b3b3b3', '#000000', '#dddddd', '#eeeeee',
] as const;
export const NO_LABEL = LABEL_CODE_NAMES.length;

/** Viridis-like ramp for scores, low to high. */
export const SCORE_COLORS = ['#440154', '#482878', '#3e4989', '#31688e', '#26828e', '#1f9e89', '#35b779', '#6ece58', '#b5de2b', '#fde725'] as const;

/** x and y scaled together into [-0.95, 0.95], centred. */
export function normalise(x: readonly number[], y: readonly number[]): { x: Float32Array; y: Float32Array } {
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < x.length; i++) {
    minX = Math.min(minX, x[i]);
    maxX = Math.max(maxX, x[i]);
    minY = Math.min(minY, y[i]);
    maxY = Math.max(maxY, y[i]);
  }
  const half = Math.max(maxX - minX, maxY - minY, 1e-12) / 2;
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2;
  const s = 0.95 / half;
  return { x: Float32Array.from(x, (v) => (v - cx) * s), y: Float32Array.from(y, (v) => (v - cy) * s) };
}

/** Category per face (label code, NO_LABEL where null) for a label colouring. */
export function categories(labels: readonly (number | null)[]): Float32Array {
  return Float32Array.from(labels, (l) => (l === null || l < 0 || l >= NO_LABEL ? NO_LABEL : l));
}

/** Scores scaled to [0, 1] between their 2nd and 98th percentile (a few extreme faces would grey out the rest); null -> 0. */
export function scoreValues(scores: readonly (number | null)[]): { values: Float32Array; low: number; high: number } {
  const present = scores.filter((s): s is number => s !== null && Number.isFinite(s)).sort((a, b) => a - b);
  if (present.length === 0) return { values: new Float32Array(scores.length), low: 0, high: 0 };
  const low = present[Math.floor(0.02 * (present.length - 1))];
  const high = present[Math.ceil(0.98 * (present.length - 1))];
  const span = high - low || 1;
  return { values: Float32Array.from(scores, (s) => (s === null || !Number.isFinite(s) ? 0 : Math.min(1, Math.max(0, (s - low) / span)))), low, high };
}

export interface LegendEntry {
  category: number;
  name: string;
  color: string;
  count: number;
}

/** Label categories that occur, with their colour and how many faces (optionally: of `only`) carry each. */
export function legend(cats: Float32Array, only?: readonly number[]): LegendEntry[] {
  const counts = new Map<number, number>();
  const add = (c: number) => counts.set(c, (counts.get(c) ?? 0) + 1);
  if (only) for (const i of only) add(cats[i]);
  else for (const c of cats) add(c);
  return [...counts.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([category, count]) => ({ category, name: category === NO_LABEL ? 'no label' : LABEL_CODE_NAMES[category].replace('_', ' '), color: LABEL_COLORS[category], count }));
}
