/**
 * The engine's one definition of a computation: a small typed graph of ops with ONNX's
 * semantics (opset 17), so that ONNX Runtime runs it as serialised and the tfjs interpreter
 * runs the very same nodes. A model's forward pass, its hand-written backward pass and (where
 * it pays) its update are each such a graph, built once in core/models; the runtimes in
 * core/runtime only execute. Shapes are checked by the runtimes; a graph names its inputs and
 * outputs with their element types and (possibly symbolic) dimensions.
 */

export type DType = 'float32' | 'int64' | 'bool';

/** A dimension: a fixed size or a symbolic name (e.g. 'N' for the batch). */
export type Dim = number | string;

export interface ValueInfo {
  name: string;
  dtype: DType;
  dims: Dim[] | null;
}

/** An attribute of a node, typed as ONNX types it. */
export type Attr = { i: number } | { f: number } | { ints: number[] } | { floats: number[] } | { s: string };

export interface NodeDef {
  op: OpType;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, Attr>;
}

/** A constant tensor baked into the graph (an ONNX initializer). */
export interface ConstantDef {
  name: string;
  dtype: 'float32' | 'int64';
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface GraphDef {
  name: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  nodes: NodeDef[];
  constants: ConstantDef[];
}

/** Every op a graph may use; each has an ONNX meaning and a tfjs interpretation. */
export const OP_TYPES = [
  'Identity', 'Add', 'Sub', 'Mul', 'Div', 'Neg', 'Exp', 'Log', 'Sqrt', 'Reciprocal',
  'Sigmoid', 'Relu', 'Softplus', 'Softmax', 'LogSoftmax', 'MatMul', 'Gemm', 'ReduceSum',
  'Transpose', 'Reshape', 'Shape', 'Concat', 'Less', 'Greater', 'Cast', 'Where',
  'Conv', 'ConvTranspose', 'MaxPool', 'MaxUnpool', 'ArgMax', 'Equal',
] as const;
export type OpType = (typeof OP_TYPES)[number];

/** ONNX's numbers for element types (TensorProto.DataType). */
export const ONNX_DTYPE: Record<DType, number> = { float32: 1, int64: 7, bool: 9 };
