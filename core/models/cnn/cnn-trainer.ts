/**
 * The CNN baseline as a ModelTrainer (core/train/types.ts): one `step` is one epoch of
 * mini-batch Adam over shuffled, augmented training images with per-batch progress, followed by
 * validation and early stopping (the best weights by validation loss are kept and restored when
 * training stops). Every random draw (init, shuffle, augmentation, dropout) comes from one
 * restorable Rng, and Adam is applied by hand on plain tensors, so `snapshot()` captures the
 * complete state and a restored trainer continues bit-identically.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { BatchProgress, EpochReport, Matrix, ModelSnapshot, ModelTrainer, TrainingData } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';
import { augmentBatch, gatherRows } from './augment.ts';
import { resolveCnnConfig } from './cnn-config.ts';
import type { CnnConfig } from './cnn-config.ts';
import { flatSize, forwardBackward, inferLogits, initParams, initRunningStats, NUM_OUT, paramShapes } from './cnn-net.ts';
import type { Params, RunningStats } from './cnn-net.ts';
import { classWeightsFor } from './targets.ts';
import { targetMatrix } from '../../train/training-targets.ts';

const PHASE = 'supervised';

interface TrainerState {
  epoch: number;
  adamStep: number;
  bestValidLoss: number;
  badEpochs: number;
  done: boolean;
  rng: { s: number; spare: number | null };
}

export class CnnTrainer implements ModelTrainer {
  readonly kind = 'cnn' as const;
  private readonly targets: Float32Array;
  private readonly rowWeights: Float32Array;

  constructor(
    readonly config: CnnConfig,
    private readonly data: TrainingData,
    private params: Params,
    private running: RunningStats,
    private adamM: Params,
    private adamV: Params,
    private best: Record<string, Float32Array> | null,
    private state: TrainerState,
  ) {
    this.targets = targetMatrix(data.y, data.soft, NUM_OUT);
    this.rowWeights = classWeightsFor(config.classWeights, data.y, this.targets);
  }

  get done(): boolean {
    return this.state.done;
  }

  async step(onBatch?: (p: BatchProgress) => void): Promise<EpochReport> {
    if (this.state.done) throw new Error('CNN trainer: training is finished');
    const t0 = performance.now();
    const { data, config: cfg } = this;
    const { height: h, width: w } = data;
    const size = h * w;
    const n = data.x.rows;
    const rng = Rng.fromState(this.state.rng);
    const order = rng.shuffle(Int32Array.from({ length: n }, (_, i) => i)) as Int32Array;
    const batches = Math.ceil(n / cfg.batchSize);
    const flat = flatSize(cfg, h, w);
    this.state.epoch += 1;
    let lossSum = 0, correct = 0;
    for (let bi = 0; bi < batches; bi++) {
      const rows = order.subarray(bi * cfg.batchSize, Math.min(n, (bi + 1) * cfg.batchSize));
      const b = rows.length;
      const xs = new Float32Array(b * size);
      augmentBatch(data.x.data, rows, h, w, cfg.maxShift, cfg.horizontalFlip, rng, xs);
      const tg = new Float32Array(b * NUM_OUT), rw = new Float32Array(b), lb = new Int32Array(b);
      for (let r = 0; r < b; r++) {
        tg.set(this.targets.subarray(rows[r] * NUM_OUT, rows[r] * NUM_OUT + NUM_OUT), r * NUM_OUT);
        rw[r] = this.rowWeights[rows[r]];
        lb[r] = data.y[rows[r]];
      }
      let mask: Float32Array | null = null;
      if (cfg.dropout > 0) {
        mask = new Float32Array(b * flat);
        const keep = 1 / (1 - cfg.dropout);
        for (let i = 0; i < mask.length; i++) mask[i] = rng.next() < cfg.dropout ? 0 : keep;
      }
      const [ls, cr] = this.trainBatch(xs, [b, h, w, 1], tg, rw, mask, lb);
      lossSum += ls;
      correct += cr;
      onBatch?.({ phase: PHASE, epoch: this.state.epoch, batch: bi + 1, batches, samplesPerSecond: ((bi * cfg.batchSize + b) * 1000) / (performance.now() - t0) });
      // Let a worker see cancellation messages between batches.
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.state.rng = rng.state;
    const metrics: Record<string, number> = { loss: lossSum / n, accuracy: correct / n };
    if (data.valid && data.valid.x.rows > 0) {
      const { loss, accuracy } = this.evaluate(data.valid.x, data.valid.y);
      metrics.valid_loss = loss;
      metrics.valid_accuracy = accuracy;
      if (loss < this.state.bestValidLoss) {
        this.state.bestValidLoss = loss;
        this.state.badEpochs = 0;
        this.best = this.exportWeights();
      } else {
        this.state.badEpochs += 1;
      }
      if (this.state.badEpochs >= cfg.patience) this.state.done = true;
    }
    if (this.state.epoch >= cfg.maxEpochs) this.state.done = true;
    if (this.state.done && this.best) this.importWeights(this.best);
    return { epoch: this.state.epoch, phase: PHASE, metrics, units: [], events: [], seconds: (performance.now() - t0) / 1000, samples: n };
  }

  /** One Adam step on a batch; returns [sum of weighted losses, correct count]. */
  private trainBatch(xs: Float32Array, shape: number[], tg: Float32Array, rw: Float32Array, mask: Float32Array | null, lb: Int32Array): [number, number] {
    const cfg = this.config;
    const b = shape[0];
    this.state.adamStep += 1;
    const t = this.state.adamStep;
    const out = tf.tidy(() => {
      const r = forwardBackward(cfg, this.params, this.running, tf.tensor4d(xs, shape as [number, number, number, number]),
        tf.tensor2d(tg, [b, NUM_OUT]), tf.tensor1d(rw), mask ? tf.tensor2d(mask, [b, mask.length / b]) : null, tf.tensor1d(lb, 'int32'));
      // Adam (PyTorch's form): p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2) + eps).
      const bc1 = 1 - cfg.adamBeta1 ** t, bc2 = Math.sqrt(1 - cfg.adamBeta2 ** t);
      const lr = cfg.warmupSteps > 0 ? cfg.learningRate * Math.min(1, t / cfg.warmupSteps) : cfg.learningRate;
      const next: { p: Params; m: Params; v: Params } = { p: {}, m: {}, v: {} };
      for (const name of Object.keys(this.params)) {
        const g = r.grads[name];
        const m = tf.add(tf.mul(this.adamM[name], cfg.adamBeta1), tf.mul(g, 1 - cfg.adamBeta1));
        const v = tf.add(tf.mul(this.adamV[name], cfg.adamBeta2), tf.mul(tf.square(g), 1 - cfg.adamBeta2));
        const denom = tf.add(tf.div(tf.sqrt(v), bc2), cfg.adamEpsilon);
        next.p[name] = tf.sub(this.params[name], tf.mul(tf.div(m, denom), lr / bc1));
        next.m[name] = m;
        next.v[name] = v;
      }
      return { ...next, running: r.running, stats: tf.stack([r.lossSum, r.correct]) };
    });
    tf.dispose([Object.values(this.params), Object.values(this.adamM), Object.values(this.adamV), Object.values(this.running)]);
    this.params = out.p;
    this.adamM = out.m;
    this.adamV = out.v;
    this.running = out.running;
    const stats = out.stats.dataSync();
    out.stats.dispose();
    return [stats[0], stats[1]];
  }

  /** Mean cross-entropy against hard labels and accuracy, eval mode. */
  evaluate(x: Matrix, y: Int32Array): { loss: number; accuracy: number } {
    const p = this.predict(x);
    let loss = 0, correct = 0;
    for (let i = 0; i < x.rows; i++) {
      const row = p.subarray(i * NUM_OUT, (i + 1) * NUM_OUT);
      loss -= Math.log(Math.max(row[y[i]], 1e-12));
      let arg = 0;
      for (let c = 1; c < NUM_OUT; c++) if (row[c] > row[arg]) arg = c;
      if (arg === y[i]) correct++;
    }
    return { loss: loss / x.rows, accuracy: correct / x.rows };
  }

  predict(x: Matrix): Float32Array {
    const { height: h, width: w } = this.data;
    if (x.cols !== h * w) throw new Error(`CNN predict: expected ${h * w} columns (${h}x${w}), got ${x.cols}`);
    const out = new Float32Array(x.rows * NUM_OUT);
    const bs = this.config.inferenceBatchSize;
    for (let s = 0; s < x.rows; s += bs) {
      const e = Math.min(x.rows, s + bs);
      const probs = tf.tidy(() => tf.softmax(inferLogits(this.config, this.params, this.running,
        tf.tensor4d(x.data.subarray(s * x.cols, e * x.cols), [e - s, h, w, 1]))));
      out.set(probs.dataSync(), s * NUM_OUT);
      probs.dispose();
    }
    return out;
  }

  private exportWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [k, t] of Object.entries({ ...this.params, ...this.running })) out[k] = t.dataSync() as Float32Array;
    return out;
  }

  private importWeights(src: Record<string, Float32Array>): void {
    for (const table of [this.params, this.running]) {
      for (const k of Object.keys(table)) {
        const old = table[k];
        table[k] = tf.tensor(src[k], old.shape);
        old.dispose();
      }
    }
  }

  snapshot(): ModelSnapshot {
    const tensors: ModelSnapshot['tensors'] = {};
    const put = (prefix: string, table: Record<string, tf.Tensor>) => {
      for (const [k, t] of Object.entries(table)) tensors[`${prefix}${k}`] = { shape: t.shape.slice(), data: (t.dataSync() as Float32Array).slice() };
    };
    put('param/', this.params);
    put('running/', this.running);
    put('adam_m/', this.adamM);
    put('adam_v/', this.adamV);
    if (this.best) {
      for (const [k, d] of Object.entries(this.best)) {
        const t = this.params[k] ?? this.running[k];
        tensors[`best/${k}`] = { shape: t.shape.slice(), data: d.slice() };
      }
    }
    return {
      kind: 'cnn',
      meta: { config: this.config, height: this.data.height, width: this.data.width, state: { ...this.state, rng: { ...this.state.rng } } },
      tensors,
    };
  }

  dispose(): void {
    tf.dispose([Object.values(this.params), Object.values(this.running), Object.values(this.adamM), Object.values(this.adamV)]);
    this.params = {};
    this.running = {};
    this.adamM = {};
    this.adamV = {};
  }
}

export function createCnnTrainer(config: Partial<CnnConfig>, data: TrainingData, seed: number): CnnTrainer {
  const cfg = resolveCnnConfig(config);
  if (data.x.cols !== data.height * data.width) throw new Error(`CNN: x has ${data.x.cols} columns, expected ${data.height}x${data.width}`);
  if (data.height < 8 || data.width < 8) throw new Error(`CNN: images must be at least 8x8, got ${data.height}x${data.width}`);
  const rng = new Rng(seed);
  const params = initParams(cfg, data.height, data.width, rng);
  const zeros = (): Params => Object.fromEntries(Object.entries(params).map(([k, t]) => [k, tf.zerosLike(t)]));
  const state: TrainerState = { epoch: 0, adamStep: 0, bestValidLoss: Infinity, badEpochs: 0, done: false, rng: rng.state };
  return new CnnTrainer(cfg, data, params, initRunningStats(cfg), zeros(), zeros(), null, state);
}

/** Rebuilds a trainer from `snapshot()` output; continuing it equals never having stopped. */
export function restoreCnnTrainer(snapshot: ModelSnapshot, data: TrainingData): CnnTrainer {
  if (snapshot.kind !== 'cnn') throw new Error(`restoreCnnTrainer: snapshot is of kind ${snapshot.kind}`);
  const meta = snapshot.meta as { config: CnnConfig; height: number; width: number; state: TrainerState };
  if (meta.height !== data.height || meta.width !== data.width) {
    throw new Error(`restoreCnnTrainer: snapshot is for ${meta.height}x${meta.width} images, data are ${data.height}x${data.width}`);
  }
  const cfg = resolveCnnConfig(meta.config);
  const take = (prefix: string, names: string[]): Params => Object.fromEntries(names.map((k) => {
    const t = snapshot.tensors[`${prefix}${k}`];
    if (!t) throw new Error(`restoreCnnTrainer: snapshot lacks tensor ${prefix}${k}`);
    return [k, tf.tensor(t.data, t.shape)];
  }));
  const names = paramShapes(cfg, data.height, data.width).map(([k]) => k);
  const runningNames = Object.keys(snapshot.tensors).filter((k) => k.startsWith('running/')).map((k) => k.slice('running/'.length));
  let best: Record<string, Float32Array> | null = null;
  const bestKeys = Object.keys(snapshot.tensors).filter((k) => k.startsWith('best/'));
  if (bestKeys.length) best = Object.fromEntries(bestKeys.map((k) => [k.slice(5), snapshot.tensors[k].data.slice()]));
  const state = { ...meta.state, bestValidLoss: meta.state.bestValidLoss ?? Infinity };
  return new CnnTrainer(cfg, data, take('param/', names), take('running/', runningNames), take('adam_m/', names), take('adam_v/', names), best, state);
}
