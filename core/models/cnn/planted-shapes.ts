/**
 * A planted 8-class image task for tests and benchmarks: each class is a simple bar or shape
 * at a jittered position on a noisy background, so a working CNN learns it in a few epochs
 * while chance is 1/8.
 */
import { Rng } from '../../util/rng.ts';

export function plantedShapes(n: number, size: number, seed: number): { x: Float32Array; y: Int32Array } {
  const rng = new Rng(seed);
  const x = new Float32Array(n * size * size);
  const y = new Int32Array(n);
  const q = Math.floor(size / 4);
  for (let i = 0; i < n; i++) {
    const c = i % 8;
    y[i] = c;
    const o = i * size * size;
    for (let p = 0; p < size * size; p++) x[o + p] = rng.next() * 0.3;
    const j = rng.int(3) - 1;
    const set = (r: number, col: number) => {
      if (r >= 0 && r < size && col >= 0 && col < size) x[o + r * size + col] = 0.7 + rng.next() * 0.3;
    };
    for (let a = 0; a < size; a++) {
      for (let t = 0; t < 2; t++) {
        if (c === 0) set(q + j + t, a); // bar near the top
        if (c === 1) set(size - q + j + t, a); // bar near the bottom
        if (c === 2) set(a, q + j + t); // bar near the left
        if (c === 3) set(a, size - q + j + t); // bar near the right
        if (c === 4) set(a, a + j + t); // diagonal
        if (c === 5) set(a, size - 1 - a + j + t); // anti-diagonal
      }
    }
    if (c === 6) for (let r = q; r < size - q; r++) for (let col = q; col < size - q; col++) set(r + j, col + j); // filled square
    if (c === 7) for (let a = q; a < size - q; a++) { set(q + j, a); set(size - q + j, a); set(a, q + j); set(a, size - q + j); } // hollow square
  }
  return { x, y };
}
