/**
 * The fine-tuning network of METHOD.md 3.5: sigmoid hidden layers (initialised from the RBM
 * stack) and a softmax output, trained by backpropagation with Adam on soft or one-hot
 * targets (soft-target cross-entropy), optional per-row weights for class weighting. The
 * forward and hand-written backward passes are one engine graph (mlp-graphs.ts) run on the
 * process's runtime; Adam is one fused JS pass per parameter array (weights live in
 * Float32Arrays, the source of truth for snapshots).
 */
import { forEachBlock, readRow, rowBlock } from '../../train/matrix-rows.ts';
import type { Matrix } from '../../train/types.ts';
import type { Rng } from '../../util/rng.ts';
import { compiled } from '../../runtime/select-runtime.ts';
import type { Feed } from '../../runtime/runtime.ts';
import { mlpHiddenGraph, mlpPredictGraph, mlpStepGraph } from './mlp-graphs.ts';
import { LOG_EPSILON } from '../../util/log-epsilon.ts';

export interface MlpOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  batchSize: number;
  /** Std of the initial weights of layers not initialised from an RBM (the softmax layer). */
  initWeightStd: number;
}

export const DEFAULT_MLP_OPTIONS: MlpOptions = {
  learningRate: 1e-3,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-8,
  batchSize: 64,
  initWeightStd: 0.01,
};

/** One dense layer: w is inputs x outputs row-major; m*, v* are Adam's moments. */
export interface DenseLayer {
  inputs: number;
  outputs: number;
  w: Float32Array;
  b: Float32Array;
  mW: Float32Array;
  vW: Float32Array;
  mB: Float32Array;
  vB: Float32Array;
}

export function makeDenseLayer(inputs: number, outputs: number, w: Float32Array, b: Float32Array): DenseLayer {
  const n = inputs * outputs;
  return { inputs, outputs, w, b, mW: new Float32Array(n), vW: new Float32Array(n), mB: new Float32Array(outputs), vB: new Float32Array(outputs) };
}

export class Mlp {
  /** Adam step counter. */
  adamStep = 0;

  constructor(
    public layers: DenseLayer[],
    readonly options: MlpOptions,
  ) {}

  /** Hidden layers from given (w, b) pairs, plus a fresh softmax layer of `classes` outputs. */
  static fromPretrained(hidden: { inputs: number; outputs: number; w: Float32Array; b: Float32Array }[], inputs: number, classes: number, options: MlpOptions, rng: Rng): Mlp {
    const layers = hidden.map((h) => makeDenseLayer(h.inputs, h.outputs, h.w.slice(), h.b.slice()));
    const last = layers.length ? layers[layers.length - 1].outputs : inputs;
    const w = new Float32Array(last * classes);
    for (let k = 0; k < w.length; k++) w[k] = options.initWeightStd * rng.normal();
    layers.push(makeDenseLayer(last, classes, w, new Float32Array(classes)));
    return new Mlp(layers, options);
  }

  /**
   * One epoch in an order shuffled by `rng`. `targets` is rows x classes (one-hot or soft,
   * rows summing to 1); `rowWeights` (or null for 1) scales each row's loss.
   */
  trainEpoch(x: Matrix, targets: Float32Array, rowWeights: Float32Array | null, rng: Rng, onBatch?: (batch: number, batches: number) => void): { loss: number; accuracy: number } {
    const I = x.cols;
    const K = this.layers[this.layers.length - 1].outputs;
    const o = this.options;
    const N = x.rows;
    const order = rng.shuffle(Int32Array.from({ length: N }, (_, k) => k)) as Int32Array;
    const batches = Math.ceil(N / o.batchSize);
    const xBuf = new Float32Array(o.batchSize * I);
    const tBuf = new Float32Array(o.batchSize * K);
    const wBuf = new Float32Array(o.batchSize);
    let lossSum = 0;
    let correct = 0;
    for (let bi = 0; bi < batches; bi++) {
      const start = bi * o.batchSize;
      const n = Math.min(o.batchSize, N - start);
      for (let r = 0; r < n; r++) {
        const row = order[start + r];
        readRow(x, row, xBuf, r * I);
        tBuf.set(targets.subarray(row * K, row * K + K), r * K);
        wBuf[r] = rowWeights ? rowWeights[row] : 1;
      }
      const { grads, loss, probs } = this.backprop(xBuf.subarray(0, n * I), tBuf.subarray(0, n * K), wBuf.subarray(0, n), n);
      lossSum += loss * n;
      for (let r = 0; r < n; r++) {
        let best = 0;
        let bestT = 0;
        for (let k = 1; k < K; k++) {
          if (probs[r * K + k] > probs[r * K + best]) best = k;
          if (tBuf[r * K + k] > tBuf[r * K + bestT]) bestT = k;
        }
        if (best === bestT) correct++;
      }
      this.adamUpdate(grads);
      onBatch?.(bi + 1, batches);
    }
    return { loss: lossSum / N, accuracy: correct / N };
  }

  /** Parameters as graph feeds (w0, b0, w1, ...). */
  private paramFeeds(): Record<string, Feed> {
    const feeds: Record<string, Feed> = {};
    this.layers.forEach((l, i) => {
      feeds[`w${i}`] = { data: l.w, dims: [l.inputs, l.outputs] };
      feeds[`b${i}`] = { data: l.b, dims: [l.outputs] };
    });
    return feeds;
  }

  /** Forward and hand-written backward pass of one batch (x row-major): gradients (w, b per layer), mean loss, probabilities. */
  private backprop(x: Float32Array, t: Float32Array, rw: Float32Array, n: number) {
    const L = this.layers.length;
    const K = this.layers[L - 1].outputs;
    const I = this.layers[0].inputs;
    const rwn = new Float32Array(n);
    for (let r = 0; r < n; r++) rwn[r] = rw[r] / n;
    const exe = compiled(`mlp_step_${L}`, () => mlpStepGraph(L));
    const o = exe.run({
      ...this.paramFeeds(),
      x: { data: x, dims: [n, I] }, t: { data: t, dims: [n, K] }, rwn: { data: rwn, dims: [n, 1] },
    });
    const grads: Float32Array[] = [];
    for (let l = 0; l < L; l++) grads.push(o[`gw${l}`].data, o[`gb${l}`].data);
    return { grads, loss: o.loss.data[0], probs: o.probs.data };
  }

  /** Mean loss and gradients (w, b per layer) for a batch given as a matrix (used by tests and tools). */
  lossAndGradients(x: Matrix, targets: Float32Array, rowWeights: Float32Array | null): { loss: number; grads: Float32Array[] } {
    const rw = rowWeights ?? new Float32Array(x.rows).fill(1);
    const { grads, loss } = this.backprop(rowBlock(x, 0, x.rows), targets, rw, x.rows);
    return { loss, grads };
  }

  /** Adam (PyTorch's form: eps added to sqrt of the bias-corrected second moment), fused per array. */
  private adamUpdate(grads: Float32Array[]): void {
    const o = this.options;
    this.adamStep++;
    const bc1 = 1 - o.beta1 ** this.adamStep;
    const bc2 = Math.sqrt(1 - o.beta2 ** this.adamStep);
    const stepSize = o.learningRate / bc1;
    const b1 = o.beta1;
    const b2 = o.beta2;
    const eps = o.epsilon;
    const apply = (w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array) => {
      for (let k = 0; k < w.length; k++) {
        const gk = g[k];
        const mk = b1 * m[k] + (1 - b1) * gk;
        const vk = b2 * v[k] + (1 - b2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        w[k] -= (stepSize * mk) / (Math.sqrt(vk) / bc2 + eps);
      }
    };
    this.layers.forEach((l, i) => {
      apply(l.w, l.mW, l.vW, grads[2 * i]);
      apply(l.b, l.mB, l.vB, grads[2 * i + 1]);
    });
  }

  /** Kept for callers that change weights in place: the engine reads the arrays each batch, so nothing is cached. */
  weightsChanged(): void {}

  /** Class probabilities (rows x classes). */
  predict(x: Matrix, chunk = 256): Float32Array {
    const L = this.layers.length;
    const K = this.layers[L - 1].outputs;
    const out = new Float32Array(x.rows * K);
    const exe = compiled(`mlp_predict_${L}`, () => mlpPredictGraph(L));
    const params = this.paramFeeds();
    forEachBlock(x, (block, start, n) => {
      const p = exe.run({ ...params, x: { data: block, dims: [n, x.cols] } }).probs.data;
      out.set(p, start * K);
    }, chunk);
    return out;
  }
}

/** The last hidden layer's activations (rows x its units), the penultimate features. */
export function mlpHidden(mlp: Mlp, x: Matrix, chunk = 256): Matrix {
  const L = mlp.layers.length;
  if (L < 2) throw new Error('this network has no hidden layer to take features from');
  const H = mlp.layers[L - 2].outputs;
  const out = new Float32Array(x.rows * H);
  const exe = compiled(`mlp_hidden_${L}`, () => mlpHiddenGraph(L));
  const params: Record<string, Feed> = {};
  mlp.layers.slice(0, L - 1).forEach((l, i) => {
    params[`w${i}`] = { data: l.w, dims: [l.inputs, l.outputs] };
    params[`b${i}`] = { data: l.b, dims: [l.outputs] };
  });
  let buf: Float32Array | undefined;
  for (let start = 0; start < x.rows; start += chunk) {
    const n = Math.min(chunk, x.rows - start);
    buf = rowBlock(x, start, n, buf);
    out.set(exe.run({ ...params, x: { data: buf, dims: [n, x.cols] } }).hidden.data, start * H);
  }
  return { data: out, rows: x.rows, cols: H };
}

/** Mean cross-entropy and accuracy of probabilities against hard labels. */
export function scoreProbabilities(probs: Float32Array, y: Int32Array, classes: number): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  for (let r = 0; r < y.length; r++) {
    let best = 0;
    for (let k = 1; k < classes; k++) if (probs[r * classes + k] > probs[r * classes + best]) best = k;
    if (best === y[r]) correct++;
    loss -= Math.log(Math.max(probs[r * classes + y[r]], LOG_EPSILON));
  }
  return { loss: loss / Math.max(1, y.length), accuracy: correct / Math.max(1, y.length) };
}
