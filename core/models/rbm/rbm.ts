/**
 * A Bernoulli-Bernoulli RBM (optionally Gaussian-Bernoulli visible units) trained by CD-1
 * (METHOD.md section 2): sampled h for the negative phase, probabilities elsewhere, momentum
 * and weight decay. Parameters live in plain Float32Arrays (the source of truth for structure
 * changes and snapshots); tfjs does only the products, laid out for the wasm backend: no
 * product has a transposed operand, and the big weight matrices are only ever the left operand
 * (XNNPACK re-packs a right operand whose data are new, which W is every batch; that cost as
 * much as the product itself). So the batch works in the transposed layout: W^T is built in JS
 * (blocked), ph^T = sigmoid(W^T v^T + c), pv^T = sigmoid(W h^T + b), and the two gradient
 * products are fused into one [v0^T | pv1^T] [ph0; -ph1] product. The update (momentum, decay,
 * walking-distance statistics of METHOD 3.1) is one fused JS pass over W instead of half a
 * dozen tensor ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Matrix } from '../../train/types.ts';
import type { Rng } from '../../util/rng.ts';
import { gatherTransposed } from '../gather-transposed.ts';
import { removeUnits, splitUnits, type LayerParams } from './structure-ops.ts';

export interface RbmOptions {
  learningRate: number;
  momentumStart: number;
  momentumFinal: number;
  /** Epochs (of this layer) trained with momentumStart before switching to momentumFinal. */
  momentumSwitchEpoch: number;
  weightDecay: number;
  batchSize: number;
  /** Std of the initial weights. */
  initWeightStd: number;
  /** Rows (the first ones, a fixed sample) on which the mean free energy is measured. */
  freeEnergySampleSize: number;
  /** 'gaussian' expects standardised inputs and uses linear visible means. */
  visibleType: 'bernoulli' | 'gaussian';
  /** Std of the noise added to a split unit's copy. */
  splitNoise: number;
}

export const DEFAULT_RBM_OPTIONS: RbmOptions = {
  learningRate: 0.05,
  momentumStart: 0.5,
  momentumFinal: 0.9,
  momentumSwitchEpoch: 5,
  weightDecay: 1e-4,
  batchSize: 64,
  initWeightStd: 0.01,
  freeEnergySampleSize: 512,
  visibleType: 'bernoulli',
  splitNoise: 0.01,
};

export interface RbmEpochStats {
  /** Mean squared reconstruction error per visible unit over the epoch. */
  reconError: number;
  /** Mean free energy on the fixed sample after the epoch. */
  freeEnergy: number;
  /** Per hidden unit: std over batches of the bias update, divided by lr (METHOD 3.1). */
  wdC: Float32Array;
  /** Per hidden unit: std over batches of the RMS incoming-weight update, divided by lr. */
  wdW: Float32Array;
  /** Per hidden unit: mean of P(h_j = 1 | v) over the epoch's data. */
  meanActivation: Float32Array;
}

/**
 * The fused weight step of one batch: momentum, decay, the new weights, their transpose for
 * the next batch, and each unit's squared step (for its walking distance). Rows are taken in
 * blocks of 16 so that the transposed writes fill whole cache lines. A free function with
 * every array as a parameter keeps V8's code monomorphic and fast.
 */
function updateWeights(
  w: Float32Array, incW: Float32Array, g: Float32Array, wt: Float32Array, I: number, J: number,
  momentum: number, s: number, lrDecay: number, colSq: Float64Array,
): void {
  const B = 16;
  for (let i0 = 0; i0 < I; i0 += B) {
    const i1 = Math.min(I, i0 + B);
    for (let j = 0; j < J; j++) {
      let sq = 0;
      const tRow = j * I;
      for (let i = i0; i < i1; i++) {
        const k = i * J + j;
        const inc = momentum * incW[k] + s * g[k] - lrDecay * w[k];
        incW[k] = inc;
        const nw = w[k] + inc;
        w[k] = nw;
        wt[tRow + i] = nw;
        sq += inc * inc;
      }
      colSq[j] += sq;
    }
  }
}

export class Rbm {
  /** Epochs this layer has been trained (drives the momentum switch). */
  epochsTrained = 0;

  constructor(
    public params: LayerParams,
    readonly options: RbmOptions,
  ) {}

  static create(visible: number, hidden: number, options: RbmOptions, rng: Rng): Rbm {
    const w = new Float32Array(visible * hidden);
    for (let k = 0; k < w.length; k++) w[k] = options.initWeightStd * rng.normal();
    const params: LayerParams = {
      visible,
      hidden,
      w,
      b: new Float32Array(visible),
      c: new Float32Array(hidden),
      incW: new Float32Array(visible * hidden),
      incB: new Float32Array(visible),
      incC: new Float32Array(hidden),
    };
    return new Rbm(params, options);
  }

  get visible(): number {
    return this.params.visible;
  }

  get hidden(): number {
    return this.params.hidden;
  }

  /** One CD-1 epoch over `x` in an order shuffled by `rng`. */
  trainEpoch(x: Matrix, rng: Rng, onBatch?: (batch: number, batches: number) => void): RbmEpochStats {
    const { visible: I, hidden: J } = this.params;
    const o = this.options;
    const N = x.rows;
    const order = rng.shuffle(Int32Array.from({ length: N }, (_, k) => k)) as Int32Array;
    const momentum = this.epochsTrained < o.momentumSwitchEpoch ? o.momentumStart : o.momentumFinal;
    const lr = o.learningRate;
    const lrDecay = lr * o.weightDecay;
    const sumDc = new Float64Array(J);
    const sumDc2 = new Float64Array(J);
    const sumDw = new Float64Array(J);
    const sumDw2 = new Float64Array(J);
    const actSum = new Float64Array(J);
    const colSq = new Float64Array(J);
    let errSum = 0;
    const batches = Math.ceil(N / o.batchSize);
    const vtBuf = new Float32Array(o.batchSize * I);
    const uBuf = new Float32Array(o.batchSize * J);
    for (let bi = 0; bi < batches; bi++) {
      const start = bi * o.batchSize;
      const n = Math.min(o.batchSize, N - start);
      gatherTransposed(x, order, start, n, vtBuf);
      // Uniforms for sampling h0, in the transposed (unit-major) layout of ph0^T.
      for (let k = 0; k < n * J; k++) uBuf[k] = rng.next();
      const [g, dvb, dhb, err, act] = this.cd1Products(vtBuf.subarray(0, n * I), uBuf.subarray(0, n * J), n);
      // Fused update: momentum, decay, and each unit's squared weight step for its walking distance.
      const p = this.params;
      const s = lr / n;
      colSq.fill(0);
      const wt = this.wtBuf!;
      updateWeights(p.w, p.incW, g, wt, I, J, momentum, s, lrDecay, colSq);
      this.wtSource = p.w;
      for (let i = 0; i < I; i++) {
        const incB = momentum * p.incB[i] + s * dvb[i];
        p.incB[i] = incB;
        p.b[i] += incB;
      }
      for (let j = 0; j < J; j++) {
        const incC = momentum * p.incC[j] + s * dhb[j];
        p.incC[j] = incC;
        p.c[j] += incC;
        const dw = Math.sqrt(colSq[j] / I);
        sumDc[j] += incC;
        sumDc2[j] += incC * incC;
        sumDw[j] += dw;
        sumDw2[j] += dw * dw;
        actSum[j] += act[j];
      }
      errSum += err[0];
      onBatch?.(bi + 1, batches);
    }
    this.epochsTrained++;
    const std = (s1: number, s2: number) => Math.sqrt(Math.max(0, s2 / batches - (s1 / batches) ** 2));
    const wdC = new Float32Array(J);
    const wdW = new Float32Array(J);
    const meanActivation = new Float32Array(J);
    for (let j = 0; j < J; j++) {
      wdC[j] = std(sumDc[j], sumDc2[j]) / lr;
      wdW[j] = std(sumDw[j], sumDw2[j]) / lr;
      meanActivation[j] = actSum[j] / N;
    }
    return { reconError: errSum / (N * I), freeEnergy: this.freeEnergy(x), wdC, wdW, meanActivation };
  }

  /**
   * W^T of the current weights. The fused update keeps it current batch after batch; it is
   * rebuilt (blocked, so reads and writes stay in cache) when the weight array was replaced.
   */
  private transposedWeights(): Float32Array {
    const { visible: I, hidden: J, w } = this.params;
    if (this.wtBuf && this.wtSource === w && this.wtBuf.length === I * J) return this.wtBuf;
    if (!this.wtBuf || this.wtBuf.length !== I * J) this.wtBuf = new Float32Array(I * J);
    this.wtSource = w;
    const wt = this.wtBuf;
    const B = 32;
    for (let i0 = 0; i0 < I; i0 += B) {
      const i1 = Math.min(I, i0 + B);
      for (let j0 = 0; j0 < J; j0 += B) {
        const j1 = Math.min(J, j0 + B);
        for (let i = i0; i < i1; i++) {
          const row = i * J;
          for (let j = j0; j < j1; j++) wt[j * I + i] = w[row + j];
        }
      }
    }
    return wt;
  }

  private wtBuf: Float32Array | null = null;
  /** The weight array wtBuf is the transpose of (structure changes and restores replace it). */
  private wtSource: Float32Array | null = null;

  /**
   * The CD-1 products of one batch from v^T (I x n) and uniforms (J x n): the gradient sum
   * (I x J), visible and hidden bias sums, squared reconstruction error, activation sums.
   */
  private cd1Products(vt: Float32Array, u: Float32Array, n: number): Float32Array[] {
    const { visible: I, hidden: J } = this.params;
    const gaussian = this.options.visibleType === 'gaussian';
    const wt = this.transposedWeights();
    const outs = tf.tidy(() => {
      const W = tf.tensor2d(this.params.w, [I, J]);
      const WT = tf.tensor2d(wt, [J, I]);
      const cCol = tf.tensor2d(this.params.c, [J, 1]);
      const bCol = tf.tensor2d(this.params.b, [I, 1]);
      const v0T = tf.tensor2d(vt, [I, n]);
      const ph0T = tf.sigmoid(tf.add(tf.matMul(WT, v0T), cCol));
      const h0T = tf.cast(tf.less(tf.tensor2d(u, [J, n]), ph0T), 'float32');
      const aT = tf.add(tf.matMul(W, h0T), bCol);
      const pv1T = gaussian ? aT : tf.sigmoid(aT);
      const ph1T = tf.sigmoid(tf.add(tf.matMul(WT, pv1T), cCol));
      const H = tf.concat([tf.transpose(ph0T), tf.neg(tf.transpose(ph1T))], 0);
      const g = tf.matMul(tf.concat([v0T, pv1T], 1), H);
      const onesCol = tf.ones([n, 1]);
      const diffVT = tf.sub(v0T, pv1T);
      const dvb = tf.matMul(diffVT, onesCol);
      const dhb = tf.matMul(tf.sub(ph0T, ph1T), onesCol);
      const err = tf.sum(tf.square(diffVT));
      const act = tf.matMul(ph0T, onesCol);
      return [g, dvb, dhb, err, act];
    });
    const arrays = outs.map((t) => t.dataSync() as Float32Array);
    for (const t of outs) t.dispose();
    return arrays;
  }

  /** P(h = 1 | v) for every row of x (rows x hidden). */
  hiddenProbabilities(x: Matrix, chunk = 512): Float32Array {
    const { visible: I, hidden: J } = this.params;
    const out = new Float32Array(x.rows * J);
    const W = tf.tensor2d(this.params.w, [I, J]);
    const c = tf.tensor1d(this.params.c);
    for (let start = 0; start < x.rows; start += chunk) {
      const n = Math.min(chunk, x.rows - start);
      const p = tf.tidy(() => tf.sigmoid(tf.add(tf.matMul(tf.tensor2d(x.data.subarray(start * I, (start + n) * I), [n, I]), W), c)));
      out.set(p.dataSync(), start * J);
      p.dispose();
    }
    W.dispose();
    c.dispose();
    return out;
  }

  /** Mean free energy over the fixed sample (the first freeEnergySampleSize rows). */
  freeEnergy(x: Matrix): number {
    const { visible: I, hidden: J } = this.params;
    const n = Math.min(this.options.freeEnergySampleSize, x.rows);
    const gaussian = this.options.visibleType === 'gaussian';
    const fe = tf.tidy(() => {
      const v = tf.tensor2d(x.data.subarray(0, n * I), [n, I]);
      const b = tf.tensor2d(this.params.b, [I, 1]);
      const hidden = tf.sum(tf.softplus(tf.add(tf.matMul(v, tf.tensor2d(this.params.w, [I, J])), tf.tensor1d(this.params.c))), 1);
      const visibleTerm = gaussian
        ? tf.mul(tf.sum(tf.square(tf.sub(v, tf.reshape(b, [1, I]))), 1), 0.5)
        : tf.neg(tf.reshape(tf.matMul(v, b), [n]));
      return tf.mean(tf.sub(visibleTerm, hidden));
    });
    const value = fe.dataSync()[0];
    fe.dispose();
    return value;
  }

  /** Appends a noisy twin of each unit in `units` (METHOD 3.2). */
  split(units: number[], rng: Rng): void {
    if (units.length) this.params = splitUnits(this.params, units, this.options.splitNoise, rng);
  }

  /** Removes the hidden units in `units` (METHOD 3.3). */
  remove(units: number[]): void {
    if (units.length) this.params = removeUnits(this.params, units);
  }
}
