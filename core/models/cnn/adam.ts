/**
 * Adam (PyTorch's form) in place over Float32Arrays: m = b1 m + (1 - b1) g,
 * v = b2 v + (1 - b2) g^2, p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps).
 * Elementwise, so it is the same in any tensor layout; plain JS is cheap next to the step graph.
 */
import type { CnnConfig } from './cnn-config.ts';

export function adamUpdate(
  cfg: Pick<CnnConfig, 'adamBeta1' | 'adamBeta2' | 'adamEpsilon'>, lr: number, t: number,
  params: Record<string, Float32Array>, m: Record<string, Float32Array>, v: Record<string, Float32Array>, grads: Record<string, Float32Array>,
): void {
  const b1 = cfg.adamBeta1, b2 = cfg.adamBeta2, eps = cfg.adamEpsilon;
  const stepSize = lr / (1 - b1 ** t);
  const bc2 = Math.sqrt(1 - b2 ** t);
  for (const name of Object.keys(params)) {
    const p = params[name], g = grads[name], mm = m[name], vv = v[name];
    if (!g || g.length !== p.length) throw new Error(`Adam: gradient of ${name} has ${g?.length ?? 0} values, the parameter ${p.length}`);
    for (let i = 0; i < p.length; i++) {
      const gi = g[i];
      mm[i] = b1 * mm[i] + (1 - b1) * gi;
      vv[i] = b2 * vv[i] + (1 - b2) * gi * gi;
      p[i] -= (stepSize * mm[i]) / (Math.sqrt(vv[i]) / bc2 + eps);
    }
  }
}
