import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { LayoutCancelled, umapLayout } from './umap-layout.ts';

/** `clusters` Gaussian blobs in d dimensions, centres 10 apart on different axes, unit spread. */
function planted(clusters: number, perCluster: number, d: number, seed: number): { x: Float32Array; label: Int32Array } {
  const rng = new Rng(seed);
  const rows = clusters * perCluster;
  const x = new Float32Array(rows * d);
  const label = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    const c = r % clusters;
    label[r] = c;
    for (let j = 0; j < d; j++) x[r * d + j] = (j === c ? 10 : 0) + rng.normal();
  }
  return { x, label };
}

/** Share of each point's k nearest 2-D neighbours (exact, brute force) that carry its own label. */
function neighbourPurity(y: Float32Array, label: Int32Array, k: number): number {
  const n = label.length;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const dist: [number, number][] = [];
    for (let j = 0; j < n; j++) if (j !== i) dist.push([(y[2 * i] - y[2 * j]) ** 2 + (y[2 * i + 1] - y[2 * j + 1]) ** 2, j]);
    dist.sort((a, b) => a[0] - b[0]);
    for (let t = 0; t < k; t++) if (label[dist[t][1]] === label[i]) same++;
  }
  return same / (n * k);
}

test('planted clusters stay apart on the map: 2-D neighbours share their cluster far above chance', () => {
  const { x, label } = planted(5, 80, 10, 11);
  const y = umapLayout(x, label.length, 10, { seed: 1, epochs: 150 });
  const purity = neighbourPurity(y, label, 10);
  // Chance is 1/5 = 0.2; well-separated blobs must stay almost pure.
  assert.ok(purity > 0.95, `neighbour purity ${purity.toFixed(3)}`);
  // And the clusters are separated: each centroid is further from every other than the typical within-cluster spread.
  const cx = new Float64Array(5);
  const cy = new Float64Array(5);
  for (let i = 0; i < label.length; i++) {
    cx[label[i]] += y[2 * i] / 80;
    cy[label[i]] += y[2 * i + 1] / 80;
  }
  let spread = 0;
  for (let i = 0; i < label.length; i++) spread += Math.hypot(y[2 * i] - cx[label[i]], y[2 * i + 1] - cy[label[i]]) / label.length;
  for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) assert.ok(Math.hypot(cx[a] - cx[b], cy[a] - cy[b]) > 2 * spread, `clusters ${a} and ${b} overlap`);
});

test('a seed reproduces the layout exactly; another seed gives another layout', () => {
  const { x, label } = planted(3, 40, 6, 5);
  const a = umapLayout(x, label.length, 6, { seed: 42, epochs: 50 });
  const b = umapLayout(x, label.length, 6, { seed: 42, epochs: 50 });
  const c = umapLayout(x, label.length, 6, { seed: 43, epochs: 50 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.ok(a.every(Number.isFinite));
});

test('progress reaches every epoch and returning true cancels', () => {
  const { x, label } = planted(3, 30, 4, 5);
  let last = 0;
  umapLayout(x, label.length, 4, { seed: 1, epochs: 20, onProgress: (stage, done) => void (stage === 'layout' && (last = done)) });
  assert.equal(last, 20);
  assert.throws(() => umapLayout(x, label.length, 4, { seed: 1, epochs: 20, onProgress: (s, d) => s === 'layout' && d === 5 }), LayoutCancelled);
});
