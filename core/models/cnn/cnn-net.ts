/**
 * The CNN's parameters, its forward pass (training mode with batch statistics, or inference
 * with BN folded into the convolutions) and a hand-written backward pass. The backward pass is
 * by hand because tfjs-core's Node bundle registers no gradient functions, and because doing it
 * ourselves lets every product take the backend's fast path (see core/backend/wasm-kernels).
 * Layout is NHWC throughout; convolutions carry no bias since BN's beta plays that role.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../../util/rng.ts';
import type { CnnConfig } from './cnn-config.ts';
import { channelSum } from './channel-stats.ts';

export const NUM_CONV = 6;
export const NUM_OUT = 8;

/** Trainable tensors by name, in a fixed order (the order of PARAM_NAMES). */
export type Params = Record<string, tf.Tensor>;
/** BN running statistics: bn{i}/mean and bn{i}/var. */
export type RunningStats = Record<string, tf.Tensor>;

export function convChannels(cfg: CnnConfig): { cin: number; cout: number }[] {
  const out: { cin: number; cout: number }[] = [];
  let cin = 1;
  for (let i = 0; i < NUM_CONV; i++) {
    const cout = cfg.filters[Math.floor(i / 2)];
    out.push({ cin, cout });
    cin = cout;
  }
  return out;
}

/** Height x width x channels entering the dense layer after three 2x2 pools. */
export function flatSize(cfg: CnnConfig, h: number, w: number): number {
  return Math.floor(h / 8) * Math.floor(w / 8) * cfg.filters[2];
}

export function paramShapes(cfg: CnnConfig, h: number, w: number): [string, number[]][] {
  const shapes: [string, number[]][] = [];
  convChannels(cfg).forEach(({ cin, cout }, i) => {
    shapes.push([`conv${i}/w`, [3, 3, cin, cout]], [`bn${i}/gamma`, [cout]], [`bn${i}/beta`, [cout]]);
  });
  shapes.push(['dense0/w', [flatSize(cfg, h, w), cfg.denseUnits]], ['dense0/b', [cfg.denseUnits]]);
  shapes.push(['dense1/w', [cfg.denseUnits, NUM_OUT]], ['dense1/b', [NUM_OUT]]);
  return shapes;
}

/** He-normal weights (std sqrt(2 / fan-in)), unit gammas, zero betas and biases. */
export function initParams(cfg: CnnConfig, h: number, w: number, rng: Rng): Params {
  const params: Params = {};
  for (const [name, shape] of paramShapes(cfg, h, w)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(size);
    if (name.endsWith('/w')) {
      const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < size; i++) data[i] = rng.normal() * std;
    } else if (name.endsWith('/gamma')) {
      data.fill(1);
    }
    params[name] = tf.tensor(data, shape);
  }
  return params;
}

export function initRunningStats(cfg: CnnConfig): RunningStats {
  const stats: RunningStats = {};
  convChannels(cfg).forEach(({ cout }, i) => {
    stats[`bn${i}/mean`] = tf.zeros([cout]);
    stats[`bn${i}/var`] = tf.ones([cout]);
  });
  return stats;
}

export interface StepResult {
  /** Sum over the batch of weighted cross-entropy. */
  lossSum: tf.Scalar;
  /** Number of rows whose arg-max equals the hard label. */
  correct: tf.Scalar;
  grads: Params;
  running: RunningStats;
}

/**
 * One training step's forward and backward pass; call inside tf.tidy. `targets` are per-row
 * class distributions (B x 8), `rowWeights` the per-row loss weights (B), `dropMask` the
 * dropout keep-mask already scaled by 1/(1-p) (B x flat), `labels` the hard labels (B).
 */
export function forwardBackward(
  cfg: CnnConfig, params: Params, running: RunningStats, x: tf.Tensor4D,
  targets: tf.Tensor2D, rowWeights: tf.Tensor1D, dropMask: tf.Tensor2D | null, labels: tf.Tensor1D,
): StepResult {
  const b = x.shape[0];
  const newRunning: RunningStats = {};
  const cache: { input: tf.Tensor4D; xhat: tf.Tensor4D; rstd: tf.Tensor1D; act: tf.Tensor4D; pooled: tf.Tensor4D | null }[] = [];
  let a = x;
  for (let i = 0; i < NUM_CONV; i++) {
    const z = tf.conv2d(a, params[`conv${i}/w`] as tf.Tensor4D, 1, 'same');
    const m = z.shape[0] * z.shape[1] * z.shape[2];
    const mean = tf.div(channelSum(z), m);
    const centred = tf.sub(z, mean);
    const variance = tf.div(channelSum(centred as tf.Tensor4D, centred as tf.Tensor4D), m);
    const rstd = tf.rsqrt(tf.add(variance, cfg.bnEpsilon)) as tf.Tensor1D;
    const xhat = tf.mul(centred, rstd) as tf.Tensor4D;
    const act = tf.relu(tf.add(tf.mul(xhat, params[`bn${i}/gamma`]), params[`bn${i}/beta`])) as tf.Tensor4D;
    const mom = cfg.bnMomentum;
    newRunning[`bn${i}/mean`] = tf.add(tf.mul(running[`bn${i}/mean`], 1 - mom), tf.mul(mean, mom));
    newRunning[`bn${i}/var`] = tf.add(tf.mul(running[`bn${i}/var`], 1 - mom), tf.mul(variance, (mom * m) / Math.max(1, m - 1)));
    const pooled = i % 2 === 1 ? tf.maxPool(act, 2, 2, 'valid') : null;
    cache.push({ input: a, xhat, rstd, act, pooled });
    a = pooled ?? act;
  }
  let flat = tf.reshape(a, [b, -1]) as tf.Tensor2D;
  if (dropMask) flat = tf.mul(flat, dropMask);
  const h1 = tf.relu(tf.add(tf.matMul(flat, params['dense0/w'] as tf.Tensor2D), params['dense0/b'])) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(h1, params['dense1/w'] as tf.Tensor2D), params['dense1/b']) as tf.Tensor2D;

  const logp = tf.logSoftmax(logits);
  const rowLoss = tf.neg(tf.sum(tf.mul(targets, logp), 1));
  const lossSum = tf.sum(tf.mul(rowLoss, rowWeights)) as tf.Scalar;
  const correct = tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), labels), 'float32')) as tf.Scalar;

  // Backward. d(mean weighted loss)/dlogits = w_i (softmax - target) / B.
  const grads: Params = {};
  const dLogits = tf.mul(tf.sub(tf.exp(logp), targets), tf.reshape(tf.div(rowWeights, b), [b, 1])) as tf.Tensor2D;
  grads['dense1/w'] = tf.matMul(h1, dLogits, true, false);
  grads['dense1/b'] = tf.sum(dLogits, 0);
  const dH1 = tf.mul(tf.matMul(dLogits, params['dense1/w'] as tf.Tensor2D, false, true), tf.step(h1)) as tf.Tensor2D;
  grads['dense0/w'] = tf.matMul(flat, dH1, true, false);
  grads['dense0/b'] = tf.sum(dH1, 0);
  let dFlat = tf.matMul(dH1, params['dense0/w'] as tf.Tensor2D, false, true);
  if (dropMask) dFlat = tf.mul(dFlat, dropMask);
  let dA = tf.reshape(dFlat, a.shape) as tf.Tensor4D;
  for (let i = NUM_CONV - 1; i >= 0; i--) {
    const { input, xhat, rstd, act, pooled } = cache[i];
    if (pooled) {
      dA = tf.engine().runKernel('MaxPoolGrad', { dy: dA, input: act, output: pooled },
        { filterSize: [2, 2], strides: [2, 2], pad: 'valid' } as unknown as tf.NamedAttrMap) as tf.Tensor4D;
    }
    const dY = tf.mul(dA, tf.step(act));
    const m = act.shape[0] * act.shape[1] * act.shape[2];
    const dBeta = channelSum(dY as tf.Tensor4D);
    const dGamma = channelSum(dY as tf.Tensor4D, xhat);
    grads[`bn${i}/beta`] = dBeta;
    grads[`bn${i}/gamma`] = dGamma;
    const scale = tf.div(tf.mul(params[`bn${i}/gamma`], rstd), m);
    const dZ = tf.mul(tf.sub(tf.sub(tf.mul(dY, m), dBeta), tf.mul(xhat, dGamma)), scale) as tf.Tensor4D;
    const w = params[`conv${i}/w`] as tf.Tensor4D;
    grads[`conv${i}/w`] = tf.engine().runKernel('Conv2DBackpropFilter', { x: input, dy: dZ },
      { strides: [1, 1], pad: 'same', dataFormat: 'NHWC', filterShape: w.shape } as unknown as tf.NamedAttrMap) as tf.Tensor;
    if (i > 0) dA = tf.conv2dTranspose(dZ, w, input.shape, 1, 'same');
  }
  return { lossSum, correct, grads, running: newRunning };
}

/**
 * Inference logits with BN folded into each convolution (w * gamma / sqrt(var + eps) and a
 * bias beta - mean * gamma / sqrt(var + eps)) and ReLU fused, so each layer is one kernel.
 */
export function inferLogits(cfg: CnnConfig, params: Params, running: RunningStats, x: tf.Tensor4D): tf.Tensor2D {
  return tf.tidy(() => {
    let a = x;
    for (let i = 0; i < NUM_CONV; i++) {
      const s = tf.mul(params[`bn${i}/gamma`], tf.rsqrt(tf.add(running[`bn${i}/var`], cfg.bnEpsilon)));
      const filter = tf.mul(params[`conv${i}/w`], s) as tf.Tensor4D;
      const bias = tf.sub(params[`bn${i}/beta`], tf.mul(running[`bn${i}/mean`], s));
      a = tf.fused.conv2d({ x: a, filter, strides: 1, pad: 'same', bias, activation: 'relu' });
      if (i % 2 === 1) a = tf.maxPool(a, 2, 2, 'valid');
    }
    const flat = tf.reshape(a, [x.shape[0], -1]) as tf.Tensor2D;
    const h1 = tf.fused.matMul({ a: flat, b: params['dense0/w'] as tf.Tensor2D, bias: params['dense0/b'], activation: 'relu' });
    return tf.fused.matMul({ a: h1, b: params['dense1/w'] as tf.Tensor2D, bias: params['dense1/b'] }) as tf.Tensor2D;
  });
}
