/**
 * The fine-tuning network's computations (METHOD.md 3.5) as engine graphs: L dense layers,
 * sigmoid between them and a softmax output. The training step is the forward pass, the
 * soft-target cross-entropy weighted per row, and the hand-written backward pass:
 *   d_L = (softmax(z) - t) * rw / n;  gW_l = a_l^T d_l;  gb_l = sum_rows d_l;
 *   d_{l-1} = (d_l W_l^T) * a_l * (1 - a_l).
 * Adam stays one fused JS pass per array (mlp.ts). Layer sizes are symbolic, so a graph
 * depends only on the number of layers. With `weights`, the parameters are baked in as
 * constants: that is the inference graph a model export writes.
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { GraphDef } from '../../graph/graph.ts';

export function mlpStepGraph(layers: number): GraphDef {
  const g = new GraphBuilder(`mlp_step_${layers}`);
  const x = g.input('x', ['N', 'I']);
  const t = g.input('t', ['N', 'K']);
  /** Per-row loss weight divided by the batch size. */
  const rwn = g.input('rwn', ['N', 1]);
  const W: Value[] = [];
  const B: Value[] = [];
  for (let l = 0; l < layers; l++) {
    W.push(g.input(`w${l}`, [`I${l}`, `O${l}`]));
    B.push(g.input(`b${l}`, [`O${l}`]));
  }
  const acts: Value[] = [x];
  for (let l = 0; l < layers - 1; l++) acts.push(g.sigmoid(g.gemm(acts[l], W[l], B[l])));
  const z = g.gemm(acts[layers - 1], W[layers - 1], B[layers - 1]);
  const logp = g.logSoftmax(z, 1);
  const p = g.exp(logp);
  g.output('probs', p, 'float32', ['N', 'K']);
  // Mean weighted loss: sum_r rw_r * (-sum_k t_rk log p_rk) / n.
  g.output('loss', g.neg(g.reduceSum(g.mul(g.mul(t, logp), rwn), [0, 1], false)), 'float32', []);
  let d = g.mul(g.sub(p, t), rwn);
  for (let l = layers - 1; l >= 0; l--) {
    g.output(`gw${l}`, g.gemm(acts[l], d, null, { transA: true }), 'float32', [`I${l}`, `O${l}`]);
    g.output(`gb${l}`, g.reduceSum(d, [0], false), 'float32', [`O${l}`]);
    if (l > 0) {
      const a = acts[l];
      d = g.mul(g.gemm(d, W[l], null, { transB: true }), g.mul(a, g.sub(g.scalar(1), a)));
    }
  }
  return g.build();
}

/** Class probabilities; parameters as inputs, or baked in from `weights` (for export). */
export function mlpPredictGraph(layers: number, weights?: { w: Float32Array; b: Float32Array; inputs: number; outputs: number }[]): GraphDef {
  const g = new GraphBuilder(weights ? 'dbn_classifier' : `mlp_predict_${layers}`);
  const x = g.input(weights ? 'pixels' : 'x', weights ? ['N', weights[0].inputs] : ['N', 'I']);
  let a = x;
  for (let l = 0; l < layers; l++) {
    const w = weights ? g.constant(weights[l].w, [weights[l].inputs, weights[l].outputs]) : g.input(`w${l}`, [`I${l}`, `O${l}`]);
    const b = weights ? g.constant(weights[l].b, [weights[l].outputs]) : g.input(`b${l}`, [`O${l}`]);
    const z = g.gemm(a, w, b);
    a = l < layers - 1 ? g.sigmoid(z) : g.softmax(z, 1);
  }
  g.output(weights ? 'probabilities' : 'probs', a, 'float32', ['N', weights ? weights[layers - 1].outputs : 'K']);
  return g.build();
}

/** The last hidden layer's activations (sigmoid) of an MLP with `layers` layers: its penultimate features, for the face map. */
export function mlpHiddenGraph(layers: number): GraphDef {
  if (layers < 2) throw new Error(`an MLP of ${layers} layer has no hidden layer`);
  const g = new GraphBuilder(`mlp_hidden_${layers}`);
  let a = g.input('x', ['N', 'I']);
  for (let l = 0; l < layers - 1; l++) a = g.sigmoid(g.gemm(a, g.input(`w${l}`, [`I${l}`, `O${l}`]), g.input(`b${l}`, [`O${l}`])));
  g.output('hidden', a, 'float32', ['N', 'H']);
  return g.build();
}
