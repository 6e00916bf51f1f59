// The two runtimes agree op by op: one graph that uses every op of the engine's op set runs on
// ONNX Runtime (what core/graph/onnx-encode.ts wrote, loaded by the real native runtime) and
// on the tfjs interpreter (cpu backend), and every output matches. Hand-computed cases pin the
// ops whose meaning is easiest to get wrong (pool indices, unpool, Gemm's flags).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { GraphBuilder } from '../graph/builder.ts';
import { OP_TYPES, type GraphDef } from '../graph/graph.ts';
import { OrtRuntime } from './ort-runtime.ts';
import type { Feed } from './runtime.ts';
import { TfjsRuntime } from './tfjs-runtime.ts';
import { Rng } from '../util/rng.ts';

function allOpsGraph(): GraphDef {
  const g = new GraphBuilder('all-ops');
  const a = g.input('a', ['N', 4]);
  const b = g.input('b', [4, 3]);
  const c = g.input('c', [1, 3]);
  const x = g.input('x', ['N', 2, 6, 6]);
  const w = g.input('w', [3, 2, 3, 3]);
  const mm = g.matMul(a, b);
  g.output('matmul', mm);
  g.output('gemm', g.gemm(a, b, c, { alpha: 0.5, beta: 2 }));
  g.output('gemm_t', g.gemm(g.transpose(a, [1, 0]), b, null, { transA: true }));
  g.output('gemm_tb', g.gemm(a, g.transpose(b, [1, 0]), null, { transB: true }));
  g.output('arith', g.div(g.mul(g.sub(g.add(mm, c), c), mm), g.add(g.exp(g.neg(mm)), g.scalar(1))));
  const pos = g.add(g.mul(mm, mm), g.scalar(0.5));
  g.output('log_sqrt', g.add(g.log(pos), g.mul(g.sqrt(pos), g.reciprocal(pos))));
  g.output('acts', g.add(g.add(g.sigmoid(mm), g.relu(mm)), g.softplus(mm)));
  g.output('softmax', g.softmax(mm, -1));
  g.output('logsoftmax', g.logSoftmax(mm, 1));
  g.output('reduce', g.reduceSum(mm, [0], false));
  g.output('reduce_keep', g.reduceSum(x, [0, 2, 3], true));
  g.output('reshape', g.reshape(x, [0, -1]));
  g.output('concat', g.concat([mm, mm], 0));
  g.output('shape', g.cast(g.shape(x), 'float32'));
  g.output('where', g.where(g.less(mm, g.scalar(0)), mm, g.neg(mm)));
  g.output('step', g.step(mm));
  g.output('eq', g.cast(g.equal(g.argMax(mm, 1, true), g.argMax(mm, 1, true)), 'float32'));
  g.output('argmax', g.cast(g.argMax(mm, 1), 'float32'));
  const conv = g.conv(x, w, g.input('cb', [3]), { pads: [1, 1, 1, 1], kernel: [3, 3] });
  g.output('conv', conv);
  g.output('conv_valid', g.conv(x, w, null, { pads: [0, 0, 0, 0], kernel: [3, 3] }));
  g.output('conv_t', g.convTranspose(conv, w, { pads: [1, 1, 1, 1], kernel: [3, 3] }));
  const [pooled, idx] = g.maxPoolWithIndices(conv, 2);
  g.output('pool', pooled);
  g.output('pool_plain', g.maxPool(conv, 2));
  g.output('unpool', g.maxUnpool(pooled, idx, conv, 2));
  return g.build();
}

function feeds(n: number, seed: number): Record<string, Feed> {
  const rng = new Rng(seed);
  const r = (k: number) => Float32Array.from({ length: k }, () => rng.normal());
  return {
    a: { data: r(n * 4), dims: [n, 4] },
    b: { data: r(12), dims: [4, 3] },
    c: { data: r(3), dims: [1, 3] },
    x: { data: r(n * 72), dims: [n, 2, 6, 6] },
    w: { data: r(54), dims: [3, 2, 3, 3] },
    cb: { data: r(3), dims: [3] },
  };
}

test('every op of the engine is exercised by the agreement graph', () => {
  const used = new Set(allOpsGraph().nodes.map((n) => n.op));
  assert.deepEqual([...OP_TYPES].filter((op) => !used.has(op)), []);
});

test('ONNX Runtime and the tfjs interpreter agree on every op (two batch sizes, one graph)', async () => {
  await tf.setBackend('cpu');
  const graph = allOpsGraph();
  const ort = new OrtRuntime(1).compile(graph);
  const tfr = new TfjsRuntime('tfjs-cpu').compile(graph);
  for (const n of [5, 2]) {
    const f = feeds(n, 10 + n);
    const o1 = ort.run(f);
    const o2 = tfr.run(f);
    for (const out of graph.outputs) {
      const { data: d1, dims: s1 } = o1[out.name];
      const { data: d2, dims: s2 } = o2[out.name];
      assert.deepEqual(s1, s2, `${out.name}: shape`);
      let worst = 0;
      for (let k = 0; k < d1.length; k++) worst = Math.max(worst, Math.abs(d1[k] - d2[k]) / (1 + Math.abs(d1[k])));
      assert.ok(worst < 1e-5, `${out.name}: ONNX Runtime and tfjs differ by ${worst} (relative)`);
    }
  }
  ort.dispose();
  tfr.dispose();
});

test('hand-computed cases: Gemm flags, pool indices and unpool', () => {
  const g = new GraphBuilder('hand');
  const a = g.input('a', [2, 2]);
  const b = g.input('b', [2, 2]);
  g.output('y', g.gemm(a, b, g.constant([10, 20], [2]), { transA: true, alpha: 2 }));
  const x = g.input('x', [1, 1, 2, 4]);
  const [p, i] = g.maxPoolWithIndices(x, 2);
  g.output('p', p);
  g.output('up', g.maxUnpool(p, i, x, 2));
  const graph = g.build();
  const f = {
    a: { data: Float32Array.of(1, 2, 3, 4), dims: [2, 2] },
    b: { data: Float32Array.of(5, 6, 7, 8), dims: [2, 2] },
    x: { data: Float32Array.of(1, 9, 3, 2, 4, 0, 8, 5), dims: [1, 1, 2, 4] },
  };
  for (const rt of [new OrtRuntime(1), new TfjsRuntime('tfjs-cpu')]) {
    const o = rt.compile(graph).run(f);
    // a^T b = [[1*5+3*7, 1*6+3*8], [2*5+4*7, 2*6+4*8]] = [[26, 30], [38, 44]]; x2 + [10, 20].
    assert.deepEqual(Array.from(o.y.data), [62, 80, 86, 108], rt.name);
    assert.deepEqual(Array.from(o.p.data), [9, 8], rt.name);
    assert.deepEqual(Array.from(o.up.data), [0, 9, 0, 0, 0, 0, 8, 0], rt.name);
  }
});

test('ONNX Runtime runs with two threads to the same result as one', () => {
  const graph = allOpsGraph();
  const f = feeds(7, 3);
  const o1 = new OrtRuntime(1).compile(graph).run(f);
  const o2 = new OrtRuntime(2).compile(graph).run(f);
  for (const out of graph.outputs) {
    const d1 = o1[out.name].data, d2 = o2[out.name].data;
    for (let k = 0; k < d1.length; k++) assert.ok(Math.abs(d1[k] - d2[k]) <= 1e-5 * (1 + Math.abs(d1[k])), `${out.name}[${k}]`);
  }
});
