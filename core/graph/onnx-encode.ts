/**
 * Serialises a GraphDef as an ONNX ModelProto (protobuf wire format), so that ONNX Runtime, or
 * any ONNX tool (Python onnxruntime, Netron), reads it. ONNX uses a handful of message types
 * and wire types; writing them here (field numbers from onnx/onnx.proto) keeps the engine free
 * of a generated-code dependency. The test that ONNX Runtime loads and runs what this writes is
 * the oracle.
 */
import { ONNX_DTYPE, type Attr, type ConstantDef, type GraphDef, type NodeDef, type ValueInfo } from './graph.ts';

export const ONNX_IR_VERSION = 8;
export const ONNX_OPSET = 17;

class Writer {
  private chunks: Uint8Array[] = [];
  private buf = new Uint8Array(256);
  private pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    this.chunks.push(this.buf.subarray(0, this.pos));
    this.buf = new Uint8Array(Math.max(256, n));
    this.pos = 0;
  }

  varint(v: number | bigint): void {
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.pos++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.pos++] = Number(x);
  }

  tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  string(field: number, s: string): void {
    this.bytes(field, new TextEncoder().encode(s));
  }

  int(field: number, v: number | bigint): void {
    this.tag(field, 0);
    this.varint(v);
  }

  float(field: number, v: number): void {
    this.tag(field, 5);
    this.ensure(4);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 4).setFloat32(0, v, true);
    this.pos += 4;
  }

  message(field: number, write: (w: Writer) => void): void {
    const w = new Writer();
    write(w);
    this.bytes(field, w.finish());
  }

  finish(): Uint8Array {
    const parts = [...this.chunks, this.buf.subarray(0, this.pos)];
    const total = parts.reduce((s, p) => s + p.length, 0);
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

function writeTensor(w: Writer, c: ConstantDef): void {
  for (const d of c.dims) w.int(1, d);
  w.int(2, ONNX_DTYPE[c.dtype]);
  w.string(8, c.name);
  // raw_data is little-endian, which every platform Node runs on is.
  w.bytes(9, new Uint8Array(c.data.buffer, c.data.byteOffset, c.data.byteLength));
}

function writeValueInfo(w: Writer, v: ValueInfo): void {
  w.string(1, v.name);
  w.message(2, (t) =>
    t.message(1, (tt) => {
      tt.int(1, ONNX_DTYPE[v.dtype]);
      if (v.dims) {
        tt.message(2, (shape) => {
          for (const d of v.dims!) shape.message(1, (dim) => (typeof d === 'number' ? dim.int(1, d) : dim.string(2, d)));
        });
      }
    }),
  );
}

function writeAttr(w: Writer, name: string, a: Attr): void {
  w.string(1, name);
  if ('i' in a) {
    w.int(3, a.i);
    w.int(20, 2);
  } else if ('f' in a) {
    w.float(2, a.f);
    w.int(20, 1);
  } else if ('ints' in a) {
    for (const v of a.ints) w.int(8, v);
    w.int(20, 7);
  } else if ('floats' in a) {
    for (const v of a.floats) w.float(7, v);
    w.int(20, 6);
  } else {
    w.bytes(4, new TextEncoder().encode(a.s));
    w.int(20, 3);
  }
}

function writeNode(w: Writer, n: NodeDef, index: number): void {
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op}_${index}`);
  w.string(4, n.op);
  for (const [k, a] of Object.entries(n.attrs)) w.message(5, (aw) => writeAttr(aw, k, a));
}

/** The ONNX ModelProto bytes of `graph`, with optional metadata (key/value strings). */
export function encodeOnnxModel(graph: GraphDef, metadata: Record<string, string> = {}, producer = 'affect-relearn'): Uint8Array {
  const w = new Writer();
  w.int(1, ONNX_IR_VERSION);
  w.string(2, producer);
  w.message(7, (g) => {
    graph.nodes.forEach((n, i) => g.message(1, (nw) => writeNode(nw, n, i)));
    g.string(2, graph.name);
    for (const c of graph.constants) g.message(5, (tw) => writeTensor(tw, c));
    for (const v of graph.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of graph.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (o) => {
    o.string(1, '');
    o.int(2, ONNX_OPSET);
  });
  for (const [key, value] of Object.entries(metadata)) {
    w.message(14, (m) => {
      m.string(1, key);
      m.string(2, value);
    });
  }
  return w.finish();
}
