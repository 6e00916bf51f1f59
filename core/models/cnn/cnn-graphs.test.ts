/**
 * The CNN's training-step graph against two oracles. (1) Finite differences: every parameter
 * tensor's gradient from the graph's hand-written backward pass matches central differences of
 * the graph's own loss output, on ONNX Runtime; the first BN layer's batch statistics against
 * a direct convolution in JS. (2) Runtime agreement: the same graph run by
 * ONNX Runtime and by the tfjs interpreter (cpu backend) gives the same gradients, BN batch
 * statistics, loss and probabilities, and a trainer's Adam steps on either runtime give the same
 * weights.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { OrtRuntime } from '../../runtime/ort-runtime.ts';
import { TfjsRuntime } from '../../runtime/tfjs-runtime.ts';
import type { Executable } from '../../runtime/runtime.ts';
import { Rng } from '../../util/rng.ts';
import { resolveCnnConfig, type CnnConfig } from './cnn-config.ts';
import { cnnTrainStepGraph, paramNames } from './cnn-graphs.ts';
import { flatSize, initParams, initRunningStats, NUM_OUT, type Params } from './cnn-layout.ts';
import { runStep, updateRunningStats, type StepBatch } from './cnn-net.ts';
import { createCnnTrainer } from './cnn-trainer.ts';
import { plantedShapes } from './planted-shapes.ts';

/** A batch with soft targets, unequal row weights and a fixed dropout mask. */
function makeBatch(cfg: CnnConfig, b: number, h: number, w: number, seed: number): StepBatch {
  const rng = new Rng(seed);
  const x = Float32Array.from({ length: b * h * w }, () => rng.next());
  const targets = new Float32Array(b * NUM_OUT);
  for (let r = 0; r < b; r++) {
    let s = 0;
    for (let c = 0; c < NUM_OUT; c++) s += targets[r * NUM_OUT + c] = rng.next() ** 3;
    for (let c = 0; c < NUM_OUT; c++) targets[r * NUM_OUT + c] /= s;
  }
  const rowWeights = Float32Array.from({ length: b }, (_, r) => 0.5 + r * 0.4);
  const keep = 1 / (1 - cfg.dropout);
  const mask = Float32Array.from({ length: b * flatSize(cfg, h, w) }, () => (rng.next() < cfg.dropout ? 0 : keep));
  return { x, b, targets, rowWeights, mask };
}

test('finite differences: the gradient of every parameter tensor matches central differences of the graph loss', () => {
  // Float32 throughout. eps 3e-3: at 1e-2 some probes of this tiny batch straddle a ReLU or
  // pool switch (the quotient is then off by 3-10% while smaller eps converge on the graph's
  // value); the loss's float32 rounding (~2e-7) puts ~1e-4 of noise into the quotient, hence
  // the absolute 2e-4. Probed: per tensor the two largest gradient components and the middle
  // one; a probe passes within 2% of the larger magnitude plus 2e-4 + 1e-3 of the tensor's
  // largest gradient.
  const cfg = resolveCnnConfig({ filters: [2, 2, 2], denseUnits: 4, dropout: 0.25 });
  const h = 8, w = 8, b = 3;
  const params = initParams(cfg, h, w, new Rng(17));
  const batch = makeBatch(cfg, b, h, w, 4);
  const exec = new OrtRuntime(1).compile(cnnTrainStepGraph(cfg, h, w));
  const lossAt = (p: Params): number => runStep(exec, cfg, h, w, p, batch).lossSum / b;
  const { grads, lossSum, probs } = runStep(exec, cfg, h, w, params, batch);
  // The loss output is the weighted soft-target cross-entropy of the probabilities it returns.
  let expected = 0;
  for (let r = 0; r < b; r++) for (let c = 0; c < NUM_OUT; c++) expected -= batch.rowWeights[r] * batch.targets[r * NUM_OUT + c] * Math.log(probs[r * NUM_OUT + c]);
  assert.ok(Math.abs(lossSum - expected) < 1e-5 * Math.abs(expected), `loss ${lossSum} vs ${expected}`);
  const eps = 3e-3;
  const failures: string[] = [];
  let probes = 0;
  for (const name of paramNames()) {
    const g = grads[name];
    const order = Array.from(g.keys()).sort((i, j) => Math.abs(g[j]) - Math.abs(g[i]));
    const gmax = Math.abs(g[order[0]]);
    assert.ok(gmax > 0, `${name}: gradient is all zero`);
    for (const idx of new Set([order[0], order[1] ?? order[0], Math.floor(g.length / 2)])) {
      const at = (delta: number): number => {
        const d = params[name].slice();
        d[idx] += delta;
        return lossAt({ ...params, [name]: d });
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      const tol = 2e-2 * Math.max(Math.abs(numeric), Math.abs(g[idx])) + 2e-4 + 1e-3 * gmax;
      if (!(Math.abs(numeric - g[idx]) <= tol)) failures.push(`${name}[${idx}]: graph ${g[idx]}, differences ${numeric}`);
      probes++;
    }
  }
  assert.ok(probes >= 2 * paramNames().length, `${probes} probes`);
  assert.deepEqual(failures, []);
  exec.dispose();
});

test('BN batch statistics of the first layer equal those of a direct convolution in JS; running statistics follow PyTorch', () => {
  const cfg = resolveCnnConfig({ filters: [3, 4, 4], denseUnits: 5, dropout: 0.25 });
  const h = 8, w = 10, b = 3;
  const params = initParams(cfg, h, w, new Rng(9));
  const batch = makeBatch(cfg, b, h, w, 2);
  const exec = new OrtRuntime(1).compile(cnnTrainStepGraph(cfg, h, w));
  const { batchStats } = runStep(exec, cfg, h, w, params, batch);
  exec.dispose();
  const filt = params['conv0/w']; // OIHW [3,1,3,3]
  const m = b * h * w;
  for (let o = 0; o < 3; o++) {
    const z: number[] = [];
    for (let n = 0; n < b; n++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
      let s = 0;
      for (let ky = 0; ky < 3; ky++) for (let kx = 0; kx < 3; kx++) {
        const yy = y + ky - 1, xx = x + kx - 1;
        if (yy >= 0 && yy < h && xx >= 0 && xx < w) s += filt[o * 9 + ky * 3 + kx] * batch.x[(n * h + yy) * w + xx];
      }
      z.push(s);
    }
    const mean = z.reduce((a, v) => a + v, 0) / m;
    const variance = z.reduce((a, v) => a + (v - mean) ** 2, 0) / m;
    assert.ok(Math.abs(batchStats['bn0/mean'][o] - mean) < 1e-5 * (1 + Math.abs(mean)), `channel ${o} mean ${batchStats['bn0/mean'][o]} vs ${mean}`);
    assert.ok(Math.abs(batchStats['bn0/var'][o] - variance) < 1e-5 * variance, `channel ${o} variance ${batchStats['bn0/var'][o]} vs ${variance}`);
    const next = updateRunningStats(cfg, h, w, b, initRunningStats(cfg), batchStats);
    // From mean 0, variance 1: 0.9 * old + 0.1 * batch, the variance made unbiased by m / (m - 1).
    assert.ok(Math.abs(next['bn0/mean'][o] - 0.1 * mean) < 1e-6);
    assert.ok(Math.abs(next['bn0/var'][o] - (0.9 + (0.1 * variance * m) / (m - 1))) < 1e-6);
  }
});

function compareOutputs(a: Record<string, Float32Array>, b: Record<string, Float32Array>, tol: number): void {
  for (const k of Object.keys(a)) {
    assert.equal(a[k].length, b[k].length, k);
    const scale = Math.max(1e-6, ...Array.from(a[k], Math.abs));
    let worst = 0;
    for (let i = 0; i < a[k].length; i++) worst = Math.max(worst, Math.abs(a[k][i] - b[k][i]) / scale);
    assert.ok(worst < tol, `${k}: runtimes differ by ${worst} of its largest value`);
  }
}

test('ONNX Runtime and the tfjs interpreter agree on the step graph: gradients, BN statistics, loss, probabilities (1e-4 of each tensor\'s largest value)', async () => {
  await tf.setBackend('cpu');
  const cfg = resolveCnnConfig({ filters: [3, 4, 5], denseUnits: 6, dropout: 0.25 });
  const h = 16, w = 24, b = 5;
  const params = initParams(cfg, h, w, new Rng(3));
  const batch = makeBatch(cfg, b, h, w, 8);
  const graph = cnnTrainStepGraph(cfg, h, w);
  const results = [new OrtRuntime(1), new TfjsRuntime('tfjs-cpu')].map((rt) => {
    const exec: Executable = rt.compile(graph);
    const r = runStep(exec, cfg, h, w, params, batch);
    exec.dispose();
    return { ...r.grads, ...r.batchStats, probs: r.probs, loss: Float32Array.of(r.lossSum) };
  });
  assert.equal(Object.keys(results[0]).length, paramNames().length + 12 + 2);
  compareOutputs(results[0], results[1], 1e-4);
});

test('a trainer on ONNX Runtime and one on the tfjs interpreter take the same Adam steps from the same weights', async () => {
  await tf.setBackend('cpu');
  // 40 rows in batches of 16: the last, partial batch runs through the same compiled graph.
  const size = 16, n = 40;
  const tr = plantedShapes(n, size, 2);
  const data = { x: { data: tr.x, rows: n, cols: size * size }, y: tr.y, soft: null, valid: null, height: size, width: size };
  const cfg = { filters: [3, 4, 4] as [number, number, number], denseUnits: 8, batchSize: 16, maxEpochs: 1, warmupSteps: 0 };
  const snaps = await Promise.all([new OrtRuntime(1), new TfjsRuntime('tfjs-cpu')].map(async (rt) => {
    const t = createCnnTrainer(cfg, data, 5, rt);
    const before = t.snapshot();
    await t.step();
    const s = t.snapshot();
    t.dispose();
    return { before, after: s };
  }));
  const [a, b] = snaps;
  const lr = 1e-3;
  let moved = 0;
  for (const k of Object.keys(a.after.tensors).filter((k) => k.startsWith('param/') || k.startsWith('running/'))) {
    assert.deepEqual(a.before.tensors[k].data, b.before.tensors[k].data, `${k} starts equal`);
    const x = a.after.tensors[k].data, y = b.after.tensors[k].data;
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]));
    // Three Adam steps move a weight by up to 3 lr; the runtimes agree to a hundredth of one step.
    assert.ok(worst < 1e-2 * lr, `${k}: runtimes differ by ${worst}`);
    if (x.some((v, i) => Math.abs(v - a.before.tensors[k].data[i]) > lr / 2)) moved++;
  }
  assert.ok(moved > 10, `${moved} tensors moved`);
});
