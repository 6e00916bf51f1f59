/**
 * Paints the facial features onto the face layer of a FaceCanvas, each only over its own
 * bounding box: shading blobs, wrinkle and fold lines, brows, eyes, nostrils, mouth, and the
 * fringe over the forehead. Distances are in head units; coverage turns them into
 * anti-aliased edges at any image size.
 */
import type { FaceAppearance } from './appearance.ts';
import type { FaceCanvas } from './face-canvas.ts';
import type { EyeShape, FaceGeometry, MouthShape } from './face-geometry.ts';
import { blob, clamp01, coverage, mix, sdEllipse, sdStroke } from './raster.ts';
import { hairTone, hairlineAt } from './hair.ts';

/** Half-thickness of a closed mouth's dark line, head units. */
const LIP_LINE = 0.011;

export function paintFeatures(cv: FaceCanvas, g: FaceGeometry, a: FaceAppearance): void {
  const size = cv.size, pw = cv.pw, U = cv.u, V = cv.v, F = cv.face;
  for (const B of g.blobs) {
    if (B.k === 0) continue;
    cv.box(B.cx - 3 * B.sx, B.cy - 3 * B.sy, B.cx + 3 * B.sx, B.cy + 3 * B.sy);
    for (let y = cv.y0; y <= cv.y1; y++) for (let x = cv.x0; x <= cv.x1; x++) {
      const i = y * size + x;
      F[i] *= 1 - B.k * blob(U[i], V[i], B.cx, B.cy, B.sx, B.sy);
    }
  }
  for (const L of g.lines) {
    const m = L.soft + pw, soft = Math.max(pw, L.soft), s = L.stroke;
    cv.box(s.minX - m, s.minY - m, s.maxX + m, s.maxY + m);
    for (let y = cv.y0; y <= cv.y1; y++) for (let x = cv.x0; x <= cv.x1; x++) {
      const i = y * size + x;
      const d = sdStroke(s, U[i], V[i], m);
      if (d < m) F[i] *= 1 - L.alpha * coverage(d, soft);
    }
  }
  for (const s of g.brows) {
    cv.box(s.minX - pw, s.minY - pw, s.maxX + pw, s.maxY + pw);
    for (let y = cv.y0; y <= cv.y1; y++) for (let x = cv.x0; x <= cv.x1; x++) {
      const i = y * size + x;
      const d = sdStroke(s, U[i], V[i], pw);
      if (d < pw) F[i] = mix(F[i], a.browTone * (0.7 + 0.3 * cv.lit[i]), 0.92 * coverage(d, pw));
    }
  }
  paintEye(cv, g.eyes[0], -1, a.irisTone);
  paintEye(cv, g.eyes[1], 1, a.irisTone);
  for (let s = -1; s <= 1; s += 2) {
    const cx = s * g.nostrilX, cy = g.nostrilY, rx = g.nostrilRx, ry = g.nostrilRy;
    cv.box(cx - rx - 0.02, cy - ry - 0.02, cx + rx + 0.02, cy + ry + 0.02);
    for (let y = cv.y0; y <= cv.y1; y++) for (let x = cv.x0; x <= cv.x1; x++) {
      const i = y * size + x;
      const d = sdEllipse(U[i] - cx, V[i] - cy, rx, ry);
      if (d < 0.02) F[i] = mix(F[i], a.skinTone * 0.3 * cv.lit[i], 0.85 * coverage(d, Math.max(pw, 0.01)));
    }
  }
  paintMouth(cv, g.mouth, a);
  // Fringe: hair over the top of the forehead, softened at the hairline.
  const hairMax = a.hairline + 0.55 + 0.04;
  cv.box(-g.headW - 0.05, -g.headTop - 0.05, g.headW + 0.05, hairMax);
  const strength = a.hairStyle === 2 ? 0.55 : 1;
  const soft = Math.max(pw, 0.04);
  for (let y = cv.y0; y <= cv.y1; y++) for (let x = cv.x0; x <= cv.x1; x++) {
    const i = y * size + x;
    const u = U[i];
    const dh = V[i] - hairlineAt(a, g, u);
    if (dh < 0.04) F[i] = mix(F[i], hairTone(a, g, u, V[i]), strength * coverage(dh, soft));
  }
}

function paintEye(cv: FaceCanvas, E: EyeShape, s: number, irisTone: number): void {
  const size = cv.size, pw = cv.pw, F = cv.face;
  cv.box(E.cx - E.w - 0.07, E.cy - E.up - 0.09, E.cx + E.w + 0.07, E.cy + E.lo + 0.08);
  for (let py = cv.y0; py <= cv.y1; py++) for (let px = cv.x0; px <= cv.x1; px++) {
    const i = py * size + px;
    const u = cv.u[i], lit = cv.lit[i];
    const x = (u - E.cx) * s;
    const y = cv.v[i] - E.cy;
    const t = x / E.w;
    const q = Math.max(0, 1 - t * t);
    const upper = -E.up * q * (1 - 0.15 * t) - 0.012 * t + E.droop * Math.max(0, t) * q * 2;
    const lower = E.lo * q * (1 + 0.15 * t) - 0.012 * t;
    const dEye = Math.max(upper - y, y - lower, Math.abs(x) - E.w);
    let f = F[i];
    if (Math.abs(t) < 0.85) {
      const dc = Math.abs(y - (upper - 0.028 - 0.25 * E.up)) - 0.004;
      f *= 1 - E.crease * coverage(dc, Math.max(pw, 0.015));
    }
    if (Math.abs(t) < 0.9) {
      const dg = Math.abs(y - (lower + 0.03)) - 0.003;
      f *= 1 - E.bag * q * coverage(dg, Math.max(pw, 0.015));
    }
    if (dEye < pw) {
      const ce = coverage(dEye, pw);
      const sclera = 0.8 * (0.72 + 0.28 * lit) * (1 - 0.12 * t * t);
      f = mix(f, sclera, ce);
      const ix = u - E.cx - E.irisX, iy = y - E.irisY;
      const r = Math.sqrt(ix * ix + iy * iy);
      const ci = Math.min(ce, coverage(r - E.irisR, pw));
      if (ci > 0) {
        f = mix(f, irisTone * (0.75 + 0.25 * lit), ci);
        f = mix(f, 0.04, Math.min(ce, coverage(r - 0.45 * E.irisR, pw)));
        const hx = ix + 0.35 * E.irisR, hy = iy + 0.35 * E.irisR;
        f = mix(f, 0.95, 0.9 * Math.min(ce, coverage(Math.sqrt(hx * hx + hy * hy) - 0.22 * E.irisR, pw)));
      }
      // Shadow the upper lid casts on the eyeball.
      f *= 1 - 0.3 * clamp01(1 - (y - upper) / 0.03) * ce;
    }
    if (Math.abs(t) < 1.1) {
      const du = Math.abs(y - upper) - (0.009 + 0.008 * clamp01(t + 0.2));
      f = mix(f, 0.08, 0.92 * coverage(du, pw));
      const dl = Math.abs(y - lower) - 0.004;
      f *= 1 - 0.3 * coverage(dl, pw);
    }
    F[i] = f;
  }
}

function paintMouth(cv: FaceCanvas, M: MouthShape, a: FaceAppearance): void {
  const size = cv.size, pw = cv.pw, F = cv.face;
  // Wider than the lips: the corner shadows spill past them.
  cv.box(M.minX - 0.05, M.minY, M.maxX + 0.05, M.maxY);
  for (let py = cv.y0; py <= cv.y1; py++) for (let px = cv.x0; px <= cv.x1; px++) {
    const i = py * size + px;
    const u = cv.u[i], v = cv.v[i], lit = cv.lit[i];
    let f = F[i];
    const smirk = u * M.side > 0;
    const w = smirk ? M.halfWSmirk : M.halfW;
    const t = u / w;
    const t2 = t * t;
    const q = Math.max(0, 1 - t2);
    const e1 = Math.sqrt(q);
    const liftK = M.lift + (smirk ? M.smirkLift : 0);
    const mid = M.cy - liftK * t2;
    // Distances below are vertical; the midline's slope factor keeps edges evenly soft.
    const slope = (2 * liftK * t) / w;
    const k = 1 / Math.sqrt(1 + slope * slope);
    const eSq = Math.sqrt(Math.max(0, 1 - t2 * t2));
    const up = mid - (M.gapU * ((1 - M.square) * e1 + M.square * eSq) + LIP_LINE);
    const dn = mid + M.gapD * e1 + LIP_LINE;
    const bow = 1 - 0.35 * Math.exp(-(t2 / 0.04));
    const upOuter = up - M.lipU * Math.pow(q, 0.35) * bow;
    const dnOuter = dn + M.lipL * Math.pow(q, 0.45);
    const dx = (Math.abs(t) - 1) * w;
    const dLips = Math.max((upOuter - v) * k, (v - dnOuter) * k, dx);
    if (dLips < pw) {
      f = mix(f, a.lipTone * lit * (v < mid ? 0.88 : 1.05), coverage(dLips, pw));
      const dOpen = Math.max((up - v) * k, (v - dn) * k, dx);
      if (dOpen < pw) {
        const co = coverage(dOpen, pw);
        f = mix(f, 0.07 + 0.05 * a.skinTone, co);
        if (M.teethU > 0) f = mix(f, 0.8 * (0.7 + 0.3 * lit), Math.min(co, coverage((v - (up + M.teethU * e1)) * k, pw)));
        if (M.teethL > 0) f = mix(f, 0.7 * (0.7 + 0.3 * lit), Math.min(co, coverage((dn - M.teethL * e1 - v) * k, pw)));
      }
    }
    // Corner shadows: dimples of a smile, the tucked corner of a smirk.
    for (let j = 0; j < 2; j++) {
      const s = j === 0 ? -1 : 1;
      const cw = s === M.side ? M.halfWSmirk : M.halfW;
      const cl = M.lift + (s === M.side ? M.smirkLift : 0);
      f *= 1 - M.cornerShade[j] * blob(u, v, s * (cw + 0.012), M.cy - cl, 0.022, 0.03);
    }
    F[i] = f;
  }
}
