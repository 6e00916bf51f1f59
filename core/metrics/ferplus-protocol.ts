/**
 * The FER+ majority protocol (METHOD.md 1; Barsoum et al. 2016): a face's label is the code
 * holding MORE than half of its votes (exactly half is not a majority). A face is left out of
 * accuracy figures when no code has a majority, when `unknown` or `NF` (not a face) wins, or
 * when it has no votes; the counts by reason are returned so reports can say how many.
 * Votes are n x 12 rows indexed by LabelCode; all codes count in the total.
 * Option `dropSingleVotes` (default off, METHOD.md follows the paper's text) reproduces the
 * official FERPlus code, which first zeroes every count of 1 as an outlier tag.
 */
import { LABEL_NOT_FACE, LABEL_UNKNOWN, NUM_CLASSES, NUM_LABEL_CODES } from '../../api/domain.ts';

export interface FerplusMajorityResult {
  /** Class 0..7 per face, or -1 when the face is excluded. */
  labels: Int32Array;
  kept: number;
  excluded: {
    noVotes: number;
    noMajority: number;
    unknown: number;
    notFace: number;
    /** Another non-class code (none / uncertain) won; FER+ itself has none of these. */
    otherNonClass: number;
  };
}

export function ferplusMajorityLabels(votes: ArrayLike<number>, opts: { dropSingleVotes?: boolean } = {}): FerplusMajorityResult {
  if (votes.length % NUM_LABEL_CODES !== 0) throw new Error(`ferplusMajorityLabels: length ${votes.length} is not a multiple of ${NUM_LABEL_CODES}`);
  const n = votes.length / NUM_LABEL_CODES;
  const labels = new Int32Array(n);
  const excluded = { noVotes: 0, noMajority: 0, unknown: 0, notFace: 0, otherNonClass: 0 };
  let kept = 0;
  const drop = opts.dropSingleVotes === true;
  for (let i = 0; i < n; i++) {
    const base = i * NUM_LABEL_CODES;
    let total = 0;
    let best = -1;
    let bestCount = 0;
    for (let c = 0; c < NUM_LABEL_CODES; c++) {
      let v = votes[base + c];
      if (drop && v <= 1) v = 0;
      total += v;
      if (v > bestCount) {
        best = c;
        bestCount = v;
      }
    }
    labels[i] = -1;
    if (total <= 0) excluded.noVotes++;
    else if (!(bestCount * 2 > total)) excluded.noMajority++;
    else if (best === LABEL_UNKNOWN) excluded.unknown++;
    else if (best === LABEL_NOT_FACE) excluded.notFace++;
    else if (best >= NUM_CLASSES) excluded.otherNonClass++;
    else {
      labels[i] = best;
      kept++;
    }
  }
  return { labels, kept, excluded };
}
