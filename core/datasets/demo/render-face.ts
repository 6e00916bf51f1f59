/**
 * Rasterises a demo face (appearance + expression) into a grey image of any size, with
 * anti-aliased analytic shapes painted back to front: background gradient, neck, clothes,
 * ears, hair, a Lambert-shaded head oval, then sockets, folds and wrinkles, brows, eyes, nose,
 * mouth and fringe (paint-features.ts), and finally sensor noise. Pure arithmetic, no canvas,
 * so it runs anywhere and the same seed gives the same bytes.
 */
import type { Rng } from '../../util/rng.ts';
import type { FaceAppearance } from './appearance.ts';
import type { ExpressionParams } from './expressions.ts';
import { FaceCanvas } from './face-canvas.ts';
import { computeFaceGeometry, type FaceGeometry } from './face-geometry.ts';
import { paintBackHair } from './hair.ts';
import { paintFeatures } from './paint-features.ts';
import { clamp01, coverage, mix, sdEllipse } from './raster.ts';

export interface FaceParams {
  appearance: FaceAppearance;
  expression: ExpressionParams;
}

/** Half the image side, in head units, at zoom 1: a tight crop like FER's, hair top cut off. */
const HALF_VIEW = 1.05;
/** The image centre sits this far below the head centre, so the chin stays in frame. */
const VIEW_DROP = 0.06;

/** The face as grey levels in [0, 1], row-major size*size. `rng` draws only the pixel noise. */
export function renderFaceFloat(params: FaceParams, size: number, rng: Rng): Float32Array {
  if (!Number.isInteger(size) || size < 8 || size > 1024) throw new RangeError(`renderFace: size must be an integer in 8..1024, got ${size}`);
  const a = params.appearance;
  const g = computeFaceGeometry(a, params.expression);
  const cv = FaceCanvas.acquire(size, (size / (2 * HALF_VIEW)) * a.zoom, a.roll, a.shiftX, a.shiftY - VIEW_DROP);
  paintBase(cv, g, a);
  paintFeatures(cv, g, a);
  const out = new Float32Array(cv.n);
  for (let i = 0; i < cv.n; i++) out[i] = clamp01(mix(cv.back[i], cv.face[i], cv.cover[i]) + a.noise * rng.normal());
  return out;
}

/** The face as 8-bit grey, row-major size*size. */
export function renderFace(params: FaceParams, size: number, rng: Rng): Uint8Array {
  const f = renderFaceFloat(params, size, rng);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.round(f[i] * 255);
  return out;
}

/** Everything behind the face, the head's coverage, and the lit skin, for every pixel. */
function paintBase(cv: FaceCanvas, g: FaceGeometry, a: FaceAppearance): void {
  const size = cv.size, pw = cv.pw;
  const gx = Math.cos(a.backgroundAngle) * a.backgroundGradient * 2;
  const gy = Math.sin(a.backgroundAngle) * a.backgroundGradient * 2;
  const earY = a.eyeY + 0.1;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const i = py * size + px;
      const u = cv.u[i], v = cv.v[i];
      let c = a.backgroundTone + gx * ((px + 0.5) / size - 0.5) + gy * ((py + 0.5) / size - 0.5);
      let d: number;
      // Neck, then clothes with a round neckline over it.
      if (v > 0.3) {
        d = Math.max(Math.abs(u) - 0.42 - 0.6 * Math.max(0, v - 0.95) ** 2, 0.35 - v);
        if (d < pw) c = mix(c, a.skinTone * (0.5 + 0.25 * clamp01((v - 0.8) / 0.5)), coverage(d, pw));
        if (v > 1.0 - pw) {
          d = Math.max(sdEllipse(u, v - 1.75, 1.6, 0.68), -sdEllipse(u, v - 1.07, 0.44, 0.2));
          if (d < pw) c = mix(c, a.clothTone * (0.85 + 0.15 * clamp01(0.5 - g.lightX * u)), coverage(d, pw));
        }
      }
      // Ears, half hidden behind the head.
      if (Math.abs(u) > g.headW * 0.7 && Math.abs(v - earY) < 0.16 + pw) {
        const s = u < 0 ? -1 : 1;
        d = sdEllipse(u - s * g.headW * 0.96, v - earY, 0.075, 0.15);
        if (d < pw) {
          const inner = 1 - 0.25 * coverage(sdEllipse(u - s * g.headW * 0.98, v - earY, 0.035, 0.09), pw);
          c = mix(c, a.skinTone * (0.55 + 0.3 * clamp01(0.5 + s * g.lightX)) * inner, coverage(d, pw));
        }
      }
      c = paintBackHair(a, g, u, v, pw, c);
      cv.back[i] = c;

      // Head: an egg, narrower toward the chin, taller when the jaw drops.
      const b = v > 0 ? g.headBottom : g.headTop;
      const vb = v / b;
      const wv = g.headW * (1 - (v > 0 ? g.chinTaper * 0.5 * (vb + vb * vb) : 0.08 * vb * vb));
      d = sdEllipse(u, v, wv, b);
      if (d >= pw) continue;
      const nx = u / wv;
      const nz = Math.sqrt(Math.max(0, 1 - nx * nx - vb * vb));
      const lit = a.ambient + (1 - a.ambient) * Math.max(0, nx * g.lightX + vb * g.lightY + nz * g.lightZ);
      cv.cover[i] = coverage(d, pw);
      cv.lit[i] = lit;
      cv.face[i] = a.skinTone * lit;
    }
  }
}
