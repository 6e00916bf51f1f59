/**
 * Parent + children inference (METHOD.md 6.5). For a face x with parent output p and child
 * outputs q_g: the candidates are the children whose confusion pair {given, predicted} equals
 * the parent's top-2 classes {top1, top2}; if the largest KL(p || q_g) among them exceeds tau
 * the face is answered by that child's argmax, otherwise by the parent's. A large KL means the
 * child, trained on exactly this confusion, sees the face differently from the parent.
 *
 * tau is chosen on the validation split only, to maximise validation accuracy, over the
 * observed candidate KL values: every cut between two consecutive distinct values (tau at
 * their midpoint), "route none" (tau = largest KL) and "route all" (tau = half the smallest
 * positive KL). Ties in accuracy go to the larger tau (fewer faces routed). `chooseTau` takes
 * a `SplitOutputs<'valid'>`: passing outputs tagged 'test' or 'train' is a type error, and a
 * runtime error for untyped callers. Routing itself works on any split. O(n log n).
 */
import type { Split } from '../../api/domain.ts';
import { NUM_CLASSES } from '../../api/domain.ts';
import { klAt } from '../analysis/kl.ts';

export { compareBeforeAfter } from './before-after.ts';
export type { BeforeAfter } from './before-after.ts';

export interface ChildOutput {
  /** The child's confusion pair. */
  given: number;
  predicted: number;
  /** The child's probabilities on the same faces as the parent, n x 8. */
  probs: ArrayLike<number>;
}

/** Parent and children outputs plus labels for the faces of one split. */
export interface SplitOutputs<S extends Split> {
  split: S;
  parentProbs: ArrayLike<number>;
  children: readonly ChildOutput[];
  /** Class per face; -1 or non-class codes are left out of accuracy. */
  labels: ArrayLike<number>;
}

export interface CandidateKl {
  /** Largest KL(p || q_g) among the candidate children, NaN when the face has no candidate. */
  kl: Float64Array;
  /** Index (into children) of that child, -1 when none. */
  child: Int32Array;
  /** Parent argmax per face. */
  parentPredicted: Int32Array;
}

function top2(p: ArrayLike<number>, off: number): [number, number] {
  let a = 0;
  let b = -1;
  for (let c = 1; c < NUM_CLASSES; c++) {
    const v = p[off + c];
    if (v > p[off + a]) {
      b = a;
      a = c;
    } else if (b < 0 || v > p[off + b]) b = c;
  }
  return [a, b];
}

export function candidateKl(parentProbs: ArrayLike<number>, children: readonly ChildOutput[]): CandidateKl {
  if (parentProbs.length % NUM_CLASSES !== 0) throw new Error(`routing: parent probabilities length ${parentProbs.length} is not a multiple of ${NUM_CLASSES}`);
  const n = parentProbs.length / NUM_CLASSES;
  children.forEach((c, g) => {
    if (c.probs.length !== parentProbs.length) throw new Error(`routing: child ${g} has ${c.probs.length / NUM_CLASSES} rows, parent ${n}`);
  });
  // Children indexed by unordered class pair, so each face looks up its candidates in O(1).
  const byPair: number[][] = Array.from({ length: NUM_CLASSES * NUM_CLASSES }, () => []);
  children.forEach((c, g) => byPair[Math.min(c.given, c.predicted) * NUM_CLASSES + Math.max(c.given, c.predicted)].push(g));
  const kl = new Float64Array(n);
  const child = new Int32Array(n);
  const parentPredicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * NUM_CLASSES;
    const [a, b] = top2(parentProbs, off);
    parentPredicted[i] = a;
    let best = -1;
    let bestKl = Number.NaN;
    for (const g of byPair[Math.min(a, b) * NUM_CLASSES + Math.max(a, b)]) {
      const d = klAt(parentProbs, off, children[g].probs, off, NUM_CLASSES);
      if (best < 0 || d > bestKl) {
        best = g;
        bestKl = d;
      }
    }
    kl[i] = bestKl;
    child[i] = best;
  }
  return { kl, child, parentPredicted };
}

export interface RoutingResult extends CandidateKl {
  /** Final answer per face. */
  predicted: Int32Array;
  /** Child that answered, -1 when the parent did. */
  routedTo: Int32Array;
}

function argmaxAt(p: ArrayLike<number>, off: number): number {
  let best = 0;
  for (let c = 1; c < NUM_CLASSES; c++) if (p[off + c] > p[off + best]) best = c;
  return best;
}

export function routeFaces(parentProbs: ArrayLike<number>, children: readonly ChildOutput[], tau: number): RoutingResult {
  if (!Number.isFinite(tau)) throw new Error(`routeFaces: tau must be a finite number (got ${tau})`);
  const cand = candidateKl(parentProbs, children);
  const n = cand.kl.length;
  const predicted = Int32Array.from(cand.parentPredicted);
  const routedTo = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (cand.child[i] >= 0 && cand.kl[i] > tau) {
      routedTo[i] = cand.child[i];
      predicted[i] = argmaxAt(children[cand.child[i]].probs, i * NUM_CLASSES);
    }
  }
  return { ...cand, predicted, routedTo };
}

export interface TauChoice {
  tau: number;
  /** Validation accuracy with this tau, and of the parent alone. */
  accuracy: number;
  parentAccuracy: number;
  /** Faces routed to a child at this tau. */
  routed: number;
  /** Labelled faces accuracy is measured on. */
  faces: number;
  /** Every evaluated cut, from "route none" downwards. */
  curve: { tau: number; accuracy: number; routed: number }[];
}

function isClass(l: number): boolean {
  return Number.isInteger(l) && l >= 0 && l < NUM_CLASSES;
}

export function chooseTau(valid: SplitOutputs<'valid'>): TauChoice {
  if ((valid as { split: unknown }).split !== 'valid') {
    throw new Error(`chooseTau: tau must be chosen on the validation split, got outputs tagged "${String((valid as { split: unknown }).split)}" (choosing on test would leak test labels)`);
  }
  const { parentProbs, children, labels } = valid;
  const cand = candidateKl(parentProbs, children);
  const n = cand.kl.length;
  if (labels.length !== n) throw new Error(`chooseTau: ${n} faces but ${labels.length} labels`);
  let faces = 0;
  let parentCorrect = 0;
  const routable: number[] = [];
  for (let i = 0; i < n; i++) {
    if (cand.child[i] >= 0) routable.push(i);
    if (!isClass(labels[i])) continue;
    faces++;
    if (cand.parentPredicted[i] === labels[i]) parentCorrect++;
  }
  // Routing the faces with the largest KL first; each face changes the count of correct answers by gain.
  routable.sort((x, y) => cand.kl[y] - cand.kl[x] || x - y);
  const gain = (i: number): number => {
    if (!isClass(labels[i])) return 0;
    const childPred = argmaxAt(children[cand.child[i]].probs, i * NUM_CLASSES);
    return (childPred === labels[i] ? 1 : 0) - (cand.parentPredicted[i] === labels[i] ? 1 : 0);
  };
  const acc = (correct: number) => (faces > 0 ? correct / faces : Number.NaN);
  const top = routable.length > 0 ? cand.kl[routable[0]] : 0;
  const curve = [{ tau: top, accuracy: acc(parentCorrect), routed: 0 }];
  let best = { tau: top, correct: parentCorrect, routed: 0 };
  let correct = parentCorrect;
  let r = 0;
  while (r < routable.length) {
    const v = cand.kl[routable[r]];
    if (!(v > 0)) break; // tau >= 0, so a KL of exactly 0 is never routed
    while (r < routable.length && cand.kl[routable[r]] === v) correct += gain(routable[r++]);
    const next = r < routable.length ? cand.kl[routable[r]] : 0;
    const tau = (v + next) / 2;
    curve.push({ tau, accuracy: acc(correct), routed: r });
    if (correct > best.correct) best = { tau, correct, routed: r };
  }
  return { tau: best.tau, accuracy: acc(best.correct), parentAccuracy: acc(parentCorrect), routed: best.routed, faces, curve };
}

/** Tags outputs with their split (the one place a caller states which split they come from). */
export function splitOutputs<S extends Split>(split: S, parentProbs: ArrayLike<number>, children: readonly ChildOutput[], labels: ArrayLike<number>): SplitOutputs<S> {
  return { split, parentProbs, children, labels };
}
