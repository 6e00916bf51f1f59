/**
 * A small plain-JS multinomial logistic regression on per-image standardised pixels, used by
 * the demo tests to show that the faces carry learnable expression signal (and that blends
 * are harder). Not part of the product: the real models live in core/models.
 */
import { NUM_CLASSES } from '../../../api/domain.ts';
import { Rng } from '../../util/rng.ts';

/**
 * Features of one square image: 2x2 average-pooled (a quarter of the weights to learn), then
 * zero-mean and unit-variance, so lighting and skin tone do not dominate.
 */
export function pixelFeatures(pixels: Uint8Array, size: number): Float32Array {
  const h = size >> 1;
  const out = new Float32Array(h * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < h; x++) {
    const i = 2 * y * size + 2 * x;
    out[y * h + x] = pixels[i] + pixels[i + 1] + pixels[i + size] + pixels[i + size + 1];
  }
  let s = 0, s2 = 0;
  for (const p of out) { s += p; s2 += p * p; }
  const n = out.length, mean = s / n, sd = Math.sqrt(Math.max(1e-6, s2 / n - mean * mean));
  for (let i = 0; i < n; i++) out[i] = (out[i] - mean) / sd;
  return out;
}

export interface LinearModel {
  w: Float32Array; // NUM_CLASSES x d
  b: Float32Array;
  d: number;
}

/** Minibatch SGD on softmax cross-entropy with L2; seeded order. */
export function trainSoftmax(x: Float32Array[], y: number[], epochs: number, seed: number, lr = 0.01, l2 = 1e-3): LinearModel {
  const d = x[0].length, K = NUM_CLASSES;
  const m: LinearModel = { w: new Float32Array(K * d), b: new Float32Array(K), d };
  const order = Array.from(x.keys());
  const rng = new Rng(seed);
  const p = new Float64Array(K);
  for (let ep = 0; ep < epochs; ep++) {
    rng.shuffle(order);
    const rate = lr / (1 + ep);
    for (const n of order) {
      scores(m, x[n], p);
      p[y[n]] -= 1;
      const xn = x[n];
      for (let k = 0; k < K; k++) {
        const g = p[k] * rate, row = k * d;
        for (let j = 0; j < d; j++) m.w[row + j] -= g * xn[j] + rate * l2 * m.w[row + j];
        m.b[k] -= g;
      }
    }
  }
  return m;
}

/** Softmax probabilities into `out`. */
export function scores(m: LinearModel, x: Float32Array, out: Float64Array): void {
  let max = -Infinity;
  for (let k = 0; k < NUM_CLASSES; k++) {
    let s = m.b[k];
    const row = k * m.d;
    for (let j = 0; j < m.d; j++) s += m.w[row + j] * x[j];
    out[k] = s;
    if (s > max) max = s;
  }
  let z = 0;
  for (let k = 0; k < NUM_CLASSES; k++) z += out[k] = Math.exp(out[k] - max);
  for (let k = 0; k < NUM_CLASSES; k++) out[k] /= z;
}

export function predict(m: LinearModel, x: Float32Array): number {
  const p = new Float64Array(NUM_CLASSES);
  scores(m, x, p);
  let best = 0;
  for (let k = 1; k < NUM_CLASSES; k++) if (p[k] > p[best]) best = k;
  return best;
}
