/**
 * Principal components of a row-major matrix by block power (subspace) iteration on the
 * centred data: each pass costs two products with X (2·n·d·k), never the d×d covariance, so
 * 2,304-pixel faces and 300,000 rows stay affordable. The basis is re-orthonormalised every
 * pass (modified Gram-Schmidt) and started from a seeded random matrix, so the result is the
 * same for the same seed. The face map uses it for the pixel map (k = 2) and to shrink model
 * features before UMAP (k ≈ 32).
 */
import { Rng } from '../util/rng.ts';

export interface PcaResult {
  /** Column means (d). */
  mean: Float64Array;
  /** k unit-length components, row-major k×d, by decreasing variance. */
  components: Float64Array;
  /** Variance of the data along each component (k), i.e. the covariance eigenvalues. */
  variances: Float64Array;
  /** Total variance (trace of the covariance), to say how much the k components explain. */
  totalVariance: number;
}

export interface PcaOptions {
  k: number;
  seed: number;
  /** Power passes (default 30); more converge further when eigenvalues are close. */
  iterations?: number;
  /** Called after every pass with (pass, passes); return true to stop (cancellation). */
  onPass?: (pass: number, passes: number) => boolean | void;
}

export class PcaCancelled extends Error {
  constructor() {
    super('the PCA was cancelled');
  }
}

/** Column means of x (rows×cols). */
function columnMeans(x: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const mean = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) mean[c] += x[o + c];
  }
  for (let c = 0; c < cols; c++) mean[c] /= Math.max(1, rows);
  return mean;
}

/** Orthonormalises the k rows of q (k×d) in place; a row that collapses is replaced by a seeded random one. */
function orthonormalise(q: Float64Array, k: number, d: number, rng: Rng): void {
  for (let i = 0; i < k; i++) {
    for (let attempt = 0; ; attempt++) {
      const qi = q.subarray(i * d, (i + 1) * d);
      for (let j = 0; j < i; j++) {
        const qj = q.subarray(j * d, (j + 1) * d);
        let dot = 0;
        for (let c = 0; c < d; c++) dot += qi[c] * qj[c];
        for (let c = 0; c < d; c++) qi[c] -= dot * qj[c];
      }
      let norm = 0;
      for (let c = 0; c < d; c++) norm += qi[c] * qi[c];
      norm = Math.sqrt(norm);
      if (norm > 1e-12 || attempt > 3) {
        const s = norm > 1e-12 ? 1 / norm : 0;
        for (let c = 0; c < d; c++) qi[c] *= s;
        break;
      }
      for (let c = 0; c < d; c++) qi[c] = rng.normal();
    }
  }
}

/**
 * One pass: w = Cov·q for the k rows of q, computed as Xcᵀ(Xc q) / n with Xc = X - mean,
 * without forming Xc. Returns w (k×d).
 */
function covTimes(x: ArrayLike<number>, rows: number, d: number, mean: Float64Array, q: Float64Array, k: number): Float64Array {
  const w = new Float64Array(k * d);
  const proj = new Float64Array(k);
  // mean·q_j, subtracted from x·q_j so the data need not be centred in memory.
  const meanDot = new Float64Array(k);
  for (let j = 0; j < k; j++) for (let c = 0; c < d; c++) meanDot[j] += mean[c] * q[j * d + c];
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < k; j++) {
      let s = 0;
      const qo = j * d;
      for (let c = 0; c < d; c++) s += x[o + c] * q[qo + c];
      proj[j] = s - meanDot[j];
    }
    for (let j = 0; j < k; j++) {
      const p = proj[j];
      if (p === 0) continue;
      const wo = j * d;
      for (let c = 0; c < d; c++) w[wo + c] += p * x[o + c];
    }
  }
  // Σ p_j x_r over rows includes Σ p_j · mean (Σ p_j = 0 since p is centred), so nothing to correct.
  for (let i = 0; i < w.length; i++) w[i] /= Math.max(1, rows);
  return w;
}

/** The top-k principal components of x (rows×d). */
export function pca(x: ArrayLike<number>, rows: number, d: number, opts: PcaOptions): PcaResult {
  const k = Math.min(opts.k, d);
  if (k < 1) throw new Error(`PCA: needs at least one component and one column (k ${opts.k}, ${d} columns)`);
  if (x.length !== rows * d) throw new Error(`PCA: expected ${rows}×${d} = ${rows * d} values, got ${x.length}`);
  const rng = new Rng(opts.seed);
  const mean = columnMeans(x, rows, d);
  let totalVariance = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < d; c++) totalVariance += (x[r * d + c] - mean[c]) ** 2;
  totalVariance /= Math.max(1, rows);
  let q: Float64Array = new Float64Array(k * d);
  for (let i = 0; i < q.length; i++) q[i] = rng.normal();
  orthonormalise(q, k, d, rng);
  const passes = opts.iterations ?? 30;
  for (let it = 0; it < passes; it++) {
    q = covTimes(x, rows, d, mean, q, k);
    orthonormalise(q, k, d, rng);
    if (opts.onPass?.(it + 1, passes)) throw new PcaCancelled();
  }
  // Rayleigh quotients give each direction's variance; sort by it (subspace iteration can leave
  // near-equal components in either order) and fix each sign so the largest entry is positive.
  const w = covTimes(x, rows, d, mean, q, k);
  const order = Array.from({ length: k }, (_, j) => j);
  const ray = order.map((j) => {
    let s = 0;
    for (let c = 0; c < d; c++) s += q[j * d + c] * w[j * d + c];
    return s;
  });
  order.sort((a, b) => ray[b] - ray[a]);
  const components = new Float64Array(k * d);
  const variances = new Float64Array(k);
  order.forEach((j, i) => {
    const src = q.subarray(j * d, (j + 1) * d);
    let big = 0;
    for (let c = 0; c < d; c++) if (Math.abs(src[c]) > Math.abs(big)) big = src[c];
    const sign = big < 0 ? -1 : 1;
    for (let c = 0; c < d; c++) components[i * d + c] = sign * src[c];
    variances[i] = ray[j];
  });
  return { mean, components, variances, totalVariance };
}

/** Coordinates of every row of x on the components (rows×k, row-major). */
export function project(x: ArrayLike<number>, rows: number, d: number, p: PcaResult): Float32Array {
  const k = p.variances.length;
  const out = new Float32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < k; j++) {
      let s = 0;
      const co = j * d;
      for (let c = 0; c < d; c++) s += (x[o + c] - p.mean[c]) * p.components[co + c];
      out[r * k + j] = s;
    }
  }
  return out;
}
