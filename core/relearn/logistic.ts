/**
 * L2-regularised logistic regression fitted by Newton's method (IRLS), for the re-learning
 * gate (core/relearn/gate.ts): a handful of features and at most a few thousand rows, so the
 * exact Newton step (a d x d solve) converges in a few iterations with no learning rate to
 * tune. The last column of X is taken to be the intercept and is not penalised.
 */

export interface LogisticFit {
  /** Weights, one per column of X (the last is the intercept). */
  w: Float64Array;
  iterations: number;
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Dot product of row i of the flat n x d matrix x with w. */
export function logit(x: ArrayLike<number>, d: number, i: number, w: ArrayLike<number>): number {
  let z = 0;
  for (let j = 0; j < d; j++) z += x[i * d + j] * w[j];
  return z;
}

export function logisticProbability(x: ArrayLike<number>, d: number, i: number, w: ArrayLike<number>): number {
  return sigmoid(logit(x, d, i, w));
}

/** Solves A v = b (A d x d, row-major, overwritten) by Gaussian elimination with partial pivoting. */
function solve(a: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let c = 0; c < d; c++) {
    let piv = c;
    for (let r = c + 1; r < d; r++) if (Math.abs(a[r * d + c]) > Math.abs(a[piv * d + c])) piv = r;
    if (Math.abs(a[piv * d + c]) < 1e-300) throw new Error('logistic regression: singular Hessian (add regularisation)');
    if (piv !== c) {
      for (let k = 0; k < d; k++) [a[c * d + k], a[piv * d + k]] = [a[piv * d + k], a[c * d + k]];
      [b[c], b[piv]] = [b[piv], b[c]];
    }
    for (let r = c + 1; r < d; r++) {
      const f = a[r * d + c] / a[c * d + c];
      if (f === 0) continue;
      for (let k = c; k < d; k++) a[r * d + k] -= f * a[c * d + k];
      b[r] -= f * b[c];
    }
  }
  const v = new Float64Array(d);
  for (let r = d - 1; r >= 0; r--) {
    let s = b[r];
    for (let k = r + 1; k < d; k++) s -= a[r * d + k] * v[k];
    v[r] = s / a[r * d + r];
  }
  return v;
}

/**
 * Minimises sum_i -log-likelihood(y_i | x_i) + lambda/2 * |w without intercept|^2.
 * x: n x d row-major (last column 1), y: 0/1 per row.
 */
export function fitLogistic(x: ArrayLike<number>, y: ArrayLike<number>, d: number, opts: { lambda: number; maxIterations?: number; tolerance?: number }): LogisticFit {
  const n = y.length;
  if (x.length !== n * d) throw new Error(`logistic regression: X has ${x.length} values, expected ${n} x ${d}`);
  if (!(opts.lambda >= 0)) throw new Error(`logistic regression: lambda must be >= 0 (got ${opts.lambda})`);
  const w = new Float64Array(d);
  const maxIt = opts.maxIterations ?? 50;
  const tol = opts.tolerance ?? 1e-9;
  let it = 0;
  for (; it < maxIt; it++) {
    const h = new Float64Array(d * d);
    const g = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const mu = logisticProbability(x, d, i, w);
      const r = y[i] - mu;
      const s = Math.max(mu * (1 - mu), 1e-12);
      for (let j = 0; j < d; j++) {
        const xj = x[i * d + j];
        g[j] += xj * r;
        for (let k = j; k < d; k++) h[j * d + k] += s * xj * x[i * d + k];
      }
    }
    for (let j = 0; j < d; j++) for (let k = 0; k < j; k++) h[j * d + k] = h[k * d + j];
    for (let j = 0; j < d - 1; j++) {
      h[j * d + j] += opts.lambda;
      g[j] -= opts.lambda * w[j];
    }
    const step = solve(h, g, d);
    let change = 0;
    for (let j = 0; j < d; j++) {
      w[j] += step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < tol) {
      it++;
      break;
    }
  }
  return { w, iterations: it };
}
