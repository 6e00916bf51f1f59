/**
 * Our wasm kernels against the pure-JS `cpu` backend on seeded random inputs. Tolerance: the
 * two backends sum in different orders in float32, so we allow an absolute error of
 * 1e-4 * (1 + max |reference|) per element.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { registerWasmKernels } from './index.ts';
import { Rng } from '../../util/rng.ts';

registerWasmKernels();
before(async () => {
  await tf.setBackend('wasm');
});

function randomArray(rng: Rng, n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.next() * 2 - 1;
  return a;
}

/** Runs f on both backends with the same inputs and compares the outputs. */
async function compare(shapes: number[][], f: (...xs: tf.Tensor[]) => tf.Tensor, seed: number): Promise<void> {
  const rng = new Rng(seed);
  const data = shapes.map((s) => randomArray(rng, s.reduce((a, b) => a * b, 1)));
  const results: Float32Array[] = [];
  for (const backend of ['cpu', 'wasm']) {
    await tf.setBackend(backend);
    const before = tf.memory().numTensors;
    const out = tf.tidy(() => f(...data.map((d, i) => tf.tensor(d, shapes[i]))));
    results.push((await out.data()) as Float32Array);
    out.dispose();
    assert.equal(tf.memory().numTensors, before, `${backend}: tensor leak`);
  }
  const [ref, got] = results;
  assert.equal(got.length, ref.length);
  let scale = 0;
  for (const v of ref) scale = Math.max(scale, Math.abs(v));
  const tol = 1e-4 * (1 + scale);
  for (let i = 0; i < ref.length; i++) {
    assert.ok(Math.abs(ref[i] - got[i]) <= tol, `element ${i}: wasm ${got[i]} vs cpu ${ref[i]} (tol ${tol})`);
  }
}

const convCases: { name: string; x: number[]; f: number[]; stride: number; pad: 'same' | 'valid' }[] = [
  { name: '3x3 same', x: [3, 9, 8, 4], f: [3, 3, 4, 5], stride: 1, pad: 'same' },
  { name: '3x3 valid', x: [2, 7, 9, 3], f: [3, 3, 3, 6], stride: 1, pad: 'valid' },
  { name: '5x3 same', x: [2, 8, 8, 2], f: [5, 3, 2, 3], stride: 1, pad: 'same' },
  { name: '3x3 stride 2 same', x: [2, 9, 8, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
];

for (const c of convCases) {
  test(`Conv2DBackpropFilter (${c.name}) matches cpu`, async () => {
    const dyShape = outShape(c.x, c.f, c.stride, c.pad);
    await compare([c.x, dyShape], (x, dy) => gradFilter(x, dy, c.f, c.stride, c.pad), 11);
  });
  test(`Conv2DBackpropInput (${c.name}) matches cpu`, async () => {
    const dyShape = outShape(c.x, c.f, c.stride, c.pad);
    await compare([dyShape, c.f], (dy, w) =>
      tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, c.x as [number, number, number, number], c.stride, c.pad), 12);
  });
}

function outShape(x: number[], f: number[], stride: number, pad: 'same' | 'valid'): number[] {
  return tf.backend_util.computeConv2DInfo(x as [number, number, number, number], f as [number, number, number, number], stride, 1, pad).outShape;
}

function gradFilter(x: tf.Tensor, dy: tf.Tensor, f: number[], stride: number, pad: 'same' | 'valid'): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, {
    strides: [stride, stride], pad, dataFormat: 'NHWC', filterShape: f,
  } as unknown as tf.NamedAttrMap) as tf.Tensor;
}

for (const [ta, tb] of [[true, false], [false, true], [true, true], [false, false]]) {
  test(`BatchMatMul transposeA=${ta} transposeB=${tb} matches cpu (2-D and batched)`, async () => {
    const a2 = ta ? [37, 19] : [19, 37], b2 = tb ? [23, 37] : [37, 23];
    await compare([a2, b2], (a, b) => tf.matMul(a, b, ta, tb), 14);
    await compare([[3, ...a2], [3, ...b2]], (a, b) => tf.matMul(a, b, ta, tb), 15);
  });
}

for (const [name, x, size, stride, pad, ties] of [
  ['2x2/2 valid, with ties', [3, 8, 6, 5], 2, 2, 'valid', true],
  ['2x2/2 valid, odd size, with ties', [2, 7, 9, 3], 2, 2, 'valid', true],
  // Delegated to the stock kernel: no ties (it resolves them differently from cpu) and 'valid'
  // (with 'same' padding the stock wasm kernel disagrees with cpu even without ties).
  ['3x3/1 valid (delegated to stock)', [2, 6, 6, 2], 3, 1, 'valid', false],
] as const) {
  test(`MaxPoolGrad (${name}) matches cpu`, async () => {
    const outShape = tf.backend_util.computePool2DInfo(x as unknown as [number, number, number, number], size, stride, 1, pad).outShape;
    await compare([[...x], outShape], (input, dy) => {
      // Quantised inputs make ties within windows likely; both must pick the first maximum.
      const q = (ties ? tf.round(tf.mul(input, 2)) : input) as tf.Tensor4D;
      const output = tf.maxPool(q, size, stride, pad);
      return tf.engine().runKernel('MaxPoolGrad', { dy, input: q, output }, { filterSize: size, strides: stride, pad } as unknown as tf.NamedAttrMap) as tf.Tensor;
    }, 16);
  });
}
