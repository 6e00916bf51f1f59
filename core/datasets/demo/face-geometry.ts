/**
 * Turns a face's appearance and expression into the concrete shapes the renderer draws:
 * brow, wrinkle and fold strokes, eye and mouth measurements, all in head units (origin at the
 * head centre, y down). This is where "brows lowered in a V" or "upper lip raised" become
 * numbers; the renderer only rasterises them.
 */
import type { FaceAppearance } from './appearance.ts';
import type { ExpressionParams } from './expressions.ts';
import { bezierStroke, type Stroke } from './raster.ts';

export interface EyeShape {
  cx: number;
  cy: number;
  /** Half-width. */
  w: number;
  /** Upper lid height above the corner line, and lower lid depth below it. */
  up: number;
  lo: number;
  droop: number;
  irisR: number;
  irisX: number;
  irisY: number;
  /** Strength of the lid crease (fades as the lid retracts) and of the raised lower lid's bag. */
  crease: number;
  bag: number;
}

export interface MouthShape {
  cy: number;
  halfW: number;
  /** Half-width on the smirking side. */
  halfWSmirk: number;
  side: number;
  /** Corner rise (y up is positive), both corners and the smirk corner only. */
  lift: number;
  smirkLift: number;
  gapU: number;
  gapD: number;
  /** 0 rounded .. 1 squared upper opening (raised upper lip). */
  square: number;
  lipU: number;
  lipL: number;
  teethU: number;
  teethL: number;
  /** Corner shadow (dimple) strength, image-left and image-right. */
  cornerShade: [number, number];
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** A darkening stroke: `alpha` at its core, softened over `soft` head units. */
export interface Line {
  stroke: Stroke;
  alpha: number;
  soft: number;
}

/** A soft shading blob: multiplies the skin by (1 - k * blob); k < 0 brightens. */
export interface ShadeBlob {
  cx: number;
  cy: number;
  sx: number;
  sy: number;
  k: number;
}

export interface FaceGeometry {
  headW: number;
  headTop: number;
  headBottom: number;
  chinTaper: number;
  lightX: number;
  lightY: number;
  lightZ: number;
  eyes: [EyeShape, EyeShape];
  brows: [Stroke, Stroke];
  lines: Line[];
  blobs: ShadeBlob[];
  noseTipY: number;
  nostrilX: number;
  nostrilY: number;
  nostrilRx: number;
  nostrilRy: number;
  mouth: MouthShape;
}

export function computeFaceGeometry(a: FaceAppearance, e: ExpressionParams): FaceGeometry {
  const headBottom = a.headH * (1 + 0.07 * e.jawDrop);
  const ln = Math.hypot(a.lightX, a.lightY, 0.9);

  const eyes = ([-1, 1] as const).map((s): EyeShape => ({
    cx: s * a.eyeSpacing,
    cy: a.eyeY - 0.012 * e.browRaise,
    w: a.eyeW * (1 + 0.05 * (e.eyeOpen - 1)),
    up: 0.058 * e.eyeOpen * (a.eyeW / 0.135),
    lo: 0.036 * (1 - 0.6 * Math.min(1, e.lowerLid)) + 0.006,
    droop: 0.03 * e.lidDroop,
    irisR: 0.05 * (a.eyeW / 0.135),
    irisX: s * 0.0 + a.gazeX,
    irisY: 0.004,
    crease: 0.25 * Math.max(0, Math.min(1, 1.45 - e.eyeOpen)),
    bag: 0.12 + 0.25 * Math.min(1, e.lowerLid),
  })) as [EyeShape, EyeShape];

  const brows = ([-1, 1] as const).map((s) => {
    const inX = s * (a.eyeSpacing - a.eyeW * 1.25 + 0.04 - 0.035 * e.browTogether);
    const outX = s * (a.eyeSpacing + a.eyeW * 1.35);
    const inY = a.browY - 0.085 * e.browRaise - 0.08 * e.browInner + 0.02 * e.browTogether * Math.max(0, -e.browInner);
    const outY = a.browY + 0.03 - 0.06 * e.browRaise + 0.025 * Math.max(0, e.browInner);
    const arch = 0.045 + 0.03 * Math.max(0, e.browRaise) - 0.03 * Math.min(1, Math.abs(e.browInner));
    // A sad brow rises steeply at its inner end: move the control point inward.
    const ctrlX = s * (Math.abs(inX) + (Math.abs(outX) - Math.abs(inX)) * (0.5 - 0.15 * Math.max(0, e.browInner)));
    const ctrlY = Math.min(inY, outY) - arch;
    const t = a.browThick;
    return bezierStroke(inX, inY, ctrlX, ctrlY, outX, outY, t * 0.55, t * 0.55, t * 0.2, 10);
  }) as [Stroke, Stroke];

  const noseTipY = a.eyeY + a.noseLen;
  const nw = e.noseWrinkle;
  const lines: Line[] = [];
  const addLine = (alpha: number, soft: number, ...args: Parameters<typeof bezierStroke>): void => {
    if (alpha > 0.01) lines.push({ stroke: bezierStroke(...args), alpha: Math.min(alpha, 0.85), soft });
  };

  // Mouth first: the nasolabial folds end beside its corners.
  const m = e;
  const halfW = a.mouthW * m.mouthWidth;
  const mouthCy = a.mouthY + 0.035 * m.jawDrop;
  const gap = 0.085 * m.mouthOpen + 0.035 * m.jawDrop;
  const lipScale = 1 - 0.6 * Math.min(1, m.lipPress);
  const lipU = a.lipThick * lipScale * (1 - 0.3 * Math.max(0, Math.min(1, m.mouthCurve))) * (1 - 0.3 * Math.min(1, m.upperLipRaise));
  const lipL = a.lipThick * 1.3 * lipScale * (1 + 0.5 * m.lipPout);
  const gapU = gap * (m.teeth > 0.3 ? 0.3 : 0.45) + 0.045 * m.upperLipRaise;
  const gapD = gap * (m.teeth > 0.3 ? 0.7 : 0.55) + 0.008 * m.upperLipRaise;
  const lift = 0.085 * m.mouthCurve;
  const smirkLift = 0.1 * m.mouthAsym;
  const halfWSmirk = halfW * (1 + 0.15 * m.mouthAsym);
  const teethBand = Math.min(1, m.teeth);
  const mouth: MouthShape = {
    cy: mouthCy, halfW, halfWSmirk, side: a.smirkSide, lift, smirkLift, gapU, gapD,
    square: Math.min(1, m.upperLipRaise), lipU, lipL,
    teethU: teethBand * Math.min(0.05, 0.6 * (gapU + gapD)),
    cornerShade: [-1, 1].map((s) => 0.15 + 0.25 * e.cheekRaise + (s === a.smirkSide ? 0.45 * m.mouthAsym : 0)) as [number, number],
    teethL: teethBand * Math.max(0, Math.min(1, (m.mouthWidth - 1.05) * 6)) * 0.25 * (gapU + gapD),
    minX: -Math.max(halfW, halfWSmirk) - 0.03,
    maxX: Math.max(halfW, halfWSmirk) + 0.03,
    minY: mouthCy - Math.max(0, lift + smirkLift) - gapU - lipU - 0.03,
    maxY: mouthCy + Math.max(0, -lift) + gapD + lipL + 0.03,
  };

  for (const s of [-1, 1]) {
    const cornerX = s * ((s === a.smirkSide ? halfWSmirk : halfW) + 0.04);
    const cornerRise = lift + (s === a.smirkSide ? smirkLift : 0);
    // Nasolabial fold: from beside the nose wing, around the mouth corner.
    addLine(0.05 + 0.45 * e.cheekRaise + 0.3 * nw + 0.08 * Math.max(0, -e.mouthCurve) + (s === a.smirkSide ? 0.25 * e.mouthAsym : 0), 0.025,
      s * a.noseW * 1.45, noseTipY - 0.03 - 0.02 * nw,
      s * (Math.abs(cornerX) + 0.05), mouthCy - 0.1 - 0.4 * cornerRise,
      cornerX, mouthCy + 0.03 - 0.5 * cornerRise, 0.006, 0.009, 0.003, 8);
    // Nose wing: a curve around each nostril, pulled up by a wrinkled nose.
    addLine(0.45, 0.012,
      s * a.noseW * 0.45, noseTipY - 0.05 - 0.02 * nw,
      s * a.noseW * 1.5, noseTipY - 0.035 - 0.025 * nw,
      s * a.noseW * 0.8, noseTipY + 0.035 - 0.025 * nw, 0.003, 0.007, 0.003, 8);
    // Soft line of the nose's side, on both sides; the shading blob adds the lit/unlit asymmetry.
    addLine(0.12, 0.03,
      s * 0.05, a.eyeY + 0.06, s * a.noseW * 0.85, (a.eyeY + noseTipY) / 2 + 0.02, s * a.noseW * 0.9, noseTipY - 0.06, 0.002, 0.008, 0.008, 6);
    // Horizontal forehead lines of raised brows.
    // Vertical lines between lowered, knitted brows.
    addLine(0.5 * e.frownLines, 0.012,
      s * 0.028, a.browY - 0.005, s * 0.02, a.browY - 0.07, s * 0.04, a.browY - 0.14, 0.003, 0.007, 0.002, 6);
    // Crow's feet of a real smile.
    addLine(0.3 * e.cheekRaise, 0.012,
      s * (a.eyeSpacing + a.eyeW + 0.03), a.eyeY - 0.01, s * (a.eyeSpacing + a.eyeW + 0.07), a.eyeY + 0.01,
      s * (a.eyeSpacing + a.eyeW + 0.09), a.eyeY + 0.04, 0.002, 0.005, 0.001, 5);
    // Bunny lines of a wrinkled nose, from the bridge toward the inner eye corners.
    addLine(0.3 * nw, 0.014,
      s * 0.06, a.eyeY + 0.1, s * 0.08, a.eyeY + 0.06, s * 0.12, a.eyeY + 0.04, 0.002, 0.006, 0.002, 5);
  }
  for (let k = 0; k < 3; k++) {
    const y = a.browY - 0.14 - 0.065 * k - 0.05 * e.browRaise;
    const x = 0.3 - 0.04 * k;
    addLine(0.35 * e.foreheadLines * (1 - 0.15 * k), 0.015, -x, y + 0.02, 0, y - 0.03, x, y + 0.02, 0.003, 0.007, 0.003, 10);
  }
  for (let k = 0; k < 2; k++) {
    const y = a.eyeY + 0.04 + 0.035 * k;
    addLine(0.32 * nw, 0.012, -0.05, y + 0.01, 0, y - 0.012, 0.055, y + 0.01, 0.002, 0.006, 0.002, 6);
  }

  const lx = a.lightX / ln;
  const blobs: ShadeBlob[] = [
    // Eye sockets, deeper under lowered brows.
    ...eyes.map((E) => ({ cx: E.cx, cy: E.cy - 0.035, sx: 0.16, sy: 0.08, k: 0.14 + 0.12 * Math.max(0, -e.browRaise) })),
    // Apples of the cheeks lifted by a smile, with a shadow beneath.
    ...[-1, 1].map((s) => ({ cx: s * 0.33, cy: a.eyeY + 0.26 - 0.05 * e.cheekRaise, sx: 0.12, sy: 0.08, k: -0.12 * e.cheekRaise })),
    ...[-1, 1].map((s) => ({ cx: s * 0.36, cy: a.eyeY + 0.42, sx: 0.13, sy: 0.06, k: 0.1 * e.cheekRaise })),
    // Shadow under the nose, highlight on its tip, shade on the side away from the light.
    { cx: 0, cy: noseTipY + 0.05, sx: 0.08, sy: 0.028, k: 0.28 },
    { cx: 0.02 * lx, cy: noseTipY - 0.035, sx: 0.035, sy: 0.03, k: -0.1 },
    { cx: (lx > 0 ? -1 : 1) * a.noseW * 0.75, cy: (a.eyeY + noseTipY) / 2 + 0.02, sx: 0.028, sy: 0.12, k: 0.08 + 0.12 * Math.abs(lx) },
    // Shadow under the lower lip.
    { cx: 0, cy: mouthCy + gapD + lipL + 0.045, sx: 0.09, sy: 0.025, k: 0.12 },
    // Chin highlight.
    { cx: 0, cy: headBottom - 0.16, sx: 0.12, sy: 0.06, k: -0.05 },
  ];

  return {
    headW: a.headW,
    headTop: a.headH,
    headBottom,
    chinTaper: a.chinTaper,
    lightX: a.lightX / ln,
    lightY: a.lightY / ln,
    lightZ: 0.9 / ln,
    eyes,
    brows,
    lines,
    blobs,
    noseTipY,
    nostrilX: a.noseW * 0.55 * (1 + 0.2 * nw),
    nostrilY: noseTipY + 0.02 - 0.025 * nw,
    nostrilRx: 0.022 + 0.008 * nw,
    nostrilRy: 0.011,
    mouth,
  };
}
