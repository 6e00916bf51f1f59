/**
 * Which training faces each child model re-learns from (METHOD.md 6.2-6.4). Input is the
 * parent's out-of-sample predictions on the TRAIN split (k-fold: each face predicted by a
 * model that did not train on it), tagged so that test or in-sample predictions cannot be
 * passed by mistake. Misclassified faces are grouped by confusion pair (given -> predicted);
 * groups with at least nMin faces are kept, or exactly the pairs the user names
 * ("disgust>anger,anger>disgust"; "disgust<>anger" means both directions). Each group gets a
 * replay sample of correctly classified faces of its two classes, replayRatio x the group's
 * size [choice: 1, equal count], half from each class (the given class takes the odd one,
 * and a class short of faces is topped up from the other) so the child does not drift towards
 * either class. Sampling is seeded per pair, so a group's replay does not depend on which
 * other groups were chosen. O(n + total sample size).
 */
import { CLASS_NAMES, NUM_CLASSES } from '../../api/domain.ts';
import { confusionPairName, DEFAULT_N_MIN, groupConfusions } from '../analysis/confusion-groups.ts';
import { Rng } from '../util/rng.ts';

export interface ConfusionPair {
  given: number;
  predicted: number;
}

/** Parent predictions on train made out of sample (k-fold). */
export interface OutOfSampleTrainPredictions {
  split: 'train';
  outOfSample: true;
  /** Given (or current) label per face; non-class codes / -1 are skipped. */
  labels: ArrayLike<number>;
  /** Out-of-sample argmax class per face. */
  predicted: ArrayLike<number>;
}

export interface CaseSelectionOptions {
  nMin?: number;
  /** A pair list (string or parsed); when given, nMin is not applied. */
  pairs?: string | ConfusionPair[];
  replayRatio?: number;
  seed: number;
}

export interface ChildCaseSet {
  given: number;
  predicted: number;
  name: string;
  /** Misclassified faces of the pair (indices into the input arrays), ascending. */
  cases: Int32Array;
  /** Correctly classified faces of the two classes, ascending. */
  replay: Int32Array;
}

export interface CaseSelection {
  groups: ChildCaseSet[];
  /** Requested pairs that had no misclassified face. */
  empty: string[];
}

/** Parses "disgust>anger, anger>disgust" or "disgust<>anger"; throws naming the bad token. */
export function parseConfusionPairs(spec: string): ConfusionPair[] {
  const out: ConfusionPair[] = [];
  const seen = new Set<number>();
  const add = (given: number, predicted: number) => {
    if (!seen.has(given * NUM_CLASSES + predicted)) {
      seen.add(given * NUM_CLASSES + predicted);
      out.push({ given, predicted });
    }
  };
  const classOf = (name: string, token: string) => {
    const c = (CLASS_NAMES as readonly string[]).indexOf(name.trim().toLowerCase());
    if (c < 0) throw new Error(`confusion pairs: "${token}": unknown class "${name.trim()}" (classes: ${CLASS_NAMES.join(', ')})`);
    return c;
  };
  for (const raw of spec.split(',')) {
    const token = raw.trim();
    if (token === '') continue;
    const both = token.match(/^(.+?)\s*<-?>\s*(.+)$/);
    const one = token.match(/^(.+?)\s*-?>\s*(.+)$/);
    const m = both ?? one;
    if (!m) throw new Error(`confusion pairs: "${token}" is not of the form given>predicted or a<>b`);
    const a = classOf(m[1], token);
    const b = classOf(m[2], token);
    if (a === b) throw new Error(`confusion pairs: "${token}" names the same class twice`);
    add(a, b);
    if (both) add(b, a);
  }
  return out;
}

export function selectRelearnCases(preds: OutOfSampleTrainPredictions, opts: CaseSelectionOptions): CaseSelection {
  if (preds.split !== 'train' || preds.outOfSample !== true) {
    throw new Error(`selectRelearnCases: needs out-of-sample predictions on the train split (got split "${preds.split}", outOfSample ${preds.outOfSample}); test cases must never become training data`);
  }
  const { labels, predicted } = preds;
  const ratio = opts.replayRatio ?? 1;
  if (!(ratio >= 0)) throw new Error(`selectRelearnCases: replayRatio must be >= 0 (got ${ratio})`);
  const requested = opts.pairs === undefined ? null : typeof opts.pairs === 'string' ? parseConfusionPairs(opts.pairs) : opts.pairs;
  const all = groupConfusions(labels, predicted, { nMin: requested ? 1 : (opts.nMin ?? DEFAULT_N_MIN) });
  let chosen = all;
  const empty: string[] = [];
  if (requested) {
    chosen = [];
    for (const p of requested) {
      const g = all.find((x) => x.given === p.given && x.predicted === p.predicted);
      if (g) chosen.push(g);
      else empty.push(confusionPairName(p.given, p.predicted));
    }
  }
  // Correctly classified faces per class, the replay pools.
  const correct: number[][] = Array.from({ length: NUM_CLASSES }, () => []);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (Number.isInteger(y) && y >= 0 && y < NUM_CLASSES && predicted[i] === y) correct[y].push(i);
  }
  const groups = chosen.map((g) => {
    const want = Math.round(ratio * g.count);
    const rng = new Rng((Math.imul(opts.seed | 0, 0x9e3779b1) + (g.given * NUM_CLASSES + g.predicted + 1) * 0x85ebca6b) >>> 0);
    const poolA = correct[g.given];
    const poolB = correct[g.predicted];
    let takeA = Math.min(Math.ceil(want / 2), poolA.length);
    const takeB = Math.min(want - takeA, poolB.length);
    takeA = Math.min(want - takeB, poolA.length);
    const replay = Int32Array.from([...sampleWithoutReplacement(poolA, takeA, rng), ...sampleWithoutReplacement(poolB, takeB, rng)]).sort();
    return { given: g.given, predicted: g.predicted, name: g.name, cases: g.indices, replay };
  });
  return { groups, empty };
}

/** k distinct elements of pool (partial Fisher-Yates on a copy). */
function sampleWithoutReplacement(pool: readonly number[], k: number, rng: Rng): number[] {
  const a = pool.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.int(a.length - i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, k);
}
