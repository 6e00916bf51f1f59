/**
 * The RBM's computations as engine graphs (core/graph), defined once for every runtime. Sizes
 * are symbolic (N rows, I visible, J hidden units), so one compiled graph serves every batch
 * and every structure the adaptive rules give the layer.
 *
 * CD-1 (METHOD.md section 2): ph0 = sigmoid(v W + c); h0 = [u < ph0] with uniforms u fed from
 * the seeded JS generator (so runs repeat on every runtime); v1 = h0 W^T + b, through a sigmoid
 * for Bernoulli visible units; ph1 = sigmoid(v1 W + c). Outputs are sums over the batch:
 * g = v^T ph0 - v1^T ph1, dvb = sum(v - v1), dhb = sum(ph0 - ph1), the squared reconstruction
 * error and the hidden activation sums; the update (momentum, decay, walking distances) stays
 * one fused JS pass in rbm.ts.
 */
import { GraphBuilder } from '../../graph/builder.ts';
import type { GraphDef } from '../../graph/graph.ts';

export function cd1Graph(gaussian: boolean): GraphDef {
  const g = new GraphBuilder(gaussian ? 'rbm_cd1_gaussian' : 'rbm_cd1');
  const v = g.input('v', ['N', 'I']);
  const w = g.input('w', ['I', 'J']);
  const b = g.input('b', ['I']);
  const c = g.input('c', ['J']);
  const u = g.input('u', ['N', 'J']);
  const ph0 = g.sigmoid(g.gemm(v, w, c));
  const h0 = g.cast(g.less(u, ph0), 'float32');
  const a = g.gemm(h0, w, b, { transB: true });
  const v1 = gaussian ? a : g.sigmoid(a);
  const ph1 = g.sigmoid(g.gemm(v1, w, c));
  const positive = g.gemm(v, ph0, null, { transA: true });
  g.output('g', g.gemm(v1, ph1, positive, { transA: true, alpha: -1, beta: 1 }), 'float32', ['I', 'J']);
  const diff = g.sub(v, v1);
  g.output('dvb', g.reduceSum(diff, [0], false), 'float32', ['I']);
  g.output('dhb', g.reduceSum(g.sub(ph0, ph1), [0], false), 'float32', ['J']);
  g.output('err', g.reduceSum(g.mul(diff, diff), [0, 1], false), 'float32', []);
  g.output('act', g.reduceSum(ph0, [0], false), 'float32', ['J']);
  return g.build();
}

/** P(h = 1 | v) = sigmoid(v W + c). */
export function hiddenProbabilitiesGraph(): GraphDef {
  const g = new GraphBuilder('rbm_hidden');
  const v = g.input('v', ['N', 'I']);
  const w = g.input('w', ['I', 'J']);
  const c = g.input('c', ['J']);
  g.output('h', g.sigmoid(g.gemm(v, w, c)), 'float32', ['N', 'J']);
  return g.build();
}

/**
 * Summed free energy of the rows: F(v) = -v.b - sum_j softplus(v W + c)_j for Bernoulli visible
 * units, and 0.5 |v - b|^2 - sum_j softplus(...) for Gaussian ones (unit variance).
 */
export function freeEnergyGraph(gaussian: boolean): GraphDef {
  const g = new GraphBuilder(gaussian ? 'rbm_free_energy_gaussian' : 'rbm_free_energy');
  const v = g.input('v', ['N', 'I']);
  const w = g.input('w', ['I', 'J']);
  const b = g.input('b', ['I']);
  const c = g.input('c', ['J']);
  const hidden = g.reduceSum(g.softplus(g.gemm(v, w, c)), [0, 1], false);
  let visible;
  if (gaussian) {
    const d = g.sub(v, b);
    visible = g.mul(g.reduceSum(g.mul(d, d), [0, 1], false), g.scalar(0.5));
  } else {
    visible = g.neg(g.reduceSum(g.mul(v, b), [0, 1], false));
  }
  g.output('f', g.sub(visible, hidden), 'float32', []);
  return g.build();
}
