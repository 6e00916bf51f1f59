/**
 * Annotator statistics for identified annotators (METHOD.md 5): majority consensus per face,
 * each annotator's agreement with the consensus and confusion matrix against it, and pairwise
 * agreement with Cohen's kappa. Agreement uses a leave-one-out consensus: an annotation is
 * compared with the plurality of the *other* annotators of that face, because with few
 * annotators a consensus that includes the annotator's own vote flatters him (with two
 * annotators he would always agree). Faces where the others are absent or tied are not
 * compared. Fleiss' kappa and Dawid-Skene live in fleiss-kappa.ts and dawid-skene.ts, the
 * statistics for anonymous vote counts in crowd-statistics.ts; all are re-exported here so
 * this module is the one entry point for annotator statistics. Everything is O(annotations
 * x K), pairwise agreement O(sum over faces of raters^2).
 */
export * from './annotation-table.ts';
export { fleissKappa } from './fleiss-kappa.ts';
export type { FleissKappaResult } from './fleiss-kappa.ts';
export { DAWID_SKENE_DEFAULTS, dawidSkene } from './dawid-skene.ts';
export type { DawidSkeneInput, DawidSkeneOptions, DawidSkeneResult } from './dawid-skene.ts';
export { crowdStatistics, dawidSkeneFromTable, dawidSkeneFromVotes } from './crowd-statistics.ts';
export type { CrowdStatistics } from './crowd-statistics.ts';
import { categoryCount, checkAnnotationTable, countsFromTable, pluralityAt } from './annotation-table.ts';
import type { AnnotationTable, CategorySet } from './annotation-table.ts';

export interface AnnotatorOptions {
  categories?: CategorySet;
}

/** Plurality label per face over all its annotators; -1 for no labels or a tied top count. */
export function majorityConsensus(t: AnnotationTable, opts: AnnotatorOptions = {}): Int32Array {
  checkAnnotationTable(t);
  const k = categoryCount(opts.categories);
  const counts = countsFromTable(t, opts.categories);
  const out = new Int32Array(t.numItems);
  for (let i = 0; i < t.numItems; i++) out[i] = pluralityAt(counts, i, k);
  return out;
}

export interface AnnotatorAgreement {
  annotator: number;
  /** Labels this annotator gave inside the category set. */
  labelled: number;
  /** Of those, how many had a leave-one-out consensus to compare with. */
  compared: number;
  agreed: number;
  /** agreed / compared, NaN when nothing was compared. */
  agreement: number;
  /** K x K, rows = leave-one-out consensus, columns = this annotator's label. */
  confusion: Float64Array;
}

export interface AgreementResult {
  k: number;
  perAnnotator: AnnotatorAgreement[];
  /** Pooled over all annotators: agreed / compared. */
  overall: number;
}

/** Per-annotator agreement with, and confusion matrix against, the leave-one-out consensus. */
export function annotatorAgreement(t: AnnotationTable, opts: AnnotatorOptions = {}): AgreementResult {
  checkAnnotationTable(t);
  const k = categoryCount(opts.categories);
  const counts = countsFromTable(t, opts.categories);
  const per: AnnotatorAgreement[] = [];
  for (let a = 0; a < t.numAnnotators; a++) {
    per.push({ annotator: a, labelled: 0, compared: 0, agreed: 0, agreement: Number.NaN, confusion: new Float64Array(k * k) });
  }
  let compared = 0;
  let agreed = 0;
  for (let e = 0; e < t.item.length; e++) {
    const l = t.label[e];
    if (!(l >= 0 && l < k)) continue;
    const s = per[t.annotator[e]];
    s.labelled++;
    const consensus = pluralityAt(counts, t.item[e], k, l);
    if (consensus < 0) continue;
    s.compared++;
    s.confusion[consensus * k + l]++;
    compared++;
    if (consensus === l) {
      s.agreed++;
      agreed++;
    }
  }
  for (const s of per) s.agreement = s.compared > 0 ? s.agreed / s.compared : Number.NaN;
  return { k, perAnnotator: per, overall: compared > 0 ? agreed / compared : Number.NaN };
}

export interface PairAgreement {
  a: number;
  b: number;
  /** Faces both labelled (inside the category set). */
  shared: number;
  agreed: number;
  agreement: number;
  /** Cohen's kappa on the shared faces; NaN when undefined (both always gave the same single category). */
  cohenKappa: number;
}

/**
 * Agreement for every pair of annotators that share at least one face (a < b), sorted by
 * (a, b). If an annotator labelled a face twice, his first label counts.
 */
export function pairwiseAgreement(t: AnnotationTable, opts: AnnotatorOptions = {}): PairAgreement[] {
  checkAnnotationTable(t);
  const k = categoryCount(opts.categories);
  // Bucket annotations by item (counting sort) so each face's raters are contiguous.
  const start = new Int32Array(t.numItems + 1);
  for (let e = 0; e < t.item.length; e++) start[t.item[e] + 1]++;
  for (let i = 0; i < t.numItems; i++) start[i + 1] += start[i];
  const fill = start.slice(0, t.numItems);
  const order = new Int32Array(t.item.length);
  for (let e = 0; e < t.item.length; e++) order[fill[t.item[e]]++] = e;

  const pairs = new Map<number, { shared: number; agreed: number; margA: Float64Array; margB: Float64Array }>();
  for (let i = 0; i < t.numItems; i++) {
    for (let x = start[i]; x < start[i + 1]; x++) {
      const ex = order[x];
      const lx = t.label[ex];
      if (!(lx >= 0 && lx < k) || isRepeat(t, order, start[i], x)) continue;
      for (let y = x + 1; y < start[i + 1]; y++) {
        const ey = order[y];
        const ly = t.label[ey];
        if (!(ly >= 0 && ly < k) || t.annotator[ey] === t.annotator[ex] || isRepeat(t, order, start[i], y)) continue;
        const swap = t.annotator[ex] > t.annotator[ey];
        const a = swap ? t.annotator[ey] : t.annotator[ex];
        const b = swap ? t.annotator[ex] : t.annotator[ey];
        const la = swap ? ly : lx;
        const lb = swap ? lx : ly;
        const key = a * t.numAnnotators + b;
        let s = pairs.get(key);
        if (!s) pairs.set(key, (s = { shared: 0, agreed: 0, margA: new Float64Array(k), margB: new Float64Array(k) }));
        s.shared++;
        if (la === lb) s.agreed++;
        s.margA[la]++;
        s.margB[lb]++;
      }
    }
  }
  const out: PairAgreement[] = [];
  for (const [key, s] of [...pairs.entries()].sort((p, q) => p[0] - q[0])) {
    let pe = 0;
    for (let c = 0; c < k; c++) pe += (s.margA[c] / s.shared) * (s.margB[c] / s.shared);
    const po = s.agreed / s.shared;
    out.push({
      a: Math.floor(key / t.numAnnotators),
      b: key % t.numAnnotators,
      shared: s.shared,
      agreed: s.agreed,
      agreement: po,
      cohenKappa: pe < 1 ? (po - pe) / (1 - pe) : Number.NaN,
    });
  }
  return out;
}

/** True when the annotator of order[x] already appeared earlier among the same face's entries. */
function isRepeat(t: AnnotationTable, order: Int32Array, from: number, x: number): boolean {
  const who = t.annotator[order[x]];
  for (let z = from; z < x; z++) if (t.annotator[order[z]] === who) return true;
  return false;
}
