/**
 * An independent, deliberately naive re-implementation of METHOD.md 6.5 routing for the
 * relearn tests: KL(p || q) term by term, the parent's top two classes by sorting, and tau by
 * trying every candidate cut and recounting valid accuracy from scratch (O(n) per cut, O(n^2)
 * in all). It shares no code with core/relearn or core/analysis/kl.ts, so a bug there cannot
 * hide itself by being repeated here.
 */
import { NUM_CLASSES } from '../../../api/domain.ts';

/** The epsilon of METHOD's KL definition, ln(x + eps), restated so the oracle owns it. */
const EPS = 1e-7;

export interface OracleChild {
  given: number;
  predicted: number;
  probs: ArrayLike<number>;
}

export function naiveKl(p: ArrayLike<number>, pOff: number, q: ArrayLike<number>, qOff: number): number {
  let s = 0;
  for (let k = 0; k < NUM_CLASSES; k++) {
    const a = p[pOff + k];
    if (a > 0) s += a * Math.log((a + EPS) / (q[qOff + k] + EPS));
  }
  return Math.max(0, s);
}

function ranked(p: ArrayLike<number>, off: number): number[] {
  return Array.from({ length: NUM_CLASSES }, (_, k) => k).sort((a, b) => p[off + b] - p[off + a] || a - b);
}

export interface OracleFace {
  parentPred: number;
  /** Index of the candidate child with the largest KL, -1 when no child covers the parent's top two. */
  child: number;
  kl: number;
  childPred: number;
}

/** Per face: the parent's answer and the candidate child that routing would consult. */
export function oracleFaces(parentProbs: ArrayLike<number>, children: readonly OracleChild[]): OracleFace[] {
  const n = parentProbs.length / NUM_CLASSES;
  const faces: OracleFace[] = [];
  for (let i = 0; i < n; i++) {
    const off = i * NUM_CLASSES;
    const [a, b] = ranked(parentProbs, off);
    let child = -1;
    let kl = Number.NaN;
    children.forEach((c, g) => {
      const pair = (c.given === a && c.predicted === b) || (c.given === b && c.predicted === a);
      if (!pair) return;
      const d = naiveKl(parentProbs, off, c.probs, off);
      if (child < 0 || d > kl) {
        child = g;
        kl = d;
      }
    });
    faces.push({ parentPred: a, child, kl, childPred: child < 0 ? -1 : ranked(children[child].probs, off)[0] });
  }
  return faces;
}

export interface OracleCount {
  routed: number;
  wrongToRight: number;
  rightToWrong: number;
  correct: number;
  labelled: number;
  perChild: { routed: number; changed: number; wrongToRight: number; rightToWrong: number }[];
}

const isClass = (y: number) => Number.isInteger(y) && y >= 0 && y < NUM_CLASSES;

/** Recounts one split's routing at `tau` face by face. */
export function oracleCount(faces: readonly OracleFace[], labels: ArrayLike<number>, tau: number, numChildren: number): OracleCount {
  const out: OracleCount = { routed: 0, wrongToRight: 0, rightToWrong: 0, correct: 0, labelled: 0, perChild: Array.from({ length: numChildren }, () => ({ routed: 0, changed: 0, wrongToRight: 0, rightToWrong: 0 })) };
  faces.forEach((f, i) => {
    // "Route none" puts tau exactly on the largest KL; summing the logs in another order moves
    // that KL by ~1e-16, so the comparison allows for rounding (cuts are far apart otherwise).
    const routed = f.child >= 0 && f.kl > tau * (1 + 1e-9);
    const answer = routed ? f.childPred : f.parentPred;
    const c = routed ? out.perChild[f.child] : null;
    if (c) {
      out.routed++;
      c.routed++;
      if (answer !== f.parentPred) c.changed++;
    }
    const y = labels[i];
    if (!isClass(y)) return;
    out.labelled++;
    if (answer === y) out.correct++;
    if (answer === y && f.parentPred !== y) {
      out.wrongToRight++;
      if (c) c.wrongToRight++;
    }
    if (answer !== y && f.parentPred === y) {
      out.rightToWrong++;
      if (c) c.rightToWrong++;
    }
  });
  return out;
}

/**
 * Every cut METHOD allows (route none = the largest KL, the midpoint between consecutive
 * distinct positive KLs, half the smallest positive KL), each scored by a full recount; the
 * best valid accuracy wins, ties to the larger tau. Returns every cut so a caller can compare
 * the whole curve.
 */
export function oracleTau(faces: readonly OracleFace[], labels: ArrayLike<number>, numChildren: number): { tau: number; correct: number; cuts: { tau: number; correct: number }[] } {
  const kls = [...new Set(faces.filter((f) => f.child >= 0 && f.kl > 0).map((f) => f.kl))].sort((a, b) => b - a);
  const top = faces.reduce((m, f) => (f.child >= 0 && f.kl > m ? f.kl : m), 0);
  const taus = [top, ...kls.map((v, k) => (v + (kls[k + 1] ?? 0)) / 2)];
  const cuts = taus.map((tau) => ({ tau, correct: oracleCount(faces, labels, tau, numChildren).correct }));
  let best = cuts[0];
  for (const c of cuts) if (c.correct > best.correct) best = c;
  return { tau: best.tau, correct: best.correct, cuts };
}
