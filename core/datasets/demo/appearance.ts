/**
 * Who the demo face is and how it was photographed: head shape, feature placement and sizes,
 * skin and hair tones, hair style, pose (shift, scale, roll), lighting and sensor noise. All
 * lengths are in head units (the face oval's half-height is about 1), so a face renders the
 * same at 48 or 128 pixels. Drawn independently of the expression, so class must be read from
 * the expression, not from identity.
 */
import type { Rng } from '../../util/rng.ts';

export interface FaceAppearance {
  /** Head centre offset from the image centre, in head units. */
  shiftX: number;
  shiftY: number;
  /** Zoom factor around 1. */
  zoom: number;
  /** In-plane head roll, radians. */
  roll: number;
  headW: number;
  headH: number;
  /** How much the oval narrows toward the chin, 0..0.3. */
  chinTaper: number;
  eyeSpacing: number;
  eyeY: number;
  eyeW: number;
  irisTone: number;
  /** Gaze offset of the irises, head units. */
  gazeX: number;
  browY: number;
  browThick: number;
  browTone: number;
  noseLen: number;
  noseW: number;
  mouthY: number;
  mouthW: number;
  lipThick: number;
  lipTone: number;
  skinTone: number;
  hairTone: number;
  /** 0 short, 1 long, 2 very short/shaved. */
  hairStyle: number;
  /** Hairline height (negative is up). */
  hairline: number;
  /** Parting side offset of the fringe, -1..1. */
  hairPart: number;
  clothTone: number;
  backgroundTone: number;
  backgroundGradient: number;
  backgroundAngle: number;
  /** Light direction in the image plane (x right, y down); z is toward the viewer. */
  lightX: number;
  lightY: number;
  ambient: number;
  /** Pixel noise standard deviation, in 0..1 grey units. */
  noise: number;
  /** Which mouth corner a smirk lifts: -1 the image's left, +1 its right. */
  smirkSide: number;
}

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : v > hi ? hi : v);
const gauss = (rng: Rng, mean: number, sd: number, lo: number, hi: number): number => clamp(mean + sd * rng.normal(), lo, hi);
const uniform = (rng: Rng, lo: number, hi: number): number => lo + (hi - lo) * rng.next();

export function sampleAppearance(rng: Rng): FaceAppearance {
  const skinTone = uniform(rng, 0.3, 0.82);
  const hairTone = rng.next() < 0.8 ? uniform(rng, 0.05, 0.3) : uniform(rng, 0.45, 0.75);
  return {
    shiftX: gauss(rng, 0, 0.03, -0.08, 0.08),
    shiftY: gauss(rng, 0, 0.03, -0.08, 0.08),
    zoom: gauss(rng, 1, 0.04, 0.9, 1.1),
    roll: gauss(rng, 0, 0.05, -0.14, 0.14),
    headW: gauss(rng, 0.74, 0.035, 0.66, 0.84),
    headH: gauss(rng, 0.98, 0.03, 0.9, 1.06),
    chinTaper: uniform(rng, 0.18, 0.34),
    eyeSpacing: gauss(rng, 0.31, 0.015, 0.27, 0.35),
    eyeY: gauss(rng, -0.1, 0.025, -0.16, -0.04),
    eyeW: gauss(rng, 0.14, 0.01, 0.115, 0.165),
    irisTone: uniform(rng, 0.08, 0.4),
    gazeX: gauss(rng, 0, 0.012, -0.03, 0.03),
    browY: gauss(rng, -0.3, 0.02, -0.35, -0.25),
    browThick: gauss(rng, 0.05, 0.008, 0.034, 0.066),
    browTone: Math.min(hairTone + 0.05, skinTone * 0.55),
    noseLen: gauss(rng, 0.27, 0.02, 0.22, 0.32),
    noseW: gauss(rng, 0.085, 0.008, 0.07, 0.105),
    mouthY: gauss(rng, 0.5, 0.025, 0.44, 0.56),
    mouthW: gauss(rng, 0.25, 0.015, 0.21, 0.29),
    lipThick: gauss(rng, 0.045, 0.007, 0.032, 0.06),
    lipTone: skinTone * uniform(rng, 0.62, 0.78),
    skinTone,
    hairTone,
    hairStyle: rng.int(3),
    hairline: gauss(rng, -0.6, 0.05, -0.72, -0.5),
    hairPart: uniform(rng, -1, 1),
    clothTone: uniform(rng, 0.1, 0.9),
    backgroundTone: uniform(rng, 0.15, 0.9),
    backgroundGradient: uniform(rng, 0, 0.25),
    backgroundAngle: uniform(rng, 0, 2 * Math.PI),
    lightX: gauss(rng, 0, 0.45, -0.8, 0.8),
    lightY: gauss(rng, -0.3, 0.25, -0.8, 0.3),
    ambient: uniform(rng, 0.35, 0.55),
    noise: uniform(rng, 0.004, 0.022),
    smirkSide: rng.next() < 0.5 ? -1 : 1,
  };
}
