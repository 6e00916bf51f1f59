import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { PcaCancelled, pca, project } from './pca.ts';

/** Symmetric eigen-decomposition by cyclic Jacobi rotations: an oracle independent of power iteration. */
function jacobiEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((r) => [...r]);
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] ** 2;
    if (off < 1e-22) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (Math.abs(m[p][q]) < 1e-300) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k][p];
          const mkq = m[k][q];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p][k];
          const mqk = m[q][k];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k][p];
          const vkq = v[k][q];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j][j] - m[i][i]);
  return { values: order.map((i) => m[i][i]), vectors: order.map((i) => v.map((row) => row[i])) };
}

test('2-D case: components and variances match the closed-form eigen-decomposition of the covariance', () => {
  // Points spread along (1, 2) with a little spread across it.
  const pts = [
    [1, 2.1],
    [-1, -2],
    [2, 4.2],
    [-2, -3.8],
    [0.5, 0.9],
    [0, 0.3],
  ];
  const x = pts.flat();
  const r = pca(x, pts.length, 2, { k: 2, seed: 1 });
  // By hand: population covariance [[a, b], [b, c]] and its eigenvalues (a+c)/2 ± sqrt(((a-c)/2)^2 + b^2).
  const mx = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const my = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  const a = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0) / pts.length;
  const c = pts.reduce((s, p) => s + (p[1] - my) ** 2, 0) / pts.length;
  const b = pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / pts.length;
  const l1 = (a + c) / 2 + Math.sqrt(((a - c) / 2) ** 2 + b * b);
  const l2 = (a + c) / 2 - Math.sqrt(((a - c) / 2) ** 2 + b * b);
  assert.ok(Math.abs(r.variances[0] - l1) < 1e-9, `${r.variances[0]} vs ${l1}`);
  assert.ok(Math.abs(r.variances[1] - l2) < 1e-9, `${r.variances[1]} vs ${l2}`);
  assert.ok(Math.abs(r.totalVariance - (a + c)) < 1e-12);
  // Eigenvector of l1: (b, l1 - a), normalised; compare up to sign.
  const n = Math.hypot(b, l1 - a);
  const dot = (r.components[0] * b + r.components[1] * (l1 - a)) / n;
  assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `first component ${r.components[0]},${r.components[1]} is not along the oracle's`);
  // Projection onto the first component: variance of the coordinates equals l1.
  const proj = project(x, pts.length, 2, r);
  let v = 0;
  for (let i = 0; i < pts.length; i++) v += proj[i * 2] ** 2;
  // The projection is float32 (what the map stores), hence the looser tolerance.
  assert.ok(Math.abs(v / pts.length - l1) / l1 < 1e-6, `${v / pts.length} vs ${l1}`);
});

test('12-D data: the top components agree with a Jacobi eigen-decomposition, and explained variance sums right', () => {
  const d = 12;
  const rows = 400;
  const rng = new Rng(7);
  // Anisotropic data with distinct scales along a random rotation.
  const scales = Array.from({ length: d }, (_, i) => 5 / (i + 1));
  const x = new Float64Array(rows * d);
  const mix = Array.from({ length: d }, () => Array.from({ length: d }, () => rng.normal()));
  for (let r = 0; r < rows; r++) {
    const z = scales.map((s) => s * rng.normal());
    for (let c = 0; c < d; c++) {
      let s = 3;
      for (let j = 0; j < d; j++) s += mix[c][j] * z[j] * 0.3;
      x[r * d + c] = s;
    }
  }
  const cov = Array.from({ length: d }, () => new Array<number>(d).fill(0));
  const mean = new Array<number>(d).fill(0);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) mean[c] += x[r * d + c] / rows;
  for (let r = 0; r < rows; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) cov[i][j] += ((x[r * d + i] - mean[i]) * (x[r * d + j] - mean[j])) / rows;
  const oracle = jacobiEigen(cov);
  const res = pca(x, rows, d, { k: 3, seed: 3, iterations: 200 });
  for (let i = 0; i < 3; i++) {
    assert.ok(Math.abs(res.variances[i] - oracle.values[i]) / oracle.values[i] < 1e-6, `variance ${i}: ${res.variances[i]} vs ${oracle.values[i]}`);
    let dot = 0;
    for (let c = 0; c < d; c++) dot += res.components[i * d + c] * oracle.vectors[i][c];
    assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-5, `component ${i} differs from the oracle (|cos| ${Math.abs(dot)})`);
  }
  const trace = oracle.values.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(res.totalVariance - trace) / trace < 1e-9, `total variance ${res.totalVariance} vs trace ${trace}`);
});

test('the same seed gives the same components; onPass can cancel', () => {
  const rng = new Rng(2);
  const x = Float32Array.from({ length: 300 * 5 }, () => rng.normal());
  const a = pca(x, 300, 5, { k: 2, seed: 9 });
  const b = pca(x, 300, 5, { k: 2, seed: 9 });
  assert.deepEqual(a.components, b.components);
  assert.throws(() => pca(x, 300, 5, { k: 2, seed: 9, onPass: (p) => p === 3 }), PcaCancelled);
  assert.throws(() => pca(x, 299, 5, { k: 2, seed: 9 }), /expected 299×5/);
});
