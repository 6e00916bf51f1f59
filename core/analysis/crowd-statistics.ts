/**
 * Annotator statistics for anonymous vote counts (FER+: 10 taggers per face whose identities
 * are not published), n x 12 rows indexed by LabelCode. Without identities there is no
 * per-annotator agreement or confusion matrix; what applies is Fleiss' kappa (it only needs
 * per-face counts), agreement with the majority, vote entropy, and Dawid-Skene with one pooled
 * "crowd" annotator: every vote is treated as coming from the same annotator, so EM estimates
 * the crowd's confusion matrix (how often a random tagger says l for a face of class j) and a
 * posterior per face that weighs votes by that matrix instead of counting them. We run it as a
 * separate call (dawidSkeneFromVotes) because it is iterative and the other numbers are not.
 * Caveat, measured on FER+ train: the pooled consensus agrees with the majority label on 95%
 * of the majority-labelled faces, but one confusion matrix for all taggers cannot tell rare
 * classes apart from the taggers' habits (its diagonal for disgust is 0.13, for contempt
 * 0.03), so treat it as a description of the crowd, not as better labels for rare classes.
 * Identified annotators use annotators.ts; `dawidSkeneFromTable` adapts their table.
 */
import { NUM_LABEL_CODES } from '../../api/domain.ts';
import { categoryCount, checkAnnotationTable, countsFromVotes, pluralityAt } from './annotation-table.ts';
import type { AnnotationTable, CategorySet } from './annotation-table.ts';
import { dawidSkene } from './dawid-skene.ts';
import type { DawidSkeneOptions, DawidSkeneResult } from './dawid-skene.ts';
import { fleissKappa } from './fleiss-kappa.ts';
import type { FleissKappaResult } from './fleiss-kappa.ts';
import { voteEntropy } from './scores.ts';

export interface CrowdStatistics {
  faces: number;
  /** Faces with at least one vote inside the category set. */
  facesWithVotes: number;
  fleiss: FleissKappaResult;
  /**
   * Leave-one-out majority agreement: the share of votes that equal the plurality of the other
   * votes of the same face (faces where the others tie are not compared).
   */
  majorityAgreement: number;
  /** Mean over faces with a unique plurality of (votes for it / all votes of the face). */
  majorityShare: number;
  /** Mean normalised vote entropy (0..1) over faces with votes. */
  meanVoteEntropy: number;
}

export function crowdStatistics(votes: ArrayLike<number>, categories: CategorySet = 'classes'): CrowdStatistics {
  const k = categoryCount(categories);
  const counts = countsFromVotes(votes, categories);
  const n = counts.length / k;
  let withVotes = 0;
  let compared = 0;
  let agreed = 0;
  let shareSum = 0;
  let shareN = 0;
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let c = 0; c < k; c++) total += counts[i * k + c];
    if (total <= 0) continue;
    withVotes++;
    const top = pluralityAt(counts, i, k);
    if (top >= 0) {
      shareSum += counts[i * k + top] / total;
      shareN++;
    }
    for (let c = 0; c < k; c++) {
      const v = counts[i * k + c];
      if (v <= 0) continue;
      const loo = pluralityAt(counts, i, k, c);
      if (loo < 0) continue;
      compared += v;
      if (loo === c) agreed += v;
    }
  }
  const entropy = voteEntropy(votes, categories);
  let hSum = 0;
  let hN = 0;
  for (let i = 0; i < entropy.length; i++) {
    if (Number.isFinite(entropy[i])) {
      hSum += entropy[i];
      hN++;
    }
  }
  return {
    faces: n,
    facesWithVotes: withVotes,
    fleiss: fleissKappa(counts, k),
    majorityAgreement: compared > 0 ? agreed / compared : Number.NaN,
    majorityShare: shareN > 0 ? shareSum / shareN : Number.NaN,
    meanVoteEntropy: hN > 0 ? hSum / hN : Number.NaN,
  };
}

/** Dawid-Skene over vote counts with a single pooled "crowd" annotator (index 0). */
export function dawidSkeneFromVotes(
  votes: ArrayLike<number>,
  options: DawidSkeneOptions & { categories?: CategorySet } = {},
): DawidSkeneResult {
  if (votes.length % NUM_LABEL_CODES !== 0) throw new Error(`votes: length ${votes.length} is not a multiple of ${NUM_LABEL_CODES}`);
  const k = categoryCount(options.categories);
  const n = votes.length / NUM_LABEL_CODES;
  let m = 0;
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) if (votes[i * NUM_LABEL_CODES + c] > 0) m++;
  const item = new Int32Array(m);
  const label = new Int32Array(m);
  const count = new Float64Array(m);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < k; c++) {
      const v = votes[i * NUM_LABEL_CODES + c];
      if (v > 0) {
        item[e] = i;
        label[e] = c;
        count[e++] = v;
      }
    }
  }
  return dawidSkene({ item, annotator: new Int32Array(m), label, count, numItems: n, numAnnotators: 1, numCategories: k }, options);
}

/** Dawid-Skene over identified annotators. */
export function dawidSkeneFromTable(
  t: AnnotationTable,
  options: DawidSkeneOptions & { categories?: CategorySet } = {},
): DawidSkeneResult {
  checkAnnotationTable(t);
  return dawidSkene(
    { item: t.item, annotator: t.annotator, label: t.label, numItems: t.numItems, numAnnotators: t.numAnnotators, numCategories: categoryCount(options.categories) },
    options,
  );
}
