import assert from 'node:assert/strict';
import { test } from 'node:test';
import { boxPolygon, insidePolygon, nearestPoint, panBy, pointsInPolygon, toMap, toScreen, zoomAt, type View } from './map-geometry.ts';

const view: View = { width: 400, height: 200, zoom: 1, panX: 0, panY: 0 };

test('the [-1, 1] square fits the shorter side, y up; toMap inverts toScreen under pan and zoom', () => {
  assert.deepEqual(toScreen(view, 0, 0), [200, 100]);
  assert.deepEqual(toScreen(view, 1, 1), [300, 0]);
  assert.deepEqual(toScreen(view, -1, -1), [100, 200]);
  const v = zoomAt(panBy(view, 30, -12), 50, 70, 3.5);
  const [sx, sy] = toScreen(v, 0.3, -0.7);
  const [x, y] = toMap(v, sx, sy);
  assert.ok(Math.abs(x - 0.3) < 1e-9 && Math.abs(y + 0.7) < 1e-9);
});

test('zooming keeps the point under the cursor in place; panning moves by pixels', () => {
  const before = toMap(view, 310, 40);
  const z = zoomAt(view, 310, 40, 2);
  assert.equal(z.zoom, 2);
  const after = toMap(z, 310, 40);
  assert.ok(Math.abs(before[0] - after[0]) < 1e-12 && Math.abs(before[1] - after[1]) < 1e-12);
  const p = panBy(view, 10, 5);
  assert.deepEqual(toScreen(p, 0, 0), [210, 105]);
});

test('points in a lasso polygon and in a box, by ray casting against brute-force geometry', () => {
  // An L-shaped polygon: the notch at the top right is outside.
  const L = [0, 0, 100, 0, 100, 50, 50, 50, 50, 100, 0, 100];
  assert.equal(insidePolygon(L, 25, 75), true);
  assert.equal(insidePolygon(L, 75, 25), true);
  assert.equal(insidePolygon(L, 75, 75), false);
  assert.equal(insidePolygon(L, 120, 10), false);
  // Points on a grid in map units; the box covers screen x 150..250, y 50..150, i.e. map [-0.5, 0.5]^2.
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = -10; i <= 10; i++) for (let j = -10; j <= 10; j++) {
    xs.push(i / 10 + 0.05);
    ys.push(j / 10 + 0.05);
  }
  const x = Float32Array.from(xs);
  const y = Float32Array.from(ys);
  const got = pointsInPolygon(view, x, y, boxPolygon(150, 50, 250, 150));
  const want = xs.map((_, i) => i).filter((i) => Math.abs(xs[i]) < 0.5 && Math.abs(ys[i]) < 0.5);
  assert.deepEqual(got, want);
  assert.equal(want.length, 100);
});

test('the nearest point within reach, or none', () => {
  const x = Float32Array.from([0, 0.5]);
  const y = Float32Array.from([0, 0]);
  assert.equal(nearestPoint(view, x, y, 247, 101, 6), 1);
  assert.equal(nearestPoint(view, x, y, 230, 100, 6), -1);
});
