/**
 * Builds a GraphDef op by op. Each method adds one node with ONNX's semantics and returns the
 * value it produces; names are generated unless given. Nodes are appended in the order they are
 * built, which is a topological order by construction (a value exists before it is used).
 */
import type { Attr, ConstantDef, Dim, DType, GraphDef, NodeDef, OpType, ValueInfo } from './graph.ts';

/** A value flowing through the graph (a node output, a graph input or a constant). */
export interface Value {
  readonly name: string;
}

export interface GemmOptions {
  transA?: boolean;
  transB?: boolean;
  alpha?: number;
  beta?: number;
}

export interface ConvOptions {
  /** [top, left, bottom, right]. */
  pads: [number, number, number, number];
  strides?: [number, number];
  kernel: [number, number];
}

export class GraphBuilder {
  private readonly nodes: NodeDef[] = [];
  private readonly constants: ConstantDef[] = [];
  private readonly inputs: ValueInfo[] = [];
  private readonly outputs: ValueInfo[] = [];
  private readonly used = new Set<string>();
  private counter = 0;

  constructor(readonly name: string) {}

  private fresh(hint: string): string {
    let n = `${hint}_${this.counter++}`;
    while (this.used.has(n)) n = `${hint}_${this.counter++}`;
    this.used.add(n);
    return n;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`graph ${this.name}: the name ${name} is used twice`);
    this.used.add(name);
    return name;
  }

  input(name: string, dims: Dim[], dtype: DType = 'float32'): Value {
    this.inputs.push({ name: this.claim(name), dtype, dims });
    return { name };
  }

  /** A float constant of the given shape (a scalar when dims is []). */
  constant(data: number[] | Float32Array, dims: number[] = data.length === 1 ? [] : [data.length]): Value {
    const name = this.fresh('const');
    this.constants.push({ name, dtype: 'float32', dims, data: Float32Array.from(data) });
    return { name };
  }

  scalar(x: number): Value {
    return this.constant([x], []);
  }

  int64s(values: number[]): Value {
    const name = this.fresh('ints');
    this.constants.push({ name, dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values.map((v) => BigInt(v))) });
    return { name };
  }

  /** Adds a node; returns its outputs. */
  node(op: OpType, inputs: (Value | null)[], attrs: Record<string, Attr> = {}, outputs = 1): Value[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()));
    this.nodes.push({ op, inputs: inputs.map((v) => v?.name ?? ''), outputs: outs, attrs });
    return outs.map((name) => ({ name }));
  }

  private one(op: OpType, inputs: (Value | null)[], attrs: Record<string, Attr> = {}): Value {
    return this.node(op, inputs, attrs, 1)[0];
  }

  /** Marks `v` as a graph output under `name` (through an Identity node). */
  output(name: string, v: Value, dtype: DType = 'float32', dims: Dim[] | null = null): void {
    this.nodes.push({ op: 'Identity', inputs: [v.name], outputs: [this.claim(name)], attrs: {} });
    this.outputs.push({ name, dtype, dims });
  }

  build(): GraphDef {
    if (this.outputs.length === 0) throw new Error(`graph ${this.name} has no outputs`);
    return { name: this.name, inputs: [...this.inputs], outputs: [...this.outputs], nodes: [...this.nodes], constants: [...this.constants] };
  }

  // ------------------------------------------------------------------ elementwise
  add(a: Value, b: Value): Value { return this.one('Add', [a, b]); }
  sub(a: Value, b: Value): Value { return this.one('Sub', [a, b]); }
  mul(a: Value, b: Value): Value { return this.one('Mul', [a, b]); }
  div(a: Value, b: Value): Value { return this.one('Div', [a, b]); }
  neg(a: Value): Value { return this.one('Neg', [a]); }
  exp(a: Value): Value { return this.one('Exp', [a]); }
  log(a: Value): Value { return this.one('Log', [a]); }
  sqrt(a: Value): Value { return this.one('Sqrt', [a]); }
  reciprocal(a: Value): Value { return this.one('Reciprocal', [a]); }
  sigmoid(a: Value): Value { return this.one('Sigmoid', [a]); }
  relu(a: Value): Value { return this.one('Relu', [a]); }
  softplus(a: Value): Value { return this.one('Softplus', [a]); }
  softmax(a: Value, axis = -1): Value { return this.one('Softmax', [a], { axis: { i: axis } }); }
  logSoftmax(a: Value, axis = -1): Value { return this.one('LogSoftmax', [a], { axis: { i: axis } }); }
  less(a: Value, b: Value): Value { return this.one('Less', [a, b]); }
  greater(a: Value, b: Value): Value { return this.one('Greater', [a, b]); }
  equal(a: Value, b: Value): Value { return this.one('Equal', [a, b]); }
  where(cond: Value, a: Value, b: Value): Value { return this.one('Where', [cond, a, b]); }
  cast(a: Value, to: DType): Value { return this.one('Cast', [a], { to: { i: { float32: 1, int64: 7, bool: 9 }[to] } }); }
  /** 1 where a > 0, else 0 (ReLU's derivative), as float. */
  step(a: Value): Value { return this.cast(this.greater(a, this.scalar(0)), 'float32'); }

  // ------------------------------------------------------------------ linear algebra and shape
  matMul(a: Value, b: Value): Value { return this.one('MatMul', [a, b]); }
  gemm(a: Value, b: Value, c: Value | null, o: GemmOptions = {}): Value {
    const attrs: Record<string, Attr> = {};
    if (o.transA) attrs.transA = { i: 1 };
    if (o.transB) attrs.transB = { i: 1 };
    if (o.alpha !== undefined) attrs.alpha = { f: o.alpha };
    if (o.beta !== undefined) attrs.beta = { f: o.beta };
    return this.one('Gemm', c ? [a, b, c] : [a, b], attrs);
  }
  reduceSum(a: Value, axes: number[], keepdims = true): Value {
    return this.one('ReduceSum', [a, this.int64s(axes)], { keepdims: { i: keepdims ? 1 : 0 } });
  }
  transpose(a: Value, perm: number[]): Value { return this.one('Transpose', [a], { perm: { ints: perm } }); }
  reshape(a: Value, shape: number[] | Value): Value {
    return this.one('Reshape', [a, Array.isArray(shape) ? this.int64s(shape) : shape]);
  }
  shape(a: Value): Value { return this.one('Shape', [a]); }
  concat(values: Value[], axis: number): Value { return this.one('Concat', values, { axis: { i: axis } }); }
  argMax(a: Value, axis: number, keepdims = false): Value {
    return this.one('ArgMax', [a], { axis: { i: axis }, keepdims: { i: keepdims ? 1 : 0 } });
  }

  // ------------------------------------------------------------------ convolution and pooling (NCHW)
  conv(x: Value, w: Value, bias: Value | null, o: ConvOptions): Value {
    return this.one('Conv', bias ? [x, w, bias] : [x, w], {
      pads: { ints: o.pads }, strides: { ints: o.strides ?? [1, 1] }, kernel_shape: { ints: o.kernel },
    });
  }
  /** Conv's input gradient: the transposed convolution with the forward weights. */
  convTranspose(dy: Value, w: Value, o: ConvOptions): Value {
    return this.one('ConvTranspose', [dy, w], {
      pads: { ints: o.pads }, strides: { ints: o.strides ?? [1, 1] }, kernel_shape: { ints: o.kernel },
    });
  }
  /** Max pooling that also returns, per output, the flat NCHW index of the input it took. */
  maxPoolWithIndices(x: Value, size: number): [Value, Value] {
    const [y, idx] = this.node('MaxPool', [x], { kernel_shape: { ints: [size, size] }, strides: { ints: [size, size] } }, 2);
    return [y, idx];
  }
  maxPool(x: Value, size: number): Value {
    return this.one('MaxPool', [x], { kernel_shape: { ints: [size, size] }, strides: { ints: [size, size] } });
  }
  /** Scatters `x` to the positions `indices` of a zero tensor shaped like `like` (MaxPool's gradient). */
  maxUnpool(x: Value, indices: Value, like: Value, size: number): Value {
    return this.one('MaxUnpool', [x, indices, this.shape(like)], { kernel_shape: { ints: [size, size] }, strides: { ints: [size, size] } });
  }
}
