/**
 * Anti-aliased analytic drawing primitives for the demo face renderer: approximate signed
 * distances (negative inside) turned into pixel coverage, and tapered polyline strokes built
 * from quadratic Bezier curves. Coverage from a distance field anti-aliases every edge at
 * whatever size the face is rendered, without supersampling.
 */

/** Coverage of a pixel of width `pw` by a shape whose signed distance at its centre is `d`. */
export function coverage(d: number, pw: number): number {
  const c = 0.5 - d / pw;
  return c <= 0 ? 0 : c >= 1 ? 1 : c;
}

/** Approximate signed distance to an axis-aligned ellipse centred at the origin (first-order, exact on the boundary). */
export function sdEllipse(x: number, y: number, a: number, b: number): number {
  const k0 = Math.sqrt((x * x) / (a * a) + (y * y) / (b * b));
  const k1 = Math.sqrt((x * x) / (a * a * a * a) + (y * y) / (b * b * b * b));
  if (k1 < 1e-9) return -Math.min(a, b);
  return (k0 * (k0 - 1)) / k1;
}

/** exp(-(dx/sx)^2 - (dy/sy)^2): a soft blob for shading (cheeks, sockets, shadows). */
export function blob(x: number, y: number, cx: number, cy: number, sx: number, sy: number): number {
  const dx = (x - cx) / sx;
  const dy = (y - cy) / sy;
  const q = dx * dx + dy * dy;
  return q > 9 ? 0 : Math.exp(-q);
}

/** A polyline with a radius per vertex, and a bounding box for a quick reject. */
export interface Stroke {
  pts: Float64Array;
  rad: Float64Array;
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/**
 * A quadratic Bezier (p0, control c, p1) as `n` segments whose radius goes r0 -> rMid -> r1
 * along the curve (a parabola through the three), so brows and wrinkles taper at their ends.
 */
export function bezierStroke(
  x0: number, y0: number, cx: number, cy: number, x1: number, y1: number,
  r0: number, rMid: number, r1: number, n = 8,
): Stroke {
  const pts = new Float64Array(2 * (n + 1));
  const rad = new Float64Array(n + 1);
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity, maxR = 0;
  for (let i = 0; i <= n; i++) {
    const t = i / n;
    const a = (1 - t) * (1 - t), b = 2 * t * (1 - t), c = t * t;
    const x = a * x0 + b * cx + c * x1;
    const y = a * y0 + b * cy + c * y1;
    pts[2 * i] = x;
    pts[2 * i + 1] = y;
    // Lagrange through (0, r0), (0.5, rMid), (1, r1).
    const r = r0 * (1 - t) * (1 - 2 * t) + 4 * rMid * t * (1 - t) + r1 * t * (2 * t - 1);
    rad[i] = Math.max(0, r);
    minX = Math.min(minX, x); maxX = Math.max(maxX, x);
    minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    maxR = Math.max(maxR, rad[i]);
  }
  return { pts, rad, minX: minX - maxR, minY: minY - maxR, maxX: maxX + maxR, maxY: maxY + maxR };
}

/** Signed distance to a stroke (negative inside); `margin` widens the quick reject box (pass the pixel width or blur). */
export function sdStroke(s: Stroke, x: number, y: number, margin: number): number {
  if (x < s.minX - margin || x > s.maxX + margin || y < s.minY - margin || y > s.maxY + margin) return Infinity;
  const p = s.pts;
  let best = Infinity;
  for (let i = 0; i + 1 < s.rad.length; i++) {
    const ax = p[2 * i], ay = p[2 * i + 1];
    const dx = p[2 * i + 2] - ax, dy = p[2 * i + 3] - ay;
    const len2 = dx * dx + dy * dy;
    let h = len2 > 0 ? ((x - ax) * dx + (y - ay) * dy) / len2 : 0;
    h = h < 0 ? 0 : h > 1 ? 1 : h;
    const ex = x - ax - h * dx, ey = y - ay - h * dy;
    const d = Math.sqrt(ex * ex + ey * ey) - (s.rad[i] + h * (s.rad[i + 1] - s.rad[i]));
    if (d < best) best = d;
  }
  return best;
}

export const clamp01 = (v: number): number => (v < 0 ? 0 : v > 1 ? 1 : v);
export const mix = (a: number, b: number, t: number): number => a + (b - a) * t;
