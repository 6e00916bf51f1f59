/**
 * The CNN baseline as a ModelTrainer (core/train/types.ts): one `step` is one epoch of
 * mini-batch Adam over shuffled, augmented training images with per-batch progress, followed by
 * validation and early stopping (the best weights by validation loss are kept and restored when
 * training stops). Every random draw (init, shuffle, augmentation, dropout) comes from one
 * restorable Rng. Each batch is one run of the engine's training-step graph (cnn-graphs.ts) on the
 * process's runtime; Adam is applied by hand in JS over Float32Arrays, so `snapshot()` captures
 * the complete state and a restored trainer continues bit-identically on the same runtime.
 */
import { ExecutableCache, type GraphRuntime } from '../../runtime/runtime.ts';
import { engineRuntime } from '../../runtime/select-runtime.ts';
import type { BatchProgress, EpochReport, Matrix, ModelSnapshot, ModelTrainer, TrainingData } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';
import { adamUpdate } from './adam.ts';
import { augmentBatch } from './augment.ts';
import { resolveCnnConfig } from './cnn-config.ts';
import type { CnnConfig } from './cnn-config.ts';
import { cnnFeaturesGraph, cnnInferenceGraph, cnnTrainStepGraph } from './cnn-graphs.ts';
import { flatSize, fromCheckpointLayout, initParams, initRunningStats, NUM_OUT, paramShapes, toCheckpointLayout } from './cnn-layout.ts';
import type { Params, RunningStats } from './cnn-layout.ts';
import { foldBatchNorm, predictFeatures, predictProbs, runStep, updateRunningStats, type StepBatch } from './cnn-net.ts';
import { targetMatrix } from '../../train/training-targets.ts';
import { classRowWeights } from '../../train/class-weights.ts';
import { LOG_EPSILON } from '../../util/log-epsilon.ts';

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
  private readonly executables: ExecutableCache;

  constructor(
    readonly config: CnnConfig,
    private readonly data: TrainingData,
    private params: Params,
    private running: RunningStats,
    private adamM: Params,
    private adamV: Params,
    private best: Record<string, Float32Array> | null,
    private state: TrainerState,
    readonly runtime: GraphRuntime,
  ) {
    this.executables = new ExecutableCache(runtime);
    this.targets = targetMatrix(data.y, data.soft, NUM_OUT);
    this.rowWeights = classRowWeights(config.classWeights ?? 'none', data.y, this.targets, NUM_OUT) ?? new Float32Array(data.y.length).fill(1);
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
      augmentBatch(data.x, rows, h, w, cfg.maxShift, cfg.horizontalFlip, rng, xs);
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
      const [ls, cr] = this.trainBatch({ x: xs, b, targets: tg, rowWeights: rw, mask }, lb);
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
  private trainBatch(batch: StepBatch, lb: Int32Array): [number, number] {
    const cfg = this.config;
    const { height: h, width: w } = this.data;
    const exec = this.executables.get(`train:${cfg.dropout > 0}`, () => cnnTrainStepGraph(cfg, h, w));
    const r = runStep(exec, cfg, h, w, this.params, batch);
    this.running = updateRunningStats(cfg, h, w, batch.b, this.running, r.batchStats);
    this.state.adamStep += 1;
    const t = this.state.adamStep;
    const lr = cfg.warmupSteps > 0 ? cfg.learningRate * Math.min(1, t / cfg.warmupSteps) : cfg.learningRate;
    adamUpdate(cfg, lr, t, this.params, this.adamM, this.adamV, r.grads);
    let correct = 0;
    for (let i = 0; i < batch.b; i++) {
      let arg = 0;
      for (let c = 1; c < NUM_OUT; c++) if (r.probs[i * NUM_OUT + c] > r.probs[i * NUM_OUT + arg]) arg = c;
      if (arg === lb[i]) correct++;
    }
    return [r.lossSum, correct];
  }

  /** Mean cross-entropy against hard labels and accuracy, eval mode. */
  evaluate(x: Matrix, y: Int32Array): { loss: number; accuracy: number } {
    const p = this.predict(x);
    let loss = 0, correct = 0;
    for (let i = 0; i < x.rows; i++) {
      const row = p.subarray(i * NUM_OUT, (i + 1) * NUM_OUT);
      loss -= Math.log(Math.max(row[y[i]], LOG_EPSILON));
      let arg = 0;
      for (let c = 1; c < NUM_OUT; c++) if (row[c] > row[arg]) arg = c;
      if (arg === y[i]) correct++;
    }
    return { loss: loss / x.rows, accuracy: correct / x.rows };
  }

  predict(x: Matrix): Float32Array {
    const { height: h, width: w } = this.data;
    if (x.cols !== h * w) throw new Error(`CNN predict: expected ${h * w} columns (${h}x${w}), got ${x.cols}`);
    const exec = this.executables.get('infer', () => cnnInferenceGraph(this.config, h, w));
    return predictProbs(exec, this.config, h, w, foldBatchNorm(this.config, this.params, this.running), x);
  }

  /** Penultimate-layer features (the hidden dense layer after ReLU), for the face map. */
  features(x: Matrix): Matrix {
    const { height: h, width: w } = this.data;
    if (x.cols !== h * w) throw new Error(`CNN features: expected ${h * w} columns (${h}x${w}), got ${x.cols}`);
    const exec = this.executables.get('features', () => cnnFeaturesGraph(this.config, h, w));
    const data = predictFeatures(exec, this.config, h, w, foldBatchNorm(this.config, this.params, this.running), x);
    return { data, rows: x.rows, cols: this.config.denseUnits };
  }

  private exportWeights(): Record<string, Float32Array> {
    const out: Record<string, Float32Array> = {};
    for (const [k, d] of Object.entries({ ...this.params, ...this.running })) out[k] = d.slice();
    return out;
  }

  private importWeights(src: Record<string, Float32Array>): void {
    for (const table of [this.params, this.running]) {
      for (const k of Object.keys(table)) table[k] = src[k].slice();
    }
  }

  snapshot(): ModelSnapshot {
    const { height: h, width: w } = this.data;
    const cfg = this.config;
    const tensors: ModelSnapshot['tensors'] = {};
    const shapes = new Map<string, number[]>(paramShapes(cfg, h, w));
    for (const [k, d] of Object.entries(this.running)) shapes.set(k, [d.length]);
    const put = (prefix: string, table: Record<string, Float32Array>) => {
      for (const [k, d] of Object.entries(toCheckpointLayout(cfg, h, w, table))) {
        tensors[`${prefix}${k}`] = { shape: shapes.get(k)!.slice(), data: d === table[k] ? d.slice() : d };
      }
    };
    put('param/', this.params);
    put('running/', this.running);
    put('adam_m/', this.adamM);
    put('adam_v/', this.adamV);
    if (this.best) put('best/', this.best);
    return {
      kind: 'cnn',
      meta: { config: this.config, height: h, width: w, state: { ...this.state, rng: { ...this.state.rng } } },
      tensors,
    };
  }

  dispose(): void {
    this.executables.clear();
    this.params = {};
    this.running = {};
    this.adamM = {};
    this.adamV = {};
  }
}

export function createCnnTrainer(config: Partial<CnnConfig>, data: TrainingData, seed: number, runtime: GraphRuntime = engineRuntime()): CnnTrainer {
  const cfg = resolveCnnConfig(config);
  if (data.x.cols !== data.height * data.width) throw new Error(`CNN: x has ${data.x.cols} columns, expected ${data.height}x${data.width}`);
  if (data.height < 8 || data.width < 8) throw new Error(`CNN: images must be at least 8x8, got ${data.height}x${data.width}`);
  const rng = new Rng(seed);
  const params = initParams(cfg, data.height, data.width, rng);
  const zeros = (): Params => Object.fromEntries(Object.entries(params).map(([k, d]) => [k, new Float32Array(d.length)]));
  const state: TrainerState = { epoch: 0, adamStep: 0, bestValidLoss: Infinity, badEpochs: 0, done: false, rng: rng.state };
  return new CnnTrainer(cfg, data, params, initRunningStats(cfg), zeros(), zeros(), null, state, runtime);
}

/**
 * Rebuilds a trainer from `snapshot()` output (or a checkpoint of the tfjs implementation: the
 * format is the same); continuing it equals never having stopped.
 */
export function restoreCnnTrainer(snapshot: ModelSnapshot, data: TrainingData, runtime: GraphRuntime = engineRuntime()): CnnTrainer {
  if (snapshot.kind !== 'cnn') throw new Error(`restoreCnnTrainer: snapshot is of kind ${snapshot.kind}`);
  const meta = snapshot.meta as { config: CnnConfig; height: number; width: number; state: TrainerState };
  const { height: h, width: w } = data;
  if (meta.height !== h || meta.width !== w) {
    throw new Error(`restoreCnnTrainer: snapshot is for ${meta.height}x${meta.width} images, data are ${h}x${w}`);
  }
  const cfg = resolveCnnConfig(meta.config);
  const shapes = new Map<string, number[]>(paramShapes(cfg, h, w));
  const take = (prefix: string, names: string[]): Params => fromCheckpointLayout(cfg, h, w, Object.fromEntries(names.map((k) => {
    const t = snapshot.tensors[`${prefix}${k}`];
    if (!t) throw new Error(`restoreCnnTrainer: snapshot lacks tensor ${prefix}${k}`);
    const want = shapes.get(k);
    if (want && (t.shape.length !== want.length || t.shape.some((d, i) => d !== want[i]))) {
      throw new Error(`restoreCnnTrainer: tensor ${prefix}${k} has shape [${t.shape.join(', ')}], expected [${want.join(', ')}]`);
    }
    return [k, t.data.slice()];
  })));
  const names = paramShapes(cfg, h, w).map(([k]) => k);
  const runningNames = Object.keys(snapshot.tensors).filter((k) => k.startsWith('running/')).map((k) => k.slice('running/'.length));
  const bestNames = Object.keys(snapshot.tensors).filter((k) => k.startsWith('best/')).map((k) => k.slice('best/'.length));
  const best = bestNames.length ? take('best/', bestNames) : null;
  // Adam moments are absent from a checkpoint trimmed for prediction; they start at zero then.
  const moments = (prefix: string): Params => names.every((k) => snapshot.tensors[`${prefix}${k}`])
    ? take(prefix, names)
    : Object.fromEntries(names.map((k) => [k, new Float32Array(snapshot.tensors[`param/${k}`]?.data.length ?? 0)]));
  const state = { ...meta.state, bestValidLoss: meta.state.bestValidLoss ?? Infinity };
  return new CnnTrainer(cfg, data, take('param/', names), take('running/', runningNames), moments('adam_m/'), moments('adam_v/'), best, state, runtime);
}
