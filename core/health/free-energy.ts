/**
 * The Adaptive DBN's own outlier score: the free energy of each face under the network's first
 * RBM layer (as pre-trained), F(v) = -v.b - sum_j softplus(v W + c)_j for Bernoulli visible
 * units on pixels in [0, 1], and 0.5 |v - b|^2 - sum_j softplus(v W + c)_j for a Gaussian first
 * layer on standardised pixels. An RBM assigns low free energy to what it models, so a face
 * unlike the training faces scores high. Computed per row by one graph on the engine runtime,
 * a chunk of faces per run.
 */
import { GraphBuilder } from '../graph/builder.ts';
import type { GraphDef } from '../graph/graph.ts';
import { compiled } from '../runtime/select-runtime.ts';
import type { ModelSnapshot } from '../train/types.ts';

export interface FirstRbm {
  visible: number;
  hidden: number;
  /** visible x hidden, row-major. */
  w: Float32Array;
  b: Float32Array;
  c: Float32Array;
  gaussian: boolean;
  /** Per-pixel mean and std the Gaussian layer's inputs are standardised with (null for a Bernoulli layer). */
  standardiser: { mean: Float32Array; std: Float32Array } | null;
}

/** Per-row free energies: input v [N, I], output f [N]. */
export function freeEnergyRowsGraph(gaussian: boolean): GraphDef {
  const g = new GraphBuilder(gaussian ? 'rbm_free_energy_rows_gaussian' : 'rbm_free_energy_rows');
  const v = g.input('v', ['N', 'I']);
  const w = g.input('w', ['I', 'J']);
  const b = g.input('b', ['I']);
  const c = g.input('c', ['J']);
  const hidden = g.reduceSum(g.softplus(g.gemm(v, w, c)), [1], false);
  let visible;
  if (gaussian) {
    const d = g.sub(v, b);
    visible = g.mul(g.reduceSum(g.mul(d, d), [1], false), g.scalar(0.5));
  } else {
    visible = g.neg(g.reduceSum(g.mul(v, b), [1], false));
  }
  g.output('f', g.sub(visible, hidden), 'float32', ['N']);
  return g.build();
}

/** The first pre-trained RBM of a DBN snapshot (adbn or dbn), with what its inputs need. */
export function firstRbmOf(snap: ModelSnapshot, source = 'model'): FirstRbm {
  if (snap.kind !== 'adbn' && snap.kind !== 'dbn') throw new Error(`${source}: free energy needs a DBN model, this is a ${snap.kind}`);
  const t = (name: string) => {
    const x = snap.tensors[name];
    if (!x) throw new Error(`${source}: the snapshot has no tensor ${name}`);
    return x;
  };
  const w = t('rbm0.w');
  const [visible, hidden] = w.shape;
  const gaussian = Boolean((snap.meta.config as { gaussianFirstLayer?: boolean } | undefined)?.gaussianFirstLayer);
  const standardiser = gaussian ? { mean: t('input.mean').data, std: t('input.std').data } : null;
  return { visible, hidden, w: w.data, b: t('rbm0.b').data, c: t('rbm0.c').data, gaussian, standardiser };
}

/** The layer's input for one face's 8-bit pixels, written into `out`. */
export function rbmInput(rbm: FirstRbm, pixels: Uint8Array, out: Float32Array): void {
  if (pixels.length !== rbm.visible) throw new Error(`free energy: a face of ${pixels.length} pixels for an RBM of ${rbm.visible} visible units`);
  const st = rbm.standardiser;
  for (let i = 0; i < pixels.length; i++) out[i] = st ? (pixels[i] / 255 - st.mean[i]) / st.std[i] : pixels[i] / 255;
}

/** Free energies of `rows` faces whose inputs are in `v` (rows x visible). */
export function freeEnergies(rbm: FirstRbm, v: Float32Array, rows: number): Float32Array {
  const exe = compiled(rbm.gaussian ? 'rbm_free_energy_rows_gaussian' : 'rbm_free_energy_rows', () => freeEnergyRowsGraph(rbm.gaussian));
  const I = rbm.visible;
  return exe.run({
    v: { data: v.subarray(0, rows * I), dims: [rows, I] },
    w: { data: rbm.w, dims: [I, rbm.hidden] },
    b: { data: rbm.b, dims: [I] },
    c: { data: rbm.c, dims: [rbm.hidden] },
  }).f.data.slice();
}
