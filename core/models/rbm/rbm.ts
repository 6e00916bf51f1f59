/**
 * A Bernoulli-Bernoulli RBM (optionally Gaussian-Bernoulli visible units) trained by CD-1
 * (METHOD.md section 2): sampled h for the negative phase, probabilities elsewhere, momentum
 * and weight decay. Parameters live in plain Float32Arrays (the source of truth for structure
 * changes and snapshots). The products run as engine graphs (rbm-graphs.ts) on the process's
 * runtime (ONNX Runtime on every core but one by default, or tfjs); the update (momentum,
 * decay, walking-distance statistics of METHOD 3.1) is one fused JS pass over W.
 */
import type { Matrix } from '../../train/types.ts';
import type { Rng } from '../../util/rng.ts';
import { forEachBlock, readRow, rowBlock } from '../../train/matrix-rows.ts';
import { compiled } from '../../runtime/select-runtime.ts';
import { cd1Graph, freeEnergyGraph, hiddenProbabilitiesGraph } from './rbm-graphs.ts';
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
 * The fused weight step of one batch: momentum, decay, the new weights and each unit's squared
 * step (for its walking distance). A free function with every array as a parameter keeps V8's
 * code monomorphic and fast.
 */
function updateWeights(
  w: Float32Array, incW: Float32Array, g: Float32Array, I: number, J: number,
  momentum: number, s: number, lrDecay: number, colSq: Float64Array,
): void {
  for (let i = 0; i < I; i++) {
    const row = i * J;
    for (let j = 0; j < J; j++) {
      const k = row + j;
      const inc = momentum * incW[k] + s * g[k] - lrDecay * w[k];
      incW[k] = inc;
      w[k] += inc;
      colSq[j] += inc * inc;
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
    const vBuf = new Float32Array(o.batchSize * I);
    const uBuf = new Float32Array(o.batchSize * J);
    for (let bi = 0; bi < batches; bi++) {
      const start = bi * o.batchSize;
      const n = Math.min(o.batchSize, N - start);
      for (let r = 0; r < n; r++) {
        readRow(x, order[start + r], vBuf, r * I);
      }
      // Uniforms for sampling h0, row-major like ph0.
      for (let k = 0; k < n * J; k++) uBuf[k] = rng.next();
      const [g, dvb, dhb, err, act] = this.cd1Products(vBuf.subarray(0, n * I), uBuf.subarray(0, n * J), n);
      // Fused update: momentum, decay, and each unit's squared weight step for its walking distance.
      const p = this.params;
      const s = lr / n;
      colSq.fill(0);
      updateWeights(p.w, p.incW, g, I, J, momentum, s, lrDecay, colSq);
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
   * The CD-1 sums of one batch from v (n x I) and uniforms (n x J): the gradient sum (I x J),
   * visible and hidden bias sums, squared reconstruction error, activation sums.
   */
  private cd1Products(v: Float32Array, u: Float32Array, n: number): Float32Array[] {
    const { visible: I, hidden: J, w, b, c } = this.params;
    const gaussian = this.options.visibleType === 'gaussian';
    const exe = compiled(gaussian ? 'rbm_cd1_gaussian' : 'rbm_cd1', () => cd1Graph(gaussian));
    const o = exe.run({
      v: { data: v, dims: [n, I] }, w: { data: w, dims: [I, J] }, b: { data: b, dims: [I] },
      c: { data: c, dims: [J] }, u: { data: u, dims: [n, J] },
    });
    return [o.g.data, o.dvb.data, o.dhb.data, o.err.data, o.act.data];
  }

  /** P(h = 1 | v) for every row of x (rows x hidden). */
  hiddenProbabilities(x: Matrix, chunk = 512): Float32Array {
    const { visible: I, hidden: J, w, c } = this.params;
    const out = new Float32Array(x.rows * J);
    const exe = compiled('rbm_hidden', hiddenProbabilitiesGraph);
    forEachBlock(x, (v, start, n) => {
      const h = exe.run({ v: { data: v, dims: [n, I] }, w: { data: w, dims: [I, J] }, c: { data: c, dims: [J] } }).h.data;
      out.set(h, start * J);
    }, chunk);
    return out;
  }

  /** Mean free energy over the fixed sample (the first freeEnergySampleSize rows). */
  freeEnergy(x: Matrix): number {
    const { visible: I, hidden: J, w, b, c } = this.params;
    const n = Math.min(this.options.freeEnergySampleSize, x.rows);
    if (n === 0) return 0;
    const gaussian = this.options.visibleType === 'gaussian';
    const exe = compiled(gaussian ? 'rbm_free_energy_gaussian' : 'rbm_free_energy', () => freeEnergyGraph(gaussian));
    const f = exe.run({
      v: { data: rowBlock(x, 0, n), dims: [n, I] }, w: { data: w, dims: [I, J] }, b: { data: b, dims: [I] }, c: { data: c, dims: [J] },
    }).f.data[0];
    return f / n;
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
