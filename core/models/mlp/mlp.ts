/**
 * The fine-tuning network of METHOD.md 3.5: sigmoid hidden layers (initialised from the RBM
 * stack) and a softmax output, trained by backpropagation with Adam on soft or one-hot
 * targets (soft-target cross-entropy), optional per-row weights for class weighting. The
 * backward pass and Adam are written by hand: tfjs-core's Node bundle has no gradient
 * functions, and autodiff would produce transposed products that are slow on wasm. Layouts:
 * the batch's x^T is built in JS, small activations are transposed explicitly, Adam is one
 * fused JS pass per parameter array (weights live in Float32Arrays, uploaded per batch). The
 * first layer (the big one) runs as W1^T x^T so that its weights are the left operand: XNNPACK
 * re-packs a right operand whose data are new, which the weights are every batch; Adam's pass
 * over W1 also writes W1^T for the next batch.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../../train/types.ts';
import type { Rng } from '../../util/rng.ts';
import { gatherTransposed } from '../gather-transposed.ts';
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

/** Adam over an inputs x outputs weight array that also writes its transpose (rows in blocks of 16, for cache lines). */
function adamTransposed(
  w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, wt: Float32Array, I: number, J: number,
  b1: number, b2: number, stepSize: number, bc2: number, eps: number,
): void {
  const B = 16;
  for (let i0 = 0; i0 < I; i0 += B) {
    const i1 = Math.min(I, i0 + B);
    for (let j = 0; j < J; j++) {
      const tRow = j * I;
      for (let i = i0; i < i1; i++) {
        const k = i * J + j;
        const gk = g[k];
        const mk = b1 * m[k] + (1 - b1) * gk;
        const vk = b2 * v[k] + (1 - b2) * gk * gk;
        m[k] = mk;
        v[k] = vk;
        const nw = w[k] - (stepSize * mk) / (Math.sqrt(vk) / bc2 + eps);
        w[k] = nw;
        wt[tRow + i] = nw;
      }
    }
  }
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
    const xtBuf = new Float32Array(o.batchSize * I);
    const tBuf = new Float32Array(o.batchSize * K);
    const wBuf = new Float32Array(o.batchSize);
    let lossSum = 0;
    let correct = 0;
    for (let bi = 0; bi < batches; bi++) {
      const start = bi * o.batchSize;
      const n = Math.min(o.batchSize, N - start);
      gatherTransposed(x, order, start, n, xtBuf);
      for (let r = 0; r < n; r++) {
        const row = order[start + r];
        tBuf.set(targets.subarray(row * K, row * K + K), r * K);
        wBuf[r] = rowWeights ? rowWeights[row] : 1;
      }
      const { grads, loss, probs } = this.backprop(xtBuf.subarray(0, n * I), tBuf.subarray(0, n * K), wBuf.subarray(0, n), n);
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

  /** Forward and hand-written backward pass of one batch: gradients (w, b per layer), mean loss, probabilities. */
  private backprop(xt: Float32Array, t: Float32Array, rw: Float32Array, n: number) {
    const L = this.layers.length;
    const first = this.layers[0];
    const w1t = this.firstLayerTransposed();
    const outs = tf.tidy(() => {
      const Ws = this.layers.map((l) => tf.tensor2d(l.w, [l.inputs, l.outputs]));
      const xT = tf.tensor2d(xt, [first.inputs, n]);
      const z1 = tf.transpose(tf.add(tf.matMul(tf.tensor2d(w1t, [first.outputs, first.inputs]), xT), tf.tensor2d(first.b, [first.outputs, 1])));
      const acts: tf.Tensor2D[] = [xT];
      const pre = (l: number) => (l === 0 ? z1 : tf.add(tf.matMul(acts[l], Ws[l]), tf.tensor1d(this.layers[l].b)));
      for (let l = 0; l < L - 1; l++) acts.push(tf.sigmoid(pre(l)) as tf.Tensor2D);
      const z = pre(L - 1);
      const logp = tf.logSoftmax(z);
      const p = tf.exp(logp);
      const T = tf.tensor2d(t, [n, this.layers[L - 1].outputs]);
      const rowW = tf.tensor2d(rw, [n, 1]);
      const loss = tf.div(tf.sum(tf.mul(tf.neg(tf.sum(tf.mul(T, logp), 1, true)), rowW)), n);
      // d(loss)/dz for softmax + cross-entropy with soft targets summing to 1.
      let d: tf.Tensor2D = tf.div(tf.mul(tf.sub(p, T), rowW), n);
      const ones = tf.ones([1, n]);
      const grads: tf.Tensor[] = [];
      for (let l = L - 1; l >= 0; l--) {
        const aT = l === 0 ? xT : tf.transpose(acts[l]);
        grads[2 * l] = tf.matMul(aT, d);
        grads[2 * l + 1] = tf.matMul(ones, d);
        if (l > 0) {
          const a = acts[l];
          d = tf.mul(tf.matMul(d, tf.transpose(Ws[l])), tf.mul(a, tf.sub(1, a)));
        }
      }
      return [...grads, loss, p];
    });
    const arrays = outs.map((o) => o.dataSync() as Float32Array);
    for (const o of outs) o.dispose();
    return { grads: arrays.slice(0, 2 * L), loss: arrays[2 * L][0], probs: arrays[2 * L + 1] };
  }

  /** Mean loss and gradients (w, b per layer) for a batch given as a matrix (used by tests and tools). */
  lossAndGradients(x: Matrix, targets: Float32Array, rowWeights: Float32Array | null): { loss: number; grads: Float32Array[] } {
    const xt = new Float32Array(x.rows * x.cols);
    for (let r = 0; r < x.rows; r++) for (let i = 0; i < x.cols; i++) xt[i * x.rows + r] = x.data[r * x.cols + i];
    const rw = rowWeights ?? new Float32Array(x.rows).fill(1);
    this.weightsChanged();
    const { grads, loss } = this.backprop(xt, targets, rw, x.rows);
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
      if (i === 0 && this.w1t) {
        adamTransposed(l.w, l.mW, l.vW, grads[0], this.w1t, l.inputs, l.outputs, b1, b2, stepSize, bc2, eps);
        this.w1tSource = l.w;
      } else {
        apply(l.w, l.mW, l.vW, grads[2 * i]);
      }
      apply(l.b, l.mB, l.vB, grads[2 * i + 1]);
    });
  }

  private w1t: Float32Array | null = null;
  /** The first-layer weight array w1t is the transpose of. */
  private w1tSource: Float32Array | null = null;

  /** Call after changing weights in place from outside (the cached W1^T is then rebuilt). */
  weightsChanged(): void {
    this.w1tSource = null;
  }

  private firstLayerTransposed(): Float32Array {
    const l = this.layers[0];
    if (this.w1t && this.w1tSource === l.w) return this.w1t;
    const I = l.inputs;
    const J = l.outputs;
    if (!this.w1t || this.w1t.length !== I * J) this.w1t = new Float32Array(I * J);
    const wt = this.w1t;
    for (let i = 0; i < I; i++) for (let j = 0; j < J; j++) wt[j * I + i] = l.w[i * J + j];
    this.w1tSource = l.w;
    return wt;
  }

  /** Class probabilities (rows x classes). */
  predict(x: Matrix, chunk = 256): Float32Array {
    const L = this.layers.length;
    const K = this.layers[L - 1].outputs;
    const out = new Float32Array(x.rows * K);
    const params = this.layers.map((l) => [tf.tensor2d(l.w, [l.inputs, l.outputs]), tf.tensor1d(l.b)] as const);
    for (let start = 0; start < x.rows; start += chunk) {
      const n = Math.min(chunk, x.rows - start);
      const p = tf.tidy(() => {
        let a: tf.Tensor2D = tf.tensor2d(x.data.subarray(start * x.cols, (start + n) * x.cols), [n, x.cols]);
        for (let l = 0; l < L; l++) {
          const z = tf.add(tf.matMul(a, params[l][0]), params[l][1]) as tf.Tensor2D;
          a = l < L - 1 ? tf.sigmoid(z) : tf.softmax(z);
        }
        return a;
      });
      out.set(p.dataSync(), start * K);
      p.dispose();
    }
    for (const [w, b] of params) {
      w.dispose();
      b.dispose();
    }
    return out;
  }
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
