/**
 * The CNN as engine graphs (NCHW, ONNX semantics): the training step as ONE graph (forward with
 * batch statistics, soft-target weighted cross-entropy, and the hand-written backward pass) and
 * the eval-mode inference graph with BN folded into the convolutions. Both have a symbolic batch
 * dimension 'N', so one compiled graph serves every batch including the last partial one; what
 * depends on the batch size (1/m of each BN block, the row weights divided by B) is fed.
 *
 * Backward, by hand, because ONNX Runtime's inference build has no gradient ops:
 * - dense layers: Gemm with transA / transB;
 * - ReLU: the incoming gradient times step(activation);
 * - BN (batch statistics): dZ = gamma * rstd * (dY - (dBeta + xhat * dGamma) / m);
 * - conv input: ConvTranspose with the forward filter;
 * - conv filter: a Conv over transposed tensors, X^T [C,N,H,W] convolved with dZ^T [M,N,H,W] as
 *   the kernel (kernel_shape [H,W], pads 1) gives [C,M,3,3], transposed to OIHW;
 * - max-pool: MaxPool's index output scattered back by MaxUnpool.
 */
import { GraphBuilder, type Value } from '../../graph/builder.ts';
import type { GraphDef } from '../../graph/graph.ts';
import type { CnnConfig } from './cnn-config.ts';
import { convChannels, engineShape, flatSize, NUM_CONV, NUM_OUT, type Params } from './cnn-layout.ts';

const PADS: [number, number, number, number] = [1, 1, 1, 1];
const CONV3 = { pads: PADS, kernel: [3, 3] as [number, number] };

/** Height and width entering conv i (a 2x2 pool follows every second conv). */
export function convInputSize(h: number, w: number, i: number): [number, number] {
  const pools = Math.floor(i / 2);
  let hh = h, ww = w;
  for (let k = 0; k < pools; k++) {
    hh = Math.floor(hh / 2);
    ww = Math.floor(ww / 2);
  }
  return [hh, ww];
}

/** Names of the trainable parameters in graph-input order. */
export function paramNames(): string[] {
  const names: string[] = [];
  for (let i = 0; i < NUM_CONV; i++) names.push(`conv${i}/w`, `bn${i}/gamma`, `bn${i}/beta`);
  names.push('dense0/w', 'dense0/b', 'dense1/w', 'dense1/b');
  return names;
}

/**
 * Inputs: x [N,1,H,W], targets [N,8], row_scale [N,1] (row weight / B), mask [N,flat] (when
 * dropout > 0: the keep-mask scaled by 1/(1-p)), inv_m{b} [1] for each of the three blocks
 * (1 / (N * H_b * W_b)), and every parameter under its own name (engine layout; BN vectors as
 * [1,C,1,1]). Outputs: grad/<param> for every parameter, bn{i}/mean and bn{i}/var (biased) as
 * [1,C,1,1], loss (the weighted mean over the batch, a scalar) and probs [N,8].
 */
export function cnnTrainStepGraph(cfg: CnnConfig, h: number, w: number): GraphDef {
  const g = new GraphBuilder(`cnn-train-${h}x${w}`);
  const x = g.input('x', ['N', 1, h, w]);
  const targets = g.input('targets', ['N', NUM_OUT]);
  const rowScale = g.input('row_scale', ['N', 1]);
  const mask = cfg.dropout > 0 ? g.input('mask', ['N', flatSize(cfg, h, w)]) : null;
  const invM = [0, 1, 2].map((b) => g.input(`inv_m${b}`, [1]));
  const p: Record<string, Value> = {};
  for (const name of paramNames()) p[name] = g.input(name, engineShape(cfg, h, w, name));
  const eps = g.scalar(cfg.bnEpsilon);
  const chanAxes = [0, 2, 3];

  interface LayerCache { input: Value; xhat: Value; rstd: Value; act: Value; idx: Value | null; hw: [number, number] }
  const cache: LayerCache[] = [];
  let a = x;
  for (let i = 0; i < NUM_CONV; i++) {
    const im = invM[Math.floor(i / 2)];
    const z = g.conv(a, p[`conv${i}/w`], null, CONV3);
    const mean = g.mul(g.reduceSum(z, chanAxes), im);
    const centred = g.sub(z, mean);
    const variance = g.mul(g.reduceSum(g.mul(centred, centred), chanAxes), im);
    const rstd = g.reciprocal(g.sqrt(g.add(variance, eps)));
    const xhat = g.mul(centred, rstd);
    const act = g.relu(g.add(g.mul(xhat, p[`bn${i}/gamma`]), p[`bn${i}/beta`]));
    g.output(`bn${i}/mean`, mean);
    g.output(`bn${i}/var`, variance);
    let idx: Value | null = null;
    let next = act;
    if (i % 2 === 1) [next, idx] = g.maxPoolWithIndices(act, 2);
    cache.push({ input: a, xhat, rstd, act, idx, hw: convInputSize(h, w, i) });
    a = next;
  }
  const flat = g.reshape(a, [0, -1]);
  const dropped = mask ? g.mul(flat, mask) : flat;
  const h1 = g.relu(g.gemm(dropped, p['dense0/w'], p['dense0/b']));
  const logits = g.gemm(h1, p['dense1/w'], p['dense1/b']);
  const logp = g.logSoftmax(logits, 1);
  const probs = g.exp(logp);
  const rowLoss = g.neg(g.reduceSum(g.mul(targets, logp), [1]));
  g.output('loss', g.reduceSum(g.mul(rowLoss, rowScale), [0, 1], false));
  g.output('probs', probs);

  // d(weighted mean loss)/dlogits = (softmax - target) * w_i / B.
  const dLogits = g.mul(g.sub(probs, targets), rowScale);
  g.output('grad/dense1/w', g.gemm(h1, dLogits, null, { transA: true }));
  g.output('grad/dense1/b', g.reduceSum(dLogits, [0], false));
  const dH1 = g.mul(g.gemm(dLogits, p['dense1/w'], null, { transB: true }), g.step(h1));
  g.output('grad/dense0/w', g.gemm(dropped, dH1, null, { transA: true }));
  g.output('grad/dense0/b', g.reduceSum(dH1, [0], false));
  let dFlat = g.gemm(dH1, p['dense0/w'], null, { transB: true });
  if (mask) dFlat = g.mul(dFlat, mask);
  let dA = g.reshape(dFlat, g.shape(a));
  for (let i = NUM_CONV - 1; i >= 0; i--) {
    const { input, xhat, rstd, act, idx, hw } = cache[i];
    const im = invM[Math.floor(i / 2)];
    if (idx) dA = g.maxUnpool(dA, idx, act, 2);
    const dY = g.mul(dA, g.step(act));
    const dBeta = g.reduceSum(dY, chanAxes);
    const dGamma = g.reduceSum(g.mul(dY, xhat), chanAxes);
    g.output(`grad/bn${i}/beta`, dBeta);
    g.output(`grad/bn${i}/gamma`, dGamma);
    const correction = g.add(g.mul(xhat, g.mul(dGamma, im)), g.mul(dBeta, im));
    const dZ = g.mul(g.sub(dY, correction), g.mul(p[`bn${i}/gamma`], rstd));
    const xT = g.transpose(input, [1, 0, 2, 3]);
    const dZT = g.transpose(dZ, [1, 0, 2, 3]);
    const gw = g.conv(xT, dZT, null, { pads: PADS, kernel: hw });
    g.output(`grad/conv${i}/w`, g.transpose(gw, [1, 0, 2, 3]));
    if (i > 0) dA = g.convTranspose(dZ, p[`conv${i}/w`], CONV3);
  }
  return g.build();
}

/** Names of the inference graph's weights: folded conv filters and biases, then the dense layers. */
export function inferenceWeightNames(): string[] {
  const names: string[] = [];
  for (let i = 0; i < NUM_CONV; i++) names.push(`conv${i}/w`, `conv${i}/b`);
  names.push('dense0/w', 'dense0/b', 'dense1/w', 'dense1/b');
  return names;
}

/** Shapes of the inference weights (engine layout). */
export function inferenceWeightShape(cfg: CnnConfig, h: number, w: number, name: string): number[] {
  const m = /^conv(\d)\/b$/.exec(name);
  if (m) return [convChannels(cfg)[Number(m[1])].cout];
  return engineShape(cfg, h, w, name);
}

/**
 * Eval-mode class probabilities: input x [N,1,H,W] in [0,1], output probs [N,8]. BN is folded
 * into each convolution (see foldBatchNorm). With `weights` the folded weights are baked in as
 * constants (the exported model); without, they are graph inputs fed by predict(), so one
 * compiled graph serves every epoch's weights.
 */
export function cnnInferenceGraph(cfg: CnnConfig, h: number, w: number, weights?: Params): GraphDef {
  const g = new GraphBuilder(`cnn-infer-${h}x${w}`);
  // An exported graph (weights baked in) names its ends as every exported model does.
  const x = g.input(weights ? 'pixels' : 'x', ['N', 1, h, w]);
  const p: Record<string, Value> = {};
  for (const name of inferenceWeightNames()) {
    const shape = inferenceWeightShape(cfg, h, w, name);
    if (!weights) p[name] = g.input(name, shape);
    else if (!weights[name]) throw new Error(`CNN inference graph: no weights for ${name}`);
    else p[name] = g.constant(weights[name], shape);
  }
  const h1 = hiddenLayer(g, x, p);
  g.output(weights ? 'probabilities' : 'probs', g.softmax(g.gemm(h1, p['dense1/w'], p['dense1/b']), 1));
  return g.build();
}

/** The convolutions and the hidden dense layer (ReLU): the network up to its penultimate layer. */
function hiddenLayer(g: GraphBuilder, x: Value, p: Record<string, Value>): Value {
  let a = x;
  for (let i = 0; i < NUM_CONV; i++) {
    a = g.relu(g.conv(a, p[`conv${i}/w`], p[`conv${i}/b`], CONV3));
    if (i % 2 === 1) a = g.maxPool(a, 2);
  }
  return g.relu(g.gemm(g.reshape(a, [0, -1]), p['dense0/w'], p['dense0/b']));
}

/**
 * Eval-mode penultimate features (the hidden dense layer after ReLU, [N, denseUnits]) for the
 * face map; weights fed as in cnnInferenceGraph, without the output layer's.
 */
export function cnnFeaturesGraph(cfg: CnnConfig, h: number, w: number): GraphDef {
  const g = new GraphBuilder(`cnn-features-${h}x${w}`);
  const x = g.input('x', ['N', 1, h, w]);
  const p: Record<string, Value> = {};
  for (const name of featureWeightNames()) p[name] = g.input(name, inferenceWeightShape(cfg, h, w, name));
  g.output('features', hiddenLayer(g, x, p));
  return g.build();
}

/** The inference weights the features graph reads (all but the output layer's). */
export function featureWeightNames(): string[] {
  return inferenceWeightNames().filter((n) => !n.startsWith('dense1/'));
}
