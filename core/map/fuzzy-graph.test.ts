import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UMAP } from 'umap-js';
import { Rng } from '../util/rng.ts';
import { fuzzyGraph } from './fuzzy-graph.ts';
import { nearestNeighbours } from './knn.ts';

/** umap-js's own fuzzy simplicial set (the oracle), reached through the precomputed-neighbours door. */
function umapJsGraph(x: number[][], indices: number[][], distances: number[][]): Map<string, number> {
  const u = new UMAP({ nNeighbors: indices[0].length });
  u.setPrecomputedKNN(indices, distances);
  const internal = u as unknown as { fuzzySimplicialSet(X: number[][], k: number, mix?: number): { getAll(): { row: number; col: number; value: number }[] } };
  const out = new Map<string, number>();
  for (const e of internal.fuzzySimplicialSet(x, indices[0].length).getAll()) if (e.value > 0) out.set(`${e.row}:${e.col}`, e.value);
  return out;
}

test('the fuzzy graph equals umap-js\'s for the same neighbour lists', () => {
  const rows = 300;
  const d = 5;
  const k = 8;
  const rng = new Rng(6);
  const x = Float32Array.from({ length: rows * d }, () => rng.normal());
  const g = nearestNeighbours(x, rows, d, { k, seed: 3 });
  const rowsOf = <T extends Int32Array | Float32Array>(a: T) => Array.from({ length: rows }, (_, i) => Array.from(a.subarray(i * k, (i + 1) * k)));
  const points = Array.from({ length: rows }, (_, i) => Array.from(x.subarray(i * d, (i + 1) * d)));
  const oracle = umapJsGraph(points, rowsOf(g.indices), rowsOf(g.distances));
  const mine = fuzzyGraph(g);
  assert.equal(mine.head.length, oracle.size, 'same number of directed edges');
  for (let e = 0; e < mine.head.length; e++) {
    const want = oracle.get(`${mine.head[e]}:${mine.tail[e]}`);
    assert.ok(want !== undefined, `edge ${mine.head[e]}->${mine.tail[e]} is not in umap-js's graph`);
    assert.ok(Math.abs(mine.weight[e] - want) < 1e-6, `edge ${mine.head[e]}->${mine.tail[e]}: ${mine.weight[e]} vs ${want}`);
  }
});
