/**
 * Rules combining the parent's and the children's outputs (METHOD.md 6.5 and alternatives).
 * Every rule uses the same candidate child per face as the published routing (the child whose
 * pair is the parent's top-2 classes, the largest KL(p || q) among them; candidateKl) and is
 * fitted on VALID only (a SplitOutputs<'valid'>, a type error for any other split):
 *
 * - 'kl-argmax' (METHOD.md 6.5, as published): the child's argmax when KL > tau; tau chosen
 *   to maximise valid accuracy (routing.ts chooseTau).
 * - 'kl-mix': the argmax of (1 - w) p + w q with w = KL / (KL + kappa): the more the child
 *   disagrees with the parent on its own confusion, the more it is heard, but it never wins
 *   outright unless it is also confident. kappa from MIX_KAPPAS (or "off") by valid accuracy,
 *   ties to the larger kappa (less child).
 * - 'gate': a logistic regression on [p, q, KL(p || q), 1] predicting, on faces where parent and
 *   child disagree, that the child is the one that is right; the face takes the child's
 *   argmax when that probability exceeds 1/2. Its L2 strength is chosen by 5-fold
 *   cross-validation on valid (net faces fixed out of fold); when no strength gains out of
 *   fold the gate is off (the parent answers every face). The final gate is refitted on all of valid.
 */
import type { CombineRule } from '../../api/contract/analysis.ts';
import { NUM_CLASSES } from '../../api/domain.ts';
import { Rng } from '../util/rng.ts';
import { fitLogistic, logisticProbability } from './logistic.ts';
import { candidateKl, chooseTau, routeFaces, type ChildOutput, type SplitOutputs } from './routing.ts';

export type { CombineRule };

export const MIX_KAPPAS = [0.01, 0.03, 0.1, 0.3, 1, 3, 10] as const;
export const GATE_LAMBDAS = [0.1, 1, 10, 100] as const;
export const GATE_FOLDS = 5;
const GATE_D = 2 * NUM_CLASSES + 2;

export interface Combination {
  predicted: Int32Array;
  parentPredicted: Int32Array;
  /** Child whose output decided (or entered) the face's answer, -1 for the parent alone. */
  routedTo: Int32Array;
}

export interface FittedCombiner {
  rule: CombineRule;
  /** What was fitted on valid: tau, kappa (null = off), or the gate's lambda, weights and cross-validated gain. */
  params: Record<string, number | null | number[]>;
  apply(parentProbs: ArrayLike<number>, children: readonly ChildOutput[]): Combination;
}

function argmaxAt(p: ArrayLike<number>, off: number): number {
  let best = 0;
  for (let c = 1; c < NUM_CLASSES; c++) if (p[off + c] > p[off + best]) best = c;
  return best;
}

const isClass = (l: number) => Number.isInteger(l) && l >= 0 && l < NUM_CLASSES;

function countCorrect(pred: Int32Array, labels: ArrayLike<number>, rows?: ArrayLike<number>): number {
  let k = 0;
  const n = rows ? rows.length : pred.length;
  for (let j = 0; j < n; j++) {
    const i = rows ? rows[j] : j;
    if (isClass(labels[i]) && pred[i] === labels[i]) k++;
  }
  return k;
}

/** kl-mix with a given kappa (null: off, the parent answers). */
export function mixFaces(parentProbs: ArrayLike<number>, children: readonly ChildOutput[], kappa: number | null): Combination {
  const cand = candidateKl(parentProbs, children);
  const predicted = Int32Array.from(cand.parentPredicted);
  const routedTo = new Int32Array(predicted.length).fill(-1);
  if (kappa === null) return { predicted, parentPredicted: cand.parentPredicted, routedTo };
  if (!(kappa > 0)) throw new Error(`kl-mix: kappa must be > 0 (got ${kappa})`);
  for (let i = 0; i < predicted.length; i++) {
    const g = cand.child[i];
    if (g < 0 || !(cand.kl[i] > 0)) continue;
    const w = cand.kl[i] / (cand.kl[i] + kappa);
    const off = i * NUM_CLASSES;
    const q = children[g].probs;
    let best = 0;
    let bestV = -1;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = (1 - w) * parentProbs[off + c] + w * q[off + c];
      if (v > bestV) {
        best = c;
        bestV = v;
      }
    }
    predicted[i] = best;
    routedTo[i] = g;
  }
  return { predicted, parentPredicted: cand.parentPredicted, routedTo };
}

function fitMix(valid: SplitOutputs<'valid'>): FittedCombiner {
  let best: { kappa: number | null; correct: number } = { kappa: null, correct: countCorrect(mixFaces(valid.parentProbs, valid.children, null).predicted, valid.labels) };
  for (const kappa of [...MIX_KAPPAS].reverse()) {
    const correct = countCorrect(mixFaces(valid.parentProbs, valid.children, kappa).predicted, valid.labels);
    if (correct > best.correct) best = { kappa, correct };
  }
  return { rule: 'kl-mix', params: { kappa: best.kappa }, apply: (p, ch) => mixFaces(p, ch, best.kappa) };
}

/** Gate features of every face with a candidate child: rows of [p, q, KL, 1]; faces without one get NaN rows. */
export function gateFeatures(parentProbs: ArrayLike<number>, children: readonly ChildOutput[]) {
  const cand = candidateKl(parentProbs, children);
  const n = cand.kl.length;
  const x = new Float64Array(n * GATE_D).fill(Number.NaN);
  const childPredicted = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    const g = cand.child[i];
    if (g < 0) continue;
    const off = i * NUM_CLASSES;
    for (let c = 0; c < NUM_CLASSES; c++) {
      x[i * GATE_D + c] = parentProbs[off + c];
      x[i * GATE_D + NUM_CLASSES + c] = children[g].probs[off + c];
    }
    x[i * GATE_D + 2 * NUM_CLASSES] = cand.kl[i];
    x[i * GATE_D + 2 * NUM_CLASSES + 1] = 1;
    childPredicted[i] = argmaxAt(children[g].probs, off);
  }
  return { x, cand, childPredicted };
}

/** Answers with a gate's weights (null: off). */
export function gateFaces(parentProbs: ArrayLike<number>, children: readonly ChildOutput[], w: ArrayLike<number> | null): Combination {
  const { x, cand, childPredicted } = gateFeatures(parentProbs, children);
  const predicted = Int32Array.from(cand.parentPredicted);
  const routedTo = new Int32Array(predicted.length).fill(-1);
  if (w === null) return { predicted, parentPredicted: cand.parentPredicted, routedTo };
  for (let i = 0; i < predicted.length; i++) {
    if (cand.child[i] < 0 || childPredicted[i] === cand.parentPredicted[i]) continue;
    if (logisticProbability(x, GATE_D, i, w) > 0.5) {
      predicted[i] = childPredicted[i];
      routedTo[i] = cand.child[i];
    }
  }
  return { predicted, parentPredicted: cand.parentPredicted, routedTo };
}

/** Rows (of `rows`) where parent and child disagree and exactly one is right; y = 1 when the child is. */
function gateTrainingRows(f: ReturnType<typeof gateFeatures>, labels: ArrayLike<number>, rows: ArrayLike<number>) {
  const keep: number[] = [];
  const y: number[] = [];
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j];
    const c = f.childPredicted[i];
    const p = f.cand.parentPredicted[i];
    if (c < 0 || c === p || !isClass(labels[i])) continue;
    if ((c === labels[i]) === (p === labels[i])) continue;
    keep.push(i);
    y.push(c === labels[i] ? 1 : 0);
  }
  const x = new Float64Array(keep.length * GATE_D);
  keep.forEach((i, r) => x.set(f.x.subarray(i * GATE_D, (i + 1) * GATE_D), r * GATE_D));
  return { x, y: Float64Array.from(y) };
}

function fitGate(valid: SplitOutputs<'valid'>, seed: number): FittedCombiner {
  const f = gateFeatures(valid.parentProbs, valid.children);
  const n = f.cand.kl.length;
  const fold = new Int32Array(n);
  const order = new Rng(seed ^ 0x9a7e).shuffle(Int32Array.from({ length: n }, (_, i) => i)) as Int32Array;
  order.forEach((i, r) => (fold[i] = r % GATE_FOLDS));
  const net = (w: ArrayLike<number>, rows: number[]) => {
    let gain = 0;
    for (const i of rows) {
      const c = f.childPredicted[i];
      if (c < 0 || c === f.cand.parentPredicted[i] || !isClass(valid.labels[i])) continue;
      if (logisticProbability(f.x, GATE_D, i, w) <= 0.5) continue;
      gain += (c === valid.labels[i] ? 1 : 0) - (f.cand.parentPredicted[i] === valid.labels[i] ? 1 : 0);
    }
    return gain;
  };
  let best: { lambda: number | null; gain: number } = { lambda: null, gain: 0 };
  const cv: number[] = [];
  for (const lambda of [...GATE_LAMBDAS].reverse()) {
    let gain = 0;
    for (let k = 0; k < GATE_FOLDS; k++) {
      const inRows: number[] = [];
      const outRows: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === k ? outRows : inRows).push(i);
      const t = gateTrainingRows(f, valid.labels, inRows);
      if (t.y.length === 0) continue;
      gain += net(fitLogistic(t.x, t.y, GATE_D, { lambda }).w, outRows);
    }
    cv.push(gain);
    if (gain > best.gain) best = { lambda, gain };
  }
  let w: Float64Array | null = null;
  if (best.lambda !== null) {
    const t = gateTrainingRows(f, valid.labels, Int32Array.from({ length: n }, (_, i) => i));
    w = fitLogistic(t.x, t.y, GATE_D, { lambda: best.lambda }).w;
  }
  return {
    rule: 'gate',
    params: { lambda: best.lambda, cvNetGain: best.gain, cvNetGainByLambda: cv, lambdas: [...GATE_LAMBDAS].reverse(), weights: w ? Array.from(w) : null },
    apply: (p, ch) => gateFaces(p, ch, w),
  };
}

/** What a rule fitted on valid, in words. */
export function fittedInWords(rule: CombineRule, params: Record<string, unknown>): string {
  const n = (k: string) => (typeof params[k] === 'number' ? (params[k] as number) : null);
  if (rule === 'kl-argmax') return `tau ${n('tau')?.toFixed(4) ?? '?'} nats`;
  if (rule === 'kl-mix') return n('kappa') === null ? 'off: no kappa gained on valid' : `kappa ${n('kappa')}`;
  const gain = n('cvNetGain');
  return params.weights === null || n('lambda') === null ? 'off: no strength gained out of fold on valid' : `lambda ${n('lambda')}${gain === null ? '' : `, cross-validated net gain ${gain > 0 ? '+' : ''}${gain} faces`}`;
}

/**
 * A rule applied with what was fitted and stored for it (RuleOutcome.params of a relearn run):
 * kl-argmax its tau, kl-mix its kappa (null = off), the gate its weights (null = off). For
 * reading a finished run again (its changed faces) with the rule that made its figures.
 */
export function combineStored(rule: CombineRule, params: Record<string, unknown>, parentProbs: ArrayLike<number>, children: readonly ChildOutput[]): Combination {
  const num = (k: string): number => {
    const v = params[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${rule}: the stored ${k} is not a number (${JSON.stringify(v)})`);
    return v;
  };
  if (rule === 'kl-argmax') {
    const r = routeFaces(parentProbs, children, num('tau'));
    return { predicted: r.predicted, parentPredicted: r.parentPredicted, routedTo: r.routedTo };
  }
  if (rule === 'kl-mix') return mixFaces(parentProbs, children, params.kappa === null ? null : num('kappa'));
  if (rule === 'gate') {
    const w = params.weights;
    if (w !== null && !(Array.isArray(w) && w.length === GATE_D && w.every((x) => typeof x === 'number'))) throw new Error(`gate: the stored weights are not ${GATE_D} numbers`);
    return gateFaces(parentProbs, children, w as number[] | null);
  }
  throw new Error(`unknown combination rule "${String(rule)}" (one of kl-argmax, kl-mix, gate)`);
}

export function fitCombiner(rule: CombineRule, valid: SplitOutputs<'valid'>, opts: { seed?: number } = {}): FittedCombiner {
  if ((valid as { split: unknown }).split !== 'valid') throw new Error(`fitCombiner: a combination rule is fitted on the validation split only, got outputs tagged "${String((valid as { split: unknown }).split)}"`);
  if (rule === 'kl-argmax') {
    const choice = chooseTau(valid);
    return {
      rule,
      params: { tau: choice.tau },
      apply: (p, ch) => {
        const r = routeFaces(p, ch, choice.tau);
        return { predicted: r.predicted, parentPredicted: r.parentPredicted, routedTo: r.routedTo };
      },
    };
  }
  if (rule === 'kl-mix') return fitMix(valid);
  if (rule === 'gate') return fitGate(valid, opts.seed ?? 1);
  throw new Error(`unknown combination rule "${String(rule)}" (one of kl-argmax, kl-mix, gate)`);
}
