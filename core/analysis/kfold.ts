/**
 * Deterministic stratified k-fold assignment (METHOD.md 5: out-of-sample predictions on train
 * come from k models, each predicting the fold it did not train on). Each label's faces are
 * shuffled with the seeded RNG and dealt round-robin, and each stratum starts where the
 * previous one stopped, so every fold holds within one face of n/k overall and of each
 * class's share. Faces without a class label form a stratum of their own. Same labels, k and
 * seed give the same folds. O(n).
 */
import { Rng } from '../util/rng.ts';

export const DEFAULT_FOLDS = 5;

/** Fold index 0..k-1 per face. */
export function stratifiedKFold(labels: ArrayLike<number>, opts: { k?: number; seed: number }): Int32Array {
  const k = opts.k ?? DEFAULT_FOLDS;
  if (!Number.isInteger(k) || k < 2) throw new Error(`stratifiedKFold: k must be an integer >= 2 (got ${k})`);
  const n = labels.length;
  const strata = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    const key = Number.isInteger(l) && l >= 0 ? l : -1;
    let s = strata.get(key);
    if (!s) strata.set(key, (s = []));
    s.push(i);
  }
  const rng = new Rng(opts.seed);
  const folds = new Int32Array(n);
  let offset = 0;
  for (const key of [...strata.keys()].sort((a, b) => a - b)) {
    const members = Int32Array.from(strata.get(key)!);
    rng.shuffle(members);
    for (let j = 0; j < members.length; j++) folds[members[j]] = (offset + j) % k;
    offset = (offset + members.length) % k;
  }
  return folds;
}

/** Indices for training on every fold but `fold` and for predicting `fold`. */
export function foldSplit(folds: Int32Array, fold: number): { train: Int32Array; heldOut: Int32Array } {
  let held = 0;
  for (let i = 0; i < folds.length; i++) if (folds[i] === fold) held++;
  const train = new Int32Array(folds.length - held);
  const heldOut = new Int32Array(held);
  let a = 0;
  let b = 0;
  for (let i = 0; i < folds.length; i++) {
    if (folds[i] === fold) heldOut[b++] = i;
    else train[a++] = i;
  }
  return { train, heldOut };
}
