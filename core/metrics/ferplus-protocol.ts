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

/** Why a face has no FER+ majority class, or null when it has one. */
export type MajorityExclusion = 'no votes' | 'no majority' | 'unknown' | 'not a face' | 'non-class majority';

/**
 * The FER+ majority of ONE votes row (12 counts by LabelCode, read from `offset`): the class
 * 0..7 holding more than half of all votes, or -1 and the reason. The one implementation of
 * the rule: the importers' given label, the evaluation protocol and the training targets all
 * call it.
 */
export function ferplusMajorityOf(votes: ArrayLike<number>, offset = 0, opts: { dropSingleVotes?: boolean } = {}): { label: number; exclusion: MajorityExclusion | null } {
  const drop = opts.dropSingleVotes === true;
  let total = 0;
  let best = -1;
  let bestCount = 0;
  for (let c = 0; c < NUM_LABEL_CODES; c++) {
    let v = votes[offset + c];
    if (drop && v <= 1) v = 0;
    total += v;
    if (v > bestCount) {
      best = c;
      bestCount = v;
    }
  }
  if (total <= 0) return { label: -1, exclusion: 'no votes' };
  if (!(bestCount * 2 > total)) return { label: -1, exclusion: 'no majority' };
  if (best === LABEL_UNKNOWN) return { label: -1, exclusion: 'unknown' };
  if (best === LABEL_NOT_FACE) return { label: -1, exclusion: 'not a face' };
  if (best >= NUM_CLASSES) return { label: -1, exclusion: 'non-class majority' };
  return { label: best, exclusion: null };
}

const EXCLUDED_KEY = { 'no votes': 'noVotes', 'no majority': 'noMajority', unknown: 'unknown', 'not a face': 'notFace', 'non-class majority': 'otherNonClass' } as const;

export function ferplusMajorityLabels(votes: ArrayLike<number>, opts: { dropSingleVotes?: boolean } = {}): FerplusMajorityResult {
  if (votes.length % NUM_LABEL_CODES !== 0) throw new Error(`ferplusMajorityLabels: length ${votes.length} is not a multiple of ${NUM_LABEL_CODES}`);
  const n = votes.length / NUM_LABEL_CODES;
  const labels = new Int32Array(n);
  const excluded = { noVotes: 0, noMajority: 0, unknown: 0, notFace: 0, otherNonClass: 0 };
  let kept = 0;
  for (let i = 0; i < n; i++) {
    const m = ferplusMajorityOf(votes, i * NUM_LABEL_CODES, opts);
    labels[i] = m.label;
    if (m.exclusion) excluded[EXCLUDED_KEY[m.exclusion]]++;
    else kept++;
  }
  return { labels, kept, excluded };
}
