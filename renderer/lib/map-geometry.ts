// The Map view's geometry, pure so it is unit tested without a browser: the view transform
// from the map's [-1, 1] square to canvas pixels (pan and zoom), the faces inside a lasso
// polygon or a box, and the face nearest the cursor.

export interface View {
  width: number;
  height: number;
  zoom: number;
  /** Pan, in map units. */
  panX: number;
  panY: number;
}

/** Pixels per map unit at zoom 1: the [-1, 1] square fits the shorter side. */
const unit = (v: View) => Math.min(v.width, v.height) / 2;

export function toScreen(v: View, x: number, y: number): [number, number] {
  const s = unit(v) * v.zoom;
  return [v.width / 2 + (x + v.panX) * s, v.height / 2 - (y + v.panY) * s];
}

export function toMap(v: View, sx: number, sy: number): [number, number] {
  const s = unit(v) * v.zoom;
  return [(sx - v.width / 2) / s - v.panX, -(sy - v.height / 2) / s - v.panY];
}

/** Zooms by `factor` keeping the map point under (sx, sy) in place. */
export function zoomAt(v: View, sx: number, sy: number, factor: number): View {
  const [mx, my] = toMap(v, sx, sy);
  const zoom = Math.min(1000, Math.max(0.2, v.zoom * factor));
  const next = { ...v, zoom };
  const [ax, ay] = toMap(next, sx, sy);
  return { ...next, panX: v.panX + (ax - mx), panY: v.panY + (ay - my) };
}

/** Moves the map by (dx, dy) pixels. */
export function panBy(v: View, dx: number, dy: number): View {
  const s = unit(v) * v.zoom;
  return { ...v, panX: v.panX + dx / s, panY: v.panY - dy / s };
}

/** Ray casting: is (px, py) inside the polygon (flat [x0, y0, x1, y1, ...], screen pixels)? */
export function insidePolygon(poly: readonly number[], px: number, py: number): boolean {
  let inside = false;
  const n = poly.length / 2;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
    if (yi > py !== yj > py && px < ((xj - xi) * (py - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Indices of the points whose screen position lies inside the polygon (screen pixels). */
export function pointsInPolygon(v: View, x: Float32Array, y: Float32Array, poly: readonly number[]): number[] {
  if (poly.length < 6) return [];
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < poly.length; i += 2) {
    minX = Math.min(minX, poly[i]);
    maxX = Math.max(maxX, poly[i]);
    minY = Math.min(minY, poly[i + 1]);
    maxY = Math.max(maxY, poly[i + 1]);
  }
  const out: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const [sx, sy] = toScreen(v, x[i], y[i]);
    // The bounding box first: most points fail it cheaply.
    if (sx < minX || sx > maxX || sy < minY || sy > maxY) continue;
    if (insidePolygon(poly, sx, sy)) out.push(i);
  }
  return out;
}

/** The box from (x0, y0) to (x1, y1) as a polygon. */
export function boxPolygon(x0: number, y0: number, x1: number, y1: number): number[] {
  return [x0, y0, x1, y0, x1, y1, x0, y1];
}

/** The point nearest (sx, sy) within maxPx pixels, or -1. */
export function nearestPoint(v: View, x: Float32Array, y: Float32Array, sx: number, sy: number, maxPx: number): number {
  let best = -1;
  let bestD = maxPx * maxPx;
  for (let i = 0; i < x.length; i++) {
    const [px, py] = toScreen(v, x[i], y[i]);
    const d = (px - sx) ** 2 + (py - sy) ** 2;
    if (d <= bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}
