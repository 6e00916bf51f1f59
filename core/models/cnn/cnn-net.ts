/**
 * The CNN's JS side around its engine graphs (core/models/cnn/cnn-graphs.ts): feeding one
 * training step, updating the BN running statistics (PyTorch's convention, as the tfjs
 * implementation did), folding BN into the convolutions for inference, and predicting. The
 * math of the network lives in the graphs only; here are the batch-dependent scalars and the
 * bookkeeping between steps.
 */
import type { Executable, Feed } from '../../runtime/runtime.ts';
import { forEachBlock } from '../../train/matrix-rows.ts';
import type { Matrix } from '../../train/types.ts';
import type { CnnConfig } from './cnn-config.ts';
import { convInputSize, featureWeightNames, inferenceWeightNames, inferenceWeightShape, paramNames } from './cnn-graphs.ts';
import { convChannels, engineShape, NUM_CONV, NUM_OUT, type Params, type RunningStats } from './cnn-layout.ts';

export interface StepBatch {
  /** b images of h x w (NCHW with one channel is the same as row-major rows). */
  x: Float32Array;
  b: number;
  /** Per-row class distributions (b x 8). */
  targets: Float32Array;
  /** Per-row loss weights (b). */
  rowWeights: Float32Array;
  /** Dropout keep-mask scaled by 1/(1-p) (b x flat), or null when dropout is 0. */
  mask: Float32Array | null;
}

export interface StepResult {
  /** Sum over the batch of the weighted cross-entropy. */
  lossSum: number;
  /** Gradients of the weighted mean loss, by parameter name (engine layout). */
  grads: Params;
  /** Batch mean and biased variance of each BN layer: bn{i}/mean, bn{i}/var. */
  batchStats: RunningStats;
  /** Softmax of the training-mode logits (b x 8). */
  probs: Float32Array;
}

/** The feeds of the training-step graph for one batch. */
export function stepFeeds(cfg: CnnConfig, h: number, w: number, params: Params, batch: StepBatch): Record<string, Feed> {
  const { b } = batch;
  const rowScale = new Float32Array(b);
  for (let r = 0; r < b; r++) rowScale[r] = batch.rowWeights[r] / b;
  const feeds: Record<string, Feed> = {
    x: { data: batch.x, dims: [b, 1, h, w] },
    targets: { data: batch.targets, dims: [b, NUM_OUT] },
    row_scale: { data: rowScale, dims: [b, 1] },
  };
  if (cfg.dropout > 0) {
    if (!batch.mask) throw new Error('CNN step: dropout is on but no mask was given');
    feeds.mask = { data: batch.mask, dims: [b, batch.mask.length / b] };
  }
  for (let blk = 0; blk < 3; blk++) {
    const [hh, ww] = convInputSize(h, w, blk * 2);
    feeds[`inv_m${blk}`] = { data: Float32Array.of(1 / (b * hh * ww)), dims: [1] };
  }
  for (const name of paramNames()) feeds[name] = { data: params[name], dims: engineShape(cfg, h, w, name) };
  return feeds;
}

/** Runs one compiled training step (cnnTrainStepGraph) on a batch. */
export function runStep(exec: Executable, cfg: CnnConfig, h: number, w: number, params: Params, batch: StepBatch): StepResult {
  const out = exec.run(stepFeeds(cfg, h, w, params, batch));
  const grads: Params = {};
  for (const name of paramNames()) grads[name] = out[`grad/${name}`].data;
  const batchStats: RunningStats = {};
  for (let i = 0; i < NUM_CONV; i++) {
    batchStats[`bn${i}/mean`] = out[`bn${i}/mean`].data;
    batchStats[`bn${i}/var`] = out[`bn${i}/var`].data;
  }
  return { lossSum: out.loss.data[0] * batch.b, grads, batchStats, probs: out.probs.data };
}

/**
 * new = (1 - momentum) * old + momentum * batch, with the batch variance made unbiased by
 * m / (m - 1) where m = b * H * W values per channel (PyTorch's convention). Returns new arrays.
 */
export function updateRunningStats(cfg: CnnConfig, h: number, w: number, b: number, running: RunningStats, batch: RunningStats): RunningStats {
  const mom = cfg.bnMomentum;
  const next: RunningStats = {};
  for (let i = 0; i < NUM_CONV; i++) {
    const [hh, ww] = convInputSize(h, w, i);
    const m = b * hh * ww;
    const unbias = m / Math.max(1, m - 1);
    const rm = running[`bn${i}/mean`], rv = running[`bn${i}/var`];
    const bm = batch[`bn${i}/mean`], bv = batch[`bn${i}/var`];
    const nm = new Float32Array(rm.length), nv = new Float32Array(rv.length);
    for (let c = 0; c < rm.length; c++) {
      nm[c] = (1 - mom) * rm[c] + mom * bm[c];
      nv[c] = (1 - mom) * rv[c] + mom * unbias * bv[c];
    }
    next[`bn${i}/mean`] = nm;
    next[`bn${i}/var`] = nv;
  }
  return next;
}

/**
 * BN folded into each convolution for eval mode: s = gamma / sqrt(var + eps), filter w * s
 * (per output channel) and bias beta - mean * s. Dense weights pass through.
 */
export function foldBatchNorm(cfg: CnnConfig, params: Params, running: RunningStats): Params {
  const out: Params = {};
  convChannels(cfg).forEach(({ cin, cout }, i) => {
    const gamma = params[`bn${i}/gamma`], beta = params[`bn${i}/beta`];
    const mean = running[`bn${i}/mean`], variance = running[`bn${i}/var`];
    const wsrc = params[`conv${i}/w`];
    const wf = new Float32Array(wsrc.length), bias = new Float32Array(cout);
    const per = cin * 9;
    for (let o = 0; o < cout; o++) {
      const s = Math.fround(gamma[o] / Math.sqrt(variance[o] + cfg.bnEpsilon));
      for (let k = 0; k < per; k++) wf[o * per + k] = wsrc[o * per + k] * s;
      bias[o] = beta[o] - mean[o] * s;
    }
    out[`conv${i}/w`] = wf;
    out[`conv${i}/b`] = bias;
  });
  for (const name of ['dense0/w', 'dense0/b', 'dense1/w', 'dense1/b']) out[name] = params[name];
  return out;
}

/** Eval-mode probabilities (rows x 8) through a compiled cnnInferenceGraph without baked weights. */
export function predictProbs(exec: Executable, cfg: CnnConfig, h: number, w: number, folded: Params, x: Matrix): Float32Array {
  const out = new Float32Array(x.rows * NUM_OUT);
  const weights: Record<string, Feed> = {};
  for (const name of inferenceWeightNames()) weights[name] = { data: folded[name], dims: inferenceWeightShape(cfg, h, w, name) };
  const bs = cfg.inferenceBatchSize;
  // A block of the inference batch size at a time (converted from bytes when the faces are bytes).
  forEachBlock(x, (block, s, n) => {
    const r = exec.run({ ...weights, x: { data: block, dims: [n, 1, h, w] } });
    out.set(r.probs.data, s * NUM_OUT);
  }, bs);
  return out;
}

/** Eval-mode penultimate features (rows x denseUnits) through a compiled cnnFeaturesGraph. */
export function predictFeatures(exec: Executable, cfg: CnnConfig, h: number, w: number, folded: Params, x: Matrix): Float32Array {
  const out = new Float32Array(x.rows * cfg.denseUnits);
  const weights: Record<string, Feed> = {};
  for (const name of featureWeightNames()) weights[name] = { data: folded[name], dims: inferenceWeightShape(cfg, h, w, name) };
  // As predictProbs: a block of the inference batch size at a time, converted from bytes if need be.
  forEachBlock(x, (block, s, n) => {
    const r = exec.run({ ...weights, x: { data: block, dims: [n, 1, h, w] } });
    out.set(r.features.data, s * cfg.denseUnits);
  }, cfg.inferenceBatchSize);
  return out;
}
