/**
 * What a suspicion score should find, per face of a split: the detection targets of the
 * ranking report (analysis-ranking.ts). With reference labels (a few-annotator import, whose
 * full votes are kept aside) the targets are measured against them:
 *   label_error  the face's current class label is not a top class of the reference votes
 *                (differs from the reference majority; a label tied for the top is not an error)
 *   ambiguous    the reference's top class holds at most half of its class votes
 * Without reference labels, `ambiguous` is judged against the face's own votes (>= MIN_VOTES),
 * which the vote-based scores also read: that comparison is partly circular, and says so.
 * This module is the only reader of reference labels (test/architecture.test.ts); it hands out
 * yes/no per face, never the votes.
 */
import { NUM_CLASSES, NUM_LABEL_CODES, type SplitOrDevTest } from '../../../api/domain.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { readReferenceVotes, referenceAmbiguous, referenceMajority } from '../../../db/reference-votes.ts';

export const MIN_VOTES = 3;
export const RANKING_TARGETS = ['label_error', 'ambiguous'] as const;
export type RankingTarget = (typeof RANKING_TARGETS)[number];

export interface TargetSet {
  target: RankingTarget;
  /** 'reference': the full votes kept aside at import; 'own votes': the votes the scores also see. */
  against: 'reference' | 'own votes';
  /** Faces the target is defined on: true = positive. */
  positives: Map<number, boolean>;
  /**
   * label_error against a reference only: the reference majority class of each face that has a
   * unique one, so a model's accuracy against the answer key can be reported (FER+'s majority
   * protocol with the full votes). Never passed to a score.
   */
  majority?: Map<number, number>;
}

/** Targets on the faces of a split; 'train' leaves out the dev-test carve, reported as 'dev-test'. */
export function rankingTargets(db: ProjectDb, split: SplitOrDevTest): TargetSet[] {
  const ev = loadSplitEvidence(db, split);
  const reference = readReferenceVotes(db, split === 'dev-test' ? 'train' : split);
  if (reference.size === 0) return [{ target: 'ambiguous', against: 'own votes', positives: ownVoteAmbiguity(ev.ids, ev.counts) }];
  const labelOf = new Map<number, number>();
  ev.ids.forEach((id, i) => labelOf.set(id, ev.labels[i]));
  const labelError = new Map<number, boolean>();
  const ambiguous = new Map<number, boolean>();
  const majority = new Map<number, number>();
  for (const [id, counts] of reference) {
    // The reference covers the whole train split; train and dev-test each keep their own faces.
    if (!labelOf.has(id)) continue;
    const m = referenceMajority(counts);
    if (m !== null) majority.set(id, m);
    const amb = referenceAmbiguous(counts);
    if (amb === null) continue;
    ambiguous.set(id, amb);
    const y = labelOf.get(id);
    if (y === undefined || !(y >= 0 && y < NUM_CLASSES)) continue;
    let top = 0;
    for (let c = 0; c < NUM_CLASSES; c++) top = Math.max(top, counts[c]);
    labelError.set(id, counts[y] < top);
  }
  return [
    { target: 'label_error', against: 'reference', positives: labelError, majority },
    { target: 'ambiguous', against: 'reference', positives: ambiguous },
  ];
}

/** The face's own class votes (votes plus identified annotators): top class <= half of >= MIN_VOTES. */
function ownVoteAmbiguity(ids: ArrayLike<number>, counts: ArrayLike<number>): Map<number, boolean> {
  const out = new Map<number, boolean>();
  for (let i = 0; i < ids.length; i++) {
    let total = 0;
    let top = 0;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = counts[i * NUM_LABEL_CODES + c];
      total += v;
      top = Math.max(top, v);
    }
    if (total >= MIN_VOTES) out.set(ids[i], top * 2 <= total);
  }
  return out;
}
