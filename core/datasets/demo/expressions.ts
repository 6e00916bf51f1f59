/**
 * Facial expressions of the demo faces as a small vector of muscle-like parameters (brow
 * height and angle, eye openness, mouth curvature/openness/asymmetry, nose wrinkle, ...),
 * loosely after FACS action units. Each of the 8 classes has a prototype; a face's expression
 * is its class prototype scaled by an intensity and jittered per face, or a linear blend of two
 * prototypes (the planted ambiguity). Blends are biased toward the pairs people really confuse.
 */
import { NUM_CLASSES, type ClassId } from '../../../api/domain.ts';
import type { Rng } from '../../util/rng.ts';

export interface ExpressionParams {
  /** Whole brow up (+) or down (-), about -1..1. */
  browRaise: number;
  /** Inner brow ends up (+, sad/fear) or down (-, anger's V), about -1..1. */
  browInner: number;
  /** Brows pulled toward each other (corrugator), 0..1. */
  browTogether: number;
  /** Upper lid opening: 1 relaxed, <1 narrowed, >1 wide (sclera shows above the iris). */
  eyeOpen: number;
  /** Lower lid raised (squint of a real smile, anger, disgust), 0..1. */
  lowerLid: number;
  /** Outer upper lid drooping (sadness), 0..1. */
  lidDroop: number;
  /** Cheeks pushed up (smile), 0..1. */
  cheekRaise: number;
  /** Wrinkled nose bridge, raised nostrils (disgust), 0..1. */
  noseWrinkle: number;
  /** Upper lip raised, squaring the mouth opening (disgust), 0..1. */
  upperLipRaise: number;
  /** Mouth corners up (+, smile) or down (-, frown), about -1..1. */
  mouthCurve: number;
  /** Lips parted, 0 closed .. 1 wide open. */
  mouthOpen: number;
  /** Mouth width factor: 1 relaxed, >1 stretched, <1 rounded (an O). */
  mouthWidth: number;
  /** One corner raised and tucked (contempt's smirk), 0..1; the side is the face's own. */
  mouthAsym: number;
  /** Lips pressed thin (anger), 0..1. */
  lipPress: number;
  /** Lower lip pushed out (pout of sadness), 0..1. */
  lipPout: number;
  /** Teeth visible inside an open mouth, 0..1. */
  teeth: number;
  /** Jaw dropped, lengthening the face (surprise), 0..1. */
  jawDrop: number;
  /** Horizontal forehead lines (raised brows), 0..1. */
  foreheadLines: number;
  /** Vertical lines between the brows (anger), 0..1. */
  frownLines: number;
}

export type ExpressionKey = keyof ExpressionParams;

export const NEUTRAL_EXPRESSION: Readonly<ExpressionParams> = Object.freeze({
  browRaise: 0, browInner: 0, browTogether: 0, eyeOpen: 1, lowerLid: 0, lidDroop: 0, cheekRaise: 0,
  noseWrinkle: 0, upperLipRaise: 0, mouthCurve: 0, mouthOpen: 0, mouthWidth: 1, mouthAsym: 0,
  lipPress: 0, lipPout: 0, teeth: 0, jawDrop: 0, foreheadLines: 0, frownLines: 0,
});

export const EXPRESSION_KEYS = Object.keys(NEUTRAL_EXPRESSION) as ExpressionKey[];

/** Prototypes in api/domain.ts class order; unlisted parameters are neutral. */
export const EXPRESSION_PROTOTYPES: readonly Readonly<ExpressionParams>[] = [
  // neutral
  {},
  // happy: Duchenne smile, cheeks up, lower lids up, open smile with upper teeth
  { browRaise: 0.1, eyeOpen: 0.78, lowerLid: 0.75, cheekRaise: 1, mouthCurve: 1, mouthOpen: 0.45, mouthWidth: 1.28, teeth: 0.9 },
  // sad: inner brows up, drooping lids, corners down, pouting lower lip
  { browInner: 1, browTogether: 0.3, eyeOpen: 0.72, lidDroop: 0.8, mouthCurve: -0.9, mouthWidth: 0.95, lipPout: 0.7, lipPress: 0.2 },
  // surprise: brows high, eyes wide, jaw dropped into an O
  { browRaise: 1, eyeOpen: 1.6, mouthOpen: 1, mouthWidth: 0.6, jawDrop: 1, foreheadLines: 1 },
  // fear: brows up and pulled together, eyes wide, lips stretched sideways, teeth showing
  { browRaise: 0.65, browInner: 0.7, browTogether: 0.7, eyeOpen: 1.55, mouthCurve: -0.35, mouthOpen: 0.45, mouthWidth: 1.22, teeth: 0.6, jawDrop: 0.3, foreheadLines: 0.8 },
  // disgust: nose wrinkled, upper lip raised, lowered brows, narrowed eyes
  { browRaise: -0.45, browInner: -0.35, browTogether: 0.4, eyeOpen: 0.7, lowerLid: 0.75, noseWrinkle: 1, upperLipRaise: 1, mouthCurve: -0.45, mouthOpen: 0.22, mouthWidth: 1.05, teeth: 0.5, frownLines: 0.4 },
  // anger: brows down in a V, glaring eyes, lips pressed thin
  { browRaise: -0.55, browInner: -1, browTogether: 1, eyeOpen: 1.1, lowerLid: 0.55, mouthCurve: -0.25, mouthWidth: 0.86, lipPress: 1, frownLines: 1 },
  // contempt: one-sided smirk, slightly narrowed eyes
  { eyeOpen: 0.88, lowerLid: 0.2, mouthCurve: 0.05, mouthAsym: 1, lipPress: 0.35 },
].map((p) => Object.freeze({ ...NEUTRAL_EXPRESSION, ...p }));

/**
 * Pairs people confuse (and annotators disagree on), with the weight of each direction when a
 * blend partner is drawn for a face of the first class.
 */
export const CONFUSION_PARTNERS: readonly (readonly [ClassId, number][])[] = [
  /* neutral  */ [[2, 0.5], [7, 0.5]],
  /* happy    */ [[7, 1]],
  /* sad      */ [[0, 0.8], [4, 0.2]],
  /* surprise */ [[4, 0.85], [1, 0.15]],
  /* fear     */ [[3, 0.8], [2, 0.2]],
  /* disgust  */ [[6, 0.85], [2, 0.15]],
  /* anger    */ [[5, 0.85], [2, 0.15]],
  /* contempt */ [[1, 0.5], [0, 0.5]],
];

/** Draws a blend partner for a face of `cls`: a confusion partner with probability `pairBias`, else any other class. */
export function drawBlendPartner(cls: ClassId, rng: Rng, pairBias = 0.85): ClassId {
  if (rng.next() < pairBias) {
    let u = rng.next();
    for (const [other, w] of CONFUSION_PARTNERS[cls]) {
      if ((u -= w) < 0) return other;
    }
    return CONFUSION_PARTNERS[cls][0][0];
  }
  const k = rng.int(NUM_CLASSES - 1);
  return k >= cls ? k + 1 : k;
}

/** (1 - w) * a + w * b, parameter by parameter. */
export function blendExpressions(a: Readonly<ExpressionParams>, b: Readonly<ExpressionParams>, w: number): ExpressionParams {
  const out = { ...a };
  for (const k of EXPRESSION_KEYS) out[k] = (1 - w) * a[k] + w * b[k];
  return out;
}

/** How much each parameter wanders from face to face (standard deviation). */
const JITTER: Readonly<ExpressionParams> = {
  browRaise: 0.12, browInner: 0.12, browTogether: 0.1, eyeOpen: 0.08, lowerLid: 0.08, lidDroop: 0.08,
  cheekRaise: 0.08, noseWrinkle: 0.08, upperLipRaise: 0.08, mouthCurve: 0.1, mouthOpen: 0.06,
  mouthWidth: 0.04, mouthAsym: 0.08, lipPress: 0.08, lipPout: 0.08, teeth: 0.08, jawDrop: 0.06,
  foreheadLines: 0.1, frownLines: 0.1,
};

/** Parameters that are amounts and cannot go negative. */
const NON_NEGATIVE: readonly ExpressionKey[] = [
  'browTogether', 'lowerLid', 'lidDroop', 'cheekRaise', 'noseWrinkle', 'upperLipRaise', 'mouthOpen',
  'mouthAsym', 'lipPress', 'lipPout', 'teeth', 'jawDrop', 'foreheadLines', 'frownLines',
];

/**
 * One face's rendition of an expression: its departure from neutral scaled by `intensity`
 * (people smile more or less), then every parameter jittered a little.
 */
export function varyExpression(e: Readonly<ExpressionParams>, intensity: number, rng: Rng): ExpressionParams {
  const out = { ...e };
  for (const k of EXPRESSION_KEYS) {
    const n = NEUTRAL_EXPRESSION[k];
    let v = n + (e[k] - n) * intensity + JITTER[k] * rng.normal();
    if (NON_NEGATIVE.includes(k)) v = Math.max(0, v);
    out[k] = v;
  }
  out.eyeOpen = Math.max(0.35, out.eyeOpen);
  out.mouthWidth = Math.max(0.5, out.mouthWidth);
  return out;
}
