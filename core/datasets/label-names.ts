/**
 * Maps the class names that datasets use (FER+'s "happiness", FER2013's "Angry", a team's
 * "Surprised" folder) onto the project's label codes by NAME, never by position: every
 * dataset orders its classes differently, and a positional mix-up silently corrupts every
 * label. Also holds the datasets' own orders and the FER+ majority rule.
 */
import { LABEL_NONE, LABEL_NOT_FACE, LABEL_UNCERTAIN, LABEL_UNKNOWN, NUM_LABEL_CODES } from '../../api/domain.ts';
import type { LabelCode } from '../../api/domain.ts';
import { ferplusMajorityOf } from '../metrics/ferplus-protocol.ts';

const SYNONYMS: Record<string, LabelCode> = {
  neutral: 0, neutrality: 0, calm: 0,
  happy: 1, happiness: 1, joy: 1, happily: 1,
  sad: 2, sadness: 2, sadly: 2,
  surprise: 3, surprised: 3, surprising: 3,
  fear: 4, fearful: 4, afraid: 4, scared: 4,
  disgust: 5, disgusted: 5,
  anger: 6, angry: 6,
  contempt: 7, contemptuous: 7,
  none: LABEL_NONE,
  uncertain: LABEL_UNCERTAIN,
  nonface: LABEL_NOT_FACE, notaface: LABEL_NOT_FACE, notface: LABEL_NOT_FACE, nf: LABEL_NOT_FACE,
  unknown: LABEL_UNKNOWN,
};

/**
 * The label code of a class or non-class name, case-insensitive, ignoring spaces, dashes and
 * underscores ("Not-a-face", "non_face", "NF"); null for anything else (numbers included:
 * a bare "3" means different classes in different datasets).
 */
export function labelCodeFromName(name: string): LabelCode | null {
  const key = name.trim().toLowerCase().replace(/[\s_-]+/g, '');
  return Object.hasOwn(SYNONYMS, key) ? SYNONYMS[key] : null;
}

function codesOf(names: readonly string[]): LabelCode[] {
  return names.map((n) => {
    const c = labelCodeFromName(n);
    if (c === null) throw new Error(`no label code for "${n}"`);
    return c;
  });
}

/** FER2013's emotion column: index = FER2013 code, value = our label code. */
export const FER2013_EMOTION_NAMES = ['angry', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral'] as const;
export const FER2013_TO_LABEL: readonly LabelCode[] = codesOf(FER2013_EMOTION_NAMES);

/** FER+'s 10 vote columns, in FER+ order. */
export const FERPLUS_VOTE_NAMES = ['neutral', 'happiness', 'surprise', 'sadness', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'NF'] as const;
export const FERPLUS_TO_LABEL: readonly LabelCode[] = codesOf(FERPLUS_VOTE_NAMES);

/** Reorder FER+-ordered vote counts into a vector of length NUM_LABEL_CODES indexed by label code. */
export function votesFromFerPlusOrder(counts: readonly number[]): number[] {
  if (counts.length !== FERPLUS_TO_LABEL.length) throw new Error(`expected ${FERPLUS_TO_LABEL.length} FER+ votes, got ${counts.length}`);
  const votes = new Array<number>(NUM_LABEL_CODES).fill(0);
  counts.forEach((c, i) => (votes[FERPLUS_TO_LABEL[i]] += c));
  return votes;
}

/**
 * FER+'s majority rule: the class (0..7) holding strictly more than half of all votes
 * (unknown and NF votes count in the total), else null. When unknown or NF win, or no class
 * has a majority, the face has no usable label and FER+'s protocol leaves it out of accuracy.
 */
export function ferPlusMajority(votes: readonly number[]): LabelCode | null {
  if (votes.length !== NUM_LABEL_CODES) throw new Error(`ferPlusMajority: expected ${NUM_LABEL_CODES} counts, got ${votes.length}`);
  const m = ferplusMajorityOf(votes);
  return m.label >= 0 ? m.label : null;
}

/** The class (0..7) with the most labels when it is the unique maximum; ties and no class labels -> null. */
export function pluralityClass(labels: readonly LabelCode[]): LabelCode | null {
  const counts = new Array<number>(8).fill(0);
  for (const l of labels) if (Number.isInteger(l) && l >= 0 && l < 8) counts[l]++;
  let best = -1;
  let bestCount = 0;
  let tie = false;
  counts.forEach((n, c) => {
    if (n > bestCount) {
      best = c;
      bestCount = n;
      tie = false;
    } else if (n === bestCount && n > 0) tie = true;
  });
  return best < 0 || tie ? null : best;
}
