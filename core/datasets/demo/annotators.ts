/**
 * The demo's simulated annotators. Each has a habit: a confusion matrix C (row = the class a
 * face truly shows, column = the label given, rows sum to 1) modelled on real rater failure
 * modes: careful, calls disgust "anger", calls fear "surprise", drifts to neutral, noisy.
 * An annotator labels a face by perceiving a class from the face's (possibly blended) true
 * expression and passing it through C, so blended faces split annotators naturally. The
 * matrices are exported so a Dawid-Skene test can check that it recovers them.
 */
import { NUM_CLASSES, type ClassId } from '../../../api/domain.ts';
import type { Rng } from '../../util/rng.ts';

/** Bumped whenever a habit changes, and stored with every demo face. */
export const DEMO_ANNOTATOR_HABITS_VERSION = 'demo-annotators-v1';

export interface DemoAnnotator {
  id: string;
  description: string;
  /** confusion[trueClass][label], each row sums to 1. */
  confusion: readonly (readonly number[])[];
}

type Confusions = [from: ClassId, to: ClassId, p: number][];

/** Mild confusions every annotator shares, along the pairs people mix up. */
const COMMON: Confusions = [
  [0, 2, 0.03], [0, 7, 0.03], [1, 7, 0.02], [2, 0, 0.05], [3, 4, 0.04], [4, 3, 0.06],
  [5, 6, 0.05], [6, 5, 0.04], [7, 0, 0.06], [7, 1, 0.03],
];

/**
 * A confusion matrix: `accuracy` of the mass stays on the diagonal (before the listed
 * confusions are taken from it) and the rest spreads uniformly; `confusions` move extra mass.
 */
function habit(accuracy: number, confusions: Confusions): number[][] {
  const m: number[][] = [];
  for (let i = 0; i < NUM_CLASSES; i++) {
    const row = new Array<number>(NUM_CLASSES).fill((1 - accuracy) / (NUM_CLASSES - 1));
    row[i] = accuracy;
    m.push(row);
  }
  for (const [from, to, p] of confusions) {
    m[from][from] -= p;
    m[from][to] += p;
  }
  return m;
}

const scale = (c: Confusions, k: number): Confusions => c.map(([a, b, p]) => [a, b, p * k]);

export const DEMO_ANNOTATORS: readonly DemoAnnotator[] = Object.freeze([
  { id: 'ann-A', description: 'careful: rarely wrong, and then only along confusable pairs', confusion: habit(0.98, scale(COMMON, 0.5)) },
  { id: 'ann-B', description: 'calls disgust "anger" often', confusion: habit(0.96, [...COMMON, [5, 6, 0.4]]) },
  { id: 'ann-C', description: 'calls fear "surprise" often', confusion: habit(0.96, [...COMMON, [4, 3, 0.4]]) },
  { id: 'ann-D', description: 'biased to neutral, especially for subtle expressions', confusion: habit(0.96, [...COMMON, [1, 0, 0.12], [2, 0, 0.3], [3, 0, 0.12], [4, 0, 0.15], [5, 0, 0.2], [6, 0, 0.2], [7, 0, 0.35]]) },
  { id: 'ann-E', description: 'noisy: about a quarter of labels are random', confusion: habit(0.75, []) },
  { id: 'ann-F', description: 'misses contempt: calls it neutral or happy', confusion: habit(0.96, [...COMMON, [7, 0, 0.25], [7, 1, 0.15]]) },
  { id: 'ann-G', description: 'average: a little of every common confusion', confusion: habit(0.94, scale(COMMON, 1.5)) },
].map((a) => Object.freeze({ ...a, confusion: Object.freeze(a.confusion.map((r) => Object.freeze(r))) })));

/** Draws an index from a discrete distribution (weights summing to 1). */
function drawIndex(p: readonly number[], rng: Rng): number {
  let u = rng.next();
  for (let i = 0; i < p.length; i++) if ((u -= p[i]) < 0) return i;
  return p.length - 1;
}

/**
 * One annotator's label for a face whose true expression is `mix` (a distribution over the
 * classes: one-hot for a clear face, two weights for a blend): perceive a class from the mix,
 * then label it through the annotator's habit.
 */
export function drawAnnotatorLabel(annotator: DemoAnnotator, mix: readonly number[], rng: Rng): ClassId {
  const perceived = drawIndex(mix, rng);
  return drawIndex(annotator.confusion[perceived], rng);
}

/** P(label | mix) for an annotator: mix times its confusion matrix. */
export function annotatorLabelDistribution(annotator: DemoAnnotator, mix: readonly number[]): number[] {
  const out = new Array<number>(NUM_CLASSES).fill(0);
  for (let k = 0; k < NUM_CLASSES; k++) {
    if (mix[k] === 0) continue;
    for (let j = 0; j < NUM_CLASSES; j++) out[j] += mix[k] * annotator.confusion[k][j];
  }
  return out;
}
