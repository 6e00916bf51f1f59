/**
 * Hair of a demo face: its tone (lit like the face, with strands radiating from the crown),
 * the back hair behind the head in three styles (short, long, very short), and the fringe
 * line over the forehead.
 */
import type { FaceAppearance } from './appearance.ts';
import type { FaceGeometry } from './face-geometry.ts';
import { clamp01, coverage, mix, sdEllipse } from './raster.ts';

/** Hair lit from the same side as the face, with strands radiating from the crown. */
export function hairTone(a: FaceAppearance, g: FaceGeometry, u: number, v: number): number {
  const base = a.hairTone * (0.75 + 0.35 * clamp01(0.5 - g.lightX * u - g.lightY * v));
  const ang = Math.atan2(u - 0.2 * a.hairPart, v + 1.2);
  return base * (1 + 0.05 * Math.sin(ang * 120 + 3 * a.hairPart) + 0.04 * Math.sin(ang * 37 + 1.7 * a.hairPart));
}

export function paintBackHair(a: FaceAppearance, g: FaceGeometry, u: number, v: number, pw: number, c: number): number {
  // Well inside the head oval the back hair is hidden anyway.
  const iu = u / (g.headW * 0.85), iv = v / (g.headTop * 0.85);
  if (iu * iu + iv * iv < 1) return c;
  let d: number;
  if (a.hairStyle === 1) {
    // Long: falls to the shoulders on both sides, ends curling in.
    d = Math.max(sdEllipse(u, v - 0.15, g.headW * 1.25, g.headTop * 1.2), v - 1.05 + 0.25 * (u / g.headW) ** 2);
  } else if (a.hairStyle === 0) {
    d = Math.max(sdEllipse(u, v + 0.06, g.headW * 1.1, g.headTop * 1.05), v - (a.eyeY - 0.06));
  } else {
    d = Math.max(sdEllipse(u, v + 0.02, g.headW * 1.03, g.headTop * 1.02), v - (a.eyeY - 0.2));
  }
  return d < pw ? mix(c, hairTone(a, g, u, v), coverage(d, pw)) : c;
}

/** Head-unit height of the hairline at horizontal position u (the fringe covers v above it). */
export function hairlineAt(a: FaceAppearance, g: FaceGeometry, u: number): number {
  const ur = u / g.headW;
  // A parted, slightly ragged fringe rather than a helmet's clean edge.
  const ragged = 0.018 * Math.sin(ur * 23 + 5 * a.hairPart) + 0.012 * Math.sin(ur * 41 + 2 * a.hairPart);
  return a.hairline + 0.45 * ur * ur + 0.1 * a.hairPart * ur - 0.06 * Math.exp(-(((ur - 0.5 * a.hairPart) / 0.25) ** 2)) + ragged - (a.hairStyle === 2 ? 0.08 : 0);
}
