// Oracles for the RBM's and the fine-tuning network's engine graphs: each graph's outputs match
// an independent plain-JS float64 computation of the same formulas, its gradients match
// central finite differences of that float64 loss, and ONNX Runtime and the tfjs interpreter
// agree on the same graph and weights, for whole training steps through the model classes too.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '@tensorflow/tfjs-backend-cpu';
import { OrtRuntime } from '../runtime/ort-runtime.ts';
import type { Feed } from '../runtime/runtime.ts';
import { selectRuntime } from '../runtime/select-runtime.ts';
import { TfjsRuntime } from '../runtime/tfjs-runtime.ts';
import { Rng } from '../util/rng.ts';
import { DEFAULT_MLP_OPTIONS, Mlp } from './mlp/mlp.ts';
import { mlpStepGraph } from './mlp/mlp-graphs.ts';
import { cd1Graph, freeEnergyGraph } from './rbm/rbm-graphs.ts';
import { DEFAULT_RBM_OPTIONS, Rbm } from './rbm/rbm.ts';
import * as tf from '@tensorflow/tfjs-core';

const sig = (z: number) => 1 / (1 + Math.exp(-z));
const softplus = (z: number) => Math.log1p(Math.exp(z));

function randn(n: number, rng: Rng, scale = 1): Float32Array {
  return Float32Array.from({ length: n }, () => scale * rng.normal());
}

function close(a: ArrayLike<number>, b: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(a.length, b.length, `${what}: length`);
  for (let k = 0; k < a.length; k++) {
    assert.ok(Math.abs(a[k] - b[k]) <= tol * (1 + Math.abs(b[k])), `${what}[${k}]: ${a[k]} vs ${b[k]}`);
  }
}

/** Plain float64 forward of the MLP step graph's loss. */
function mlpLoss64(ws: Float64Array[], bs: Float64Array[], sizes: number[], x: Float32Array, t: Float32Array, rwn: Float32Array, n: number): number {
  let loss = 0;
  for (let r = 0; r < n; r++) {
    let a = Array.from(x.subarray(r * sizes[0], (r + 1) * sizes[0]), Number);
    for (let l = 0; l < ws.length; l++) {
      const I = sizes[l], O = sizes[l + 1];
      const z = new Array(O).fill(0).map((_, o) => bs[l][o] + a.reduce((s, ai, i) => s + ai * ws[l][i * O + o], 0));
      a = l < ws.length - 1 ? z.map(sig) : z;
      void I;
    }
    const m = Math.max(...a);
    const lse = m + Math.log(a.reduce((s, z) => s + Math.exp(z - m), 0));
    const K = a.length;
    for (let k = 0; k < K; k++) loss -= rwn[r] * t[r * K + k] * (a[k] - lse);
  }
  return loss;
}

test('MLP step graph: gradients match float64 finite differences, on both runtimes', async () => {
  await tf.setBackend('cpu');
  const rng = new Rng(21);
  const sizes = [5, 4, 3, 3];
  const n = 4;
  const L = sizes.length - 1;
  const ws = Array.from({ length: L }, (_, l) => randn(sizes[l] * sizes[l + 1], rng, 0.7));
  const bs = Array.from({ length: L }, (_, l) => randn(sizes[l + 1], rng, 0.3));
  const x = Float32Array.from({ length: n * sizes[0] }, () => rng.next());
  const t = Float32Array.from([0.6, 0.4, 0, 0, 0, 1, 0.2, 0.3, 0.5, 1, 0, 0]);
  const rwn = Float32Array.from([1, 2, 0.5, 1].map((w) => w / n));
  const feeds: Record<string, Feed> = { x: { data: x, dims: [n, 5] }, t: { data: t, dims: [n, 3] }, rwn: { data: rwn, dims: [n, 1] } };
  for (let l = 0; l < L; l++) {
    feeds[`w${l}`] = { data: ws[l], dims: [sizes[l], sizes[l + 1]] };
    feeds[`b${l}`] = { data: bs[l], dims: [sizes[l + 1]] };
  }
  const graph = mlpStepGraph(L);
  const outs = [new OrtRuntime(1), new TfjsRuntime('tfjs-cpu')].map((rt) => rt.compile(graph).run(feeds));
  const w64 = ws.map((w) => Float64Array.from(w));
  const b64 = bs.map((b) => Float64Array.from(b));
  const loss64 = mlpLoss64(w64, b64, sizes, x, t, rwn, n);
  for (const o of outs) assert.ok(Math.abs(o.loss.data[0] - loss64) < 1e-5, `loss ${o.loss.data[0]} vs ${loss64}`);
  const h = 1e-5;
  for (let l = 0; l < L; l++) {
    for (const [which, arr] of [['w', w64[l]], ['b', b64[l]]] as const) {
      const numeric = new Float64Array(arr.length);
      for (let k = 0; k < arr.length; k++) {
        const saved = arr[k];
        arr[k] = saved + h;
        const up = mlpLoss64(w64, b64, sizes, x, t, rwn, n);
        arr[k] = saved - h;
        const down = mlpLoss64(w64, b64, sizes, x, t, rwn, n);
        arr[k] = saved;
        numeric[k] = (up - down) / (2 * h);
      }
      for (const o of outs) close(o[`g${which}${l}`].data, numeric, 2e-4, `g${which}${l}`);
    }
  }
  close(outs[0].probs.data, outs[1].probs.data, 1e-5, 'probs: ONNX Runtime vs tfjs');
});

test('RBM CD-1 graph matches the plain formulas (Bernoulli and Gaussian visible units), on both runtimes', async () => {
  await tf.setBackend('cpu');
  const rng = new Rng(4);
  const n = 3, I = 4, J = 3;
  for (const gaussian of [false, true]) {
    const v = gaussian ? randn(n * I, rng) : Float32Array.from({ length: n * I }, () => (rng.next() < 0.5 ? 1 : 0));
    const w = randn(I * J, rng, 0.5), b = randn(I, rng, 0.2), c = randn(J, rng, 0.2);
    const u = Float32Array.from({ length: n * J }, () => rng.next());
    const feeds = { v: { data: v, dims: [n, I] }, w: { data: w, dims: [I, J] }, b: { data: b, dims: [I] }, c: { data: c, dims: [J] }, u: { data: u, dims: [n, J] } };
    const g = new Float64Array(I * J), dvb = new Float64Array(I), dhb = new Float64Array(J), act = new Float64Array(J);
    let err = 0;
    for (let r = 0; r < n; r++) {
      const vr = Array.from({ length: I }, (_, i) => v[r * I + i]);
      const ph0 = Array.from({ length: J }, (_, j) => sig(c[j] + vr.reduce((s, vi, i) => s + vi * w[i * J + j], 0)));
      const h0: number[] = ph0.map((p, j) => (u[r * J + j] < p ? 1 : 0));
      const a = Array.from({ length: I }, (_, i) => b[i] + h0.reduce((s, hj, j) => s + hj * w[i * J + j], 0));
      const v1 = gaussian ? a : a.map(sig);
      const ph1 = Array.from({ length: J }, (_, j) => sig(c[j] + v1.reduce((s, vi, i) => s + vi * w[i * J + j], 0)));
      for (let i = 0; i < I; i++) {
        for (let j = 0; j < J; j++) g[i * J + j] += vr[i] * ph0[j] - v1[i] * ph1[j];
        dvb[i] += vr[i] - v1[i];
        err += (vr[i] - v1[i]) ** 2;
      }
      for (let j = 0; j < J; j++) {
        dhb[j] += ph0[j] - ph1[j];
        act[j] += ph0[j];
      }
    }
    for (const rt of [new OrtRuntime(1), new TfjsRuntime('tfjs-cpu')]) {
      const o = rt.compile(cd1Graph(gaussian)).run(feeds);
      const what = `${rt.name} ${gaussian ? 'gaussian' : 'bernoulli'}`;
      close(o.g.data, g, 1e-5, `${what} g`);
      close(o.dvb.data, dvb, 1e-5, `${what} dvb`);
      close(o.dhb.data, dhb, 1e-5, `${what} dhb`);
      close(o.act.data, act, 1e-5, `${what} act`);
      close(o.err.data, [err], 1e-5, `${what} err`);
      let fe = 0;
      for (let r = 0; r < n; r++) {
        const vr = Array.from({ length: I }, (_, i) => v[r * I + i]);
        const hidden = Array.from({ length: J }, (_, j) => softplus(c[j] + vr.reduce((s, vi, i) => s + vi * w[i * J + j], 0))).reduce((s, x) => s + x, 0);
        const visible = gaussian ? 0.5 * vr.reduce((s, vi, i) => s + (vi - b[i]) ** 2, 0) : -vr.reduce((s, vi, i) => s + vi * b[i], 0);
        fe += visible - hidden;
      }
      const { u: _u, ...feFeeds } = feeds;
      void _u;
      close(rt.compile(freeEnergyGraph(gaussian)).run(feFeeds).f.data, [fe], 1e-5, `${what} free energy`);
    }
  }
});

test('a whole RBM epoch and a whole fine-tuning epoch give the same weights on ONNX Runtime and tfjs', async () => {
  const run = async (runtime: 'onnxruntime-cpu' | 'tfjs-cpu') => {
    await selectRuntime({ prefer: runtime, threads: 1 });
    const rng = new Rng(8);
    const x = { data: Float32Array.from({ length: 96 * 20 }, () => (rng.next() < 0.3 ? 1 : 0)), rows: 96, cols: 20 };
    const rbm = Rbm.create(20, 6, { ...DEFAULT_RBM_OPTIONS, batchSize: 32 }, rng);
    rbm.trainEpoch(x, rng);
    const h = rbm.hiddenProbabilities(x);
    const targets = new Float32Array(96 * 3);
    for (let r = 0; r < 96; r++) targets[r * 3 + (r % 3)] = 1;
    const mlp = Mlp.fromPretrained([{ inputs: 20, outputs: 6, w: rbm.params.w, b: rbm.params.c }], 20, 3, DEFAULT_MLP_OPTIONS, rng);
    mlp.trainEpoch(x, targets, null, rng);
    return { w: rbm.params.w.slice(), h, m: mlp.layers.map((l) => l.w.slice()), p: mlp.predict(x) };
  };
  const a = await run('onnxruntime-cpu');
  const b = await run('tfjs-cpu');
  await selectRuntime({ prefer: 'onnxruntime-cpu' });
  close(a.w, b.w, 1e-5, 'RBM weights');
  close(a.h, b.h, 1e-5, 'hidden probabilities');
  a.m.forEach((w, l) => close(w, b.m[l], 1e-4, `MLP layer ${l}`));
  close(a.p, b.p, 1e-5, 'MLP probabilities');
});
