/**
 * tfjs as an engine runtime: interprets a GraphDef node by node with tf.* ops on whatever tfjs
 * backend is active (tfjs-node-gpu, tfjs-node, wasm, cpu), following each op's ONNX meaning.
 * Convolutions are NCHW in the graph and NHWC in tfjs, so the interpreter transposes around
 * them. MaxPool's indices and MaxUnpool are computed in plain JS over the data (tfjs has no
 * NCHW-indexed argmax pooling on every backend); they are cheap next to the convolutions.
 * Besides being the runtime where ONNX Runtime is absent (and the CUDA path through
 * tfjs-node-gpu), it is the second, independent executor that the engine's agreement tests
 * compare ONNX Runtime with.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Attr, ConstantDef, GraphDef, NodeDef } from '../graph/graph.ts';
import type { Executable, Feed, Fetched, GraphRuntime, RuntimeName } from './runtime.ts';

type Env = Map<string, tf.Tensor>;

function ai(attrs: Record<string, Attr>, k: string, dflt: number): number {
  const a = attrs[k];
  return a && 'i' in a ? a.i : dflt;
}
function af(attrs: Record<string, Attr>, k: string, dflt: number): number {
  const a = attrs[k];
  return a && 'f' in a ? a.f : dflt;
}
function aints(attrs: Record<string, Attr>, k: string): number[] | null {
  const a = attrs[k];
  return a && 'ints' in a ? a.ints : null;
}

function constantTensor(c: ConstantDef): tf.Tensor {
  if (c.dtype === 'float32') return tf.tensor(c.data as Float32Array, c.dims, 'float32');
  return tf.tensor(Int32Array.from(c.data as BigInt64Array, (v) => Number(v)), c.dims, 'int32');
}

/** Reads an int tensor (axes, shapes) as numbers. */
function ints(t: tf.Tensor): number[] {
  return Array.from(t.dataSync(), Number);
}

function normaliseAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** tfjs padding for an ONNX conv with symmetric pads (what our graphs use). */
function padFor(pads: number[], kernel: number[]): 'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]] {
  if (pads.every((p) => p === 0)) return 'valid';
  return [[0, 0], [pads[0], pads[2]], [pads[1], pads[3]], [0, 0]];
  void kernel;
}

const toNhwc = (t: tf.Tensor) => tf.transpose(t, [0, 2, 3, 1]) as tf.Tensor4D;
const toNchw = (t: tf.Tensor) => tf.transpose(t, [0, 3, 1, 2]) as tf.Tensor4D;

/** MaxPool (square, stride = size) of an NCHW tensor with flat NCHW indices, in JS. */
function maxPoolNchw(x: tf.Tensor, size: number): [tf.Tensor, tf.Tensor] {
  const [N, C, H, W] = x.shape;
  const OH = Math.floor(H / size), OW = Math.floor(W / size);
  const d = x.dataSync();
  const y = new Float32Array(N * C * OH * OW);
  const idx = new Int32Array(y.length);
  let o = 0;
  for (let nc = 0; nc < N * C; nc++) {
    const base = nc * H * W;
    for (let oy = 0; oy < OH; oy++) {
      for (let ox = 0; ox < OW; ox++) {
        let best = -Infinity, bi = 0;
        for (let ky = 0; ky < size; ky++) {
          for (let kx = 0; kx < size; kx++) {
            const k = base + (oy * size + ky) * W + ox * size + kx;
            if (d[k] > best) {
              best = d[k];
              bi = k;
            }
          }
        }
        y[o] = best;
        idx[o++] = bi;
      }
    }
  }
  return [tf.tensor(y, [N, C, OH, OW]), tf.tensor(idx, [N, C, OH, OW], 'int32')];
}

function maxUnpool(x: tf.Tensor, indices: tf.Tensor, shape: number[]): tf.Tensor {
  const out = new Float32Array(shape.reduce((a, b) => a * b, 1));
  const xd = x.dataSync();
  const id = indices.dataSync();
  for (let k = 0; k < xd.length; k++) out[id[k]] += xd[k];
  return tf.tensor(out, shape);
}

function evalNode(n: NodeDef, env: Env): tf.Tensor[] {
  const i = (k: number) => {
    const t = env.get(n.inputs[k]);
    if (!t) throw new Error(`tfjs runtime: ${n.op} input ${n.inputs[k]} is not computed`);
    return t;
  };
  const a = n.attrs;
  switch (n.op) {
    case 'Identity': return [tf.clone(i(0))];
    case 'Add': return [tf.add(i(0), i(1))];
    case 'Sub': return [tf.sub(i(0), i(1))];
    case 'Mul': return [tf.mul(i(0), i(1))];
    case 'Div': return [tf.div(i(0), i(1))];
    case 'Neg': return [tf.neg(i(0))];
    case 'Exp': return [tf.exp(i(0))];
    case 'Log': return [tf.log(i(0))];
    case 'Sqrt': return [tf.sqrt(i(0))];
    case 'Reciprocal': return [tf.reciprocal(i(0))];
    case 'Sigmoid': return [tf.sigmoid(i(0))];
    case 'Relu': return [tf.relu(i(0))];
    case 'Softplus': return [tf.softplus(i(0))];
    case 'Softmax': return [tf.softmax(i(0), normaliseAxis(ai(a, 'axis', -1), i(0).rank))];
    case 'LogSoftmax': return [tf.logSoftmax(i(0), normaliseAxis(ai(a, 'axis', -1), i(0).rank))];
    case 'MatMul': return [tf.matMul(i(0) as tf.Tensor2D, i(1) as tf.Tensor2D)];
    case 'Gemm': {
      let y = tf.matMul(i(0) as tf.Tensor2D, i(1) as tf.Tensor2D, ai(a, 'transA', 0) === 1, ai(a, 'transB', 0) === 1);
      const alpha = af(a, 'alpha', 1);
      if (alpha !== 1) y = tf.mul(y, alpha);
      if (n.inputs.length > 2 && n.inputs[2]) {
        const beta = af(a, 'beta', 1);
        y = tf.add(y, beta === 1 ? i(2) : tf.mul(i(2), beta));
      }
      return [y];
    }
    case 'ReduceSum': {
      const axes = ints(i(1)).map((ax) => normaliseAxis(ax, i(0).rank));
      return [tf.sum(i(0), axes, ai(a, 'keepdims', 1) === 1)];
    }
    case 'Transpose': return [tf.transpose(i(0), aints(a, 'perm') ?? undefined)];
    case 'Reshape': {
      const src = i(0);
      const shape = ints(i(1)).map((d, k) => (d === 0 ? src.shape[k] : d));
      return [tf.reshape(src, shape)];
    }
    case 'Shape': return [tf.tensor(i(0).shape, [i(0).rank], 'int32')];
    case 'Concat': return [tf.concat(n.inputs.map((_, k) => i(k)), normaliseAxis(ai(a, 'axis', 0), i(0).rank))];
    case 'Less': return [tf.less(i(0), i(1))];
    case 'Greater': return [tf.greater(i(0), i(1))];
    case 'Equal': return [tf.equal(i(0), i(1))];
    case 'Where': return [tf.where(i(0), i(1), i(2))];
    case 'Cast': {
      const to = ai(a, 'to', 1);
      return [tf.cast(i(0), to === 1 ? 'float32' : to === 9 ? 'bool' : 'int32')];
    }
    case 'ArgMax': {
      const r = tf.argMax(i(0), normaliseAxis(ai(a, 'axis', 0), i(0).rank));
      return [ai(a, 'keepdims', 1) === 1 ? tf.expandDims(r, normaliseAxis(ai(a, 'axis', 0), i(0).rank)) : r];
    }
    case 'Conv': {
      const pads = aints(a, 'pads') ?? [0, 0, 0, 0];
      const strides = (aints(a, 'strides') ?? [1, 1]) as [number, number];
      const w = tf.transpose(i(1), [2, 3, 1, 0]) as tf.Tensor4D; // [M,C,kh,kw] -> [kh,kw,C,M]
      let y = tf.conv2d(toNhwc(i(0)), w, strides, padFor(pads, aints(a, 'kernel_shape') ?? []));
      if (n.inputs.length > 2 && n.inputs[2]) y = tf.add(y, i(2));
      return [toNchw(y)];
    }
    case 'ConvTranspose': {
      const pads = aints(a, 'pads') ?? [0, 0, 0, 0];
      const strides = aints(a, 'strides') ?? [1, 1];
      const ks = aints(a, 'kernel_shape') ?? [i(1).shape[2]!, i(1).shape[3]!];
      const kh = ks[0]!, kw = ks[1]!;
      const x = i(0);
      const [N, , H, W] = x.shape as [number, number, number, number];
      const M = i(1).shape[1]!;
      const OH = strides[0] * (H - 1) + kh - pads[0] - pads[2];
      const OW = strides[1] * (W - 1) + kw - pads[1] - pads[3];
      const same = strides[0] === 1 && strides[1] === 1 && OH === H && OW === W;
      if (!same && pads.some((p) => p !== 0)) throw new Error('tfjs runtime: ConvTranspose supports stride-1 same-size or unpadded cases only');
      const w = tf.transpose(i(1), [2, 3, 1, 0]) as tf.Tensor4D; // [C,M,kh,kw] -> [kh,kw,M,C]
      const y = tf.conv2dTranspose(toNhwc(x), w, [N, OH, OW, M], strides as [number, number], same ? 'same' : 'valid');
      return [toNchw(y)];
    }
    case 'MaxPool': {
      const size = (aints(a, 'kernel_shape') ?? [2, 2])[0];
      const [y, idx] = maxPoolNchw(i(0), size);
      if (n.outputs.length > 1) return [y, idx];
      idx.dispose();
      return [y];
    }
    case 'MaxUnpool': return [maxUnpool(i(0), i(1), ints(i(2)))];
  }
}

export class TfjsRuntime implements GraphRuntime {
  readonly threads = 1;
  constructor(readonly name: RuntimeName) {}

  compile(graph: GraphDef): Executable {
    const constants = new Map(graph.constants.map((c) => [c.name, constantTensor(c)]));
    for (const t of constants.values()) tf.keep(t);
    const outputs = graph.outputs.map((o) => o.name);
    return {
      run(feeds: Record<string, Feed>): Record<string, Fetched> {
        const result: Record<string, Fetched> = {};
        tf.tidy(() => {
          const env: Env = new Map(constants);
          for (const inp of graph.inputs) {
            const f = feeds[inp.name];
            if (!f) throw new Error(`graph ${graph.name}: input ${inp.name} was not fed`);
            env.set(inp.name, tf.tensor(f.data, f.dims, 'float32'));
          }
          for (const n of graph.nodes) {
            const outs = evalNode(n, env);
            n.outputs.forEach((name, k) => env.set(name, outs[k]));
          }
          for (const name of outputs) {
            const t = env.get(name)!;
            const data = t.dtype === 'float32' ? (t.dataSync() as Float32Array).slice() : Float32Array.from(t.dataSync());
            result[name] = { data, dims: [...t.shape] };
          }
        });
        return result;
      },
      dispose(): void {
        for (const t of constants.values()) t.dispose();
      },
    };
  }
}
