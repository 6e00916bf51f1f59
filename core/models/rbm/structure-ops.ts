/**
 * Structural operations on an RBM layer's plain parameter arrays: split hidden units (append a
 * noisy copy of each chosen unit's incoming weights and bias, so the twins separate) and remove
 * hidden units. W is row-major visible x hidden, so both operations rebuild it column-wise.
 * Companion per-hidden-unit arrays (momentum of W and c) follow the same column mapping.
 */
import type { Rng } from '../../util/rng.ts';

export interface LayerParams {
  visible: number;
  hidden: number;
  /** visible x hidden, row-major. */
  w: Float32Array;
  /** visible bias (length visible). */
  b: Float32Array;
  /** hidden bias (length hidden). */
  c: Float32Array;
  /** Momentum of w, b and c (same shapes). */
  incW: Float32Array;
  incB: Float32Array;
  incC: Float32Array;
}

/** Builds a layer whose hidden unit k is old unit `source[k]`; `noisy[k]` adds N(0, noise^2). */
function remapColumns(p: LayerParams, source: number[], noisy: boolean[], noise: number, rng: Rng | null): LayerParams {
  const J = source.length;
  const I = p.visible;
  const w = new Float32Array(I * J);
  const incW = new Float32Array(I * J);
  const c = new Float32Array(J);
  const incC = new Float32Array(J);
  for (let k = 0; k < J; k++) {
    const j = source[k];
    c[k] = p.c[j] + (noisy[k] && rng ? noise * rng.normal() : 0);
    incC[k] = noisy[k] ? 0 : p.incC[j];
  }
  for (let i = 0; i < I; i++) {
    const from = i * p.hidden;
    const to = i * J;
    for (let k = 0; k < J; k++) {
      const j = source[k];
      w[to + k] = p.w[from + j] + (noisy[k] && rng ? noise * rng.normal() : 0);
      incW[to + k] = noisy[k] ? 0 : p.incW[from + j];
    }
  }
  return { visible: I, hidden: J, w, b: p.b.slice(), c, incW, incB: p.incB.slice(), incC };
}

/** Appends one twin per unit in `units` (a copy plus N(0, noise^2), zero momentum). */
export function splitUnits(p: LayerParams, units: number[], noise: number, rng: Rng): LayerParams {
  const source = [...Array(p.hidden).keys(), ...units];
  const noisy = source.map((_, k) => k >= p.hidden);
  return remapColumns(p, source, noisy, noise, rng);
}

/** Drops the hidden units in `units`, keeping the others in order. */
export function removeUnits(p: LayerParams, units: number[]): LayerParams {
  const drop = new Set(units);
  const source = [...Array(p.hidden).keys()].filter((j) => !drop.has(j));
  return remapColumns(p, source, source.map(() => false), 0, null);
}
