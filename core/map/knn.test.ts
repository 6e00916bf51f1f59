import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../util/rng.ts';
import { KnnCancelled, nearestNeighbours } from './knn.ts';

/** Exact neighbour lists by brute force: the oracle. */
function bruteForce(x: Float32Array, rows: number, d: number, k: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let i = 0; i < rows; i++) {
    const dist: [number, number][] = [];
    for (let j = 0; j < rows; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - x[j * d + c]) ** 2;
      dist.push([s, j]);
    }
    dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    out.push(Int32Array.from(dist.slice(0, k).map((p) => p[1])));
  }
  return out;
}

test('approximate neighbours recall at least 95% of the exact ones, with exact distances, self first', () => {
  const rows = 1500;
  const d = 16;
  const rng = new Rng(4);
  // Clustered data as faces' features are: 10 centres, spread 1.
  const centres = Array.from({ length: 10 }, () => Array.from({ length: d }, () => 4 * rng.normal()));
  const x = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) x[r * d + c] = centres[r % 10][c] + rng.normal();
  const k = 10;
  const g = nearestNeighbours(x, rows, d, { k, seed: 1 });
  const exact = bruteForce(x, rows, d, k);
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    assert.equal(g.indices[i * k], i, `row ${i} does not start with itself`);
    const mine = new Set(g.indices.subarray(i * k, (i + 1) * k));
    for (const j of exact[i]) if (mine.has(j)) hits++;
    for (let t = 0; t < k; t++) {
      const j = g.indices[i * k + t];
      let s = 0;
      for (let c = 0; c < d; c++) s += (x[i * d + c] - x[j * d + c]) ** 2;
      assert.ok(Math.abs(g.distances[i * k + t] - Math.sqrt(s)) < 1e-4);
      if (t > 0) assert.ok(g.distances[i * k + t] >= g.distances[i * k + t - 1], `row ${i} is not sorted`);
    }
  }
  const recall = hits / (rows * k);
  assert.ok(recall >= 0.95, `recall ${recall.toFixed(3)}`);
  assert.deepEqual(nearestNeighbours(x, rows, d, { k, seed: 1 }).indices, g.indices, 'the same seed gives the same lists');
  assert.throws(() => nearestNeighbours(x, rows, d, { k, seed: 1, onProgress: (done) => done === 2 }), KnnCancelled);
});

test('identical points do not break the trees', () => {
  const x = new Float32Array(200 * 3).fill(1);
  const g = nearestNeighbours(x, 200, 3, { k: 5, seed: 2 });
  assert.ok(g.indices.every((j) => j >= 0 && j < 200));
  assert.ok(g.distances.every((v) => v === 0));
});
