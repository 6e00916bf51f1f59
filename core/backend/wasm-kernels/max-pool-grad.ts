/**
 * MaxPoolGrad for the tfjs wasm backend when pooling windows do not overlap (filter = stride,
 * 'valid' padding: the 2x2/2 pools of our CNN). The stock kernel scans every window for every
 * output position through generic index arithmetic and was as slow as a convolution gradient
 * in profiles; here each window's arg-max (first maximum in row-major order, as the stock
 * kernel and the cpu backend pick) receives dy in one pass over the input. Other
 * configurations go to the stock kernel.
 */
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, view } from './wasm-heap.ts';
import type { WasmBackendLike } from './wasm-heap.ts';

interface Attrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: unknown;
  dimRoundingMode?: unknown;
}

const pair = (v: [number, number] | number): [number, number] => (Array.isArray(v) ? v : [v, v]);

/** The 2x2/2 case without per-channel scratch arrays: four loads, three compares per output. */
function pool2x2Grad(x: Float32Array, d: Float32Array, o: Float32Array, n: number, h: number, w: number, c: number, ho: number, wo: number): void {
  const rowStride = w * c;
  for (let b = 0; b < n; b++) {
    for (let yo = 0; yo < ho; yo++) {
      for (let xo = 0; xo < wo; xo++) {
        const p00 = ((b * h + 2 * yo) * w + 2 * xo) * c;
        const p01 = p00 + c, p10 = p00 + rowStride, p11 = p10 + c;
        const dBase = ((b * ho + yo) * wo + xo) * c;
        for (let k = 0; k < c; k++) {
          // First maximum in row-major order wins ties, as in the stock and cpu kernels.
          let at = p00 + k;
          let v = x[at];
          if (x[p01 + k] > v) { at = p01 + k; v = x[at]; }
          if (x[p10 + k] > v) { at = p10 + k; v = x[at]; }
          if (x[p11 + k] > v) at = p11 + k;
          o[at] = d[dBase + k];
        }
      }
    }
  }
}

export function makeMaxPoolGradConfig(stock: KernelConfig): KernelConfig {
  const fallback = stock.kernelFunc;
  const maxPoolGrad = (args: { inputs: { dy: TensorInfo; input: TensorInfo; output: TensorInfo }; backend: unknown; attrs: unknown }): TensorInfo => {
    const attrs = args.attrs as Attrs;
    const [fh, fw] = pair(attrs.filterSize);
    const [sh, sw] = pair(attrs.strides);
    const { dy, input } = args.inputs;
    const [n, h, w, c] = input.shape;
    const [, ho, wo] = dy.shape;
    const simple = attrs.pad === 'valid' && fh === sh && fw === sw && ho === Math.floor(h / fh) && wo === Math.floor(w / fw);
    if (!simple) return fallback(args as Parameters<KernelFunc>[0]) as TensorInfo;
    const backend = args.backend as WasmBackendLike;
    const out = allocate(backend, input.shape);
    const x = view(backend, input), d = view(backend, dy), o = view(backend, out);
    o.fill(0);
    if (fh === 2 && fw === 2) {
      pool2x2Grad(x, d, o, n, h, w, c, ho, wo);
      return out;
    }
    const best = new Float32Array(c), arg = new Int32Array(c);
    for (let b = 0; b < n; b++) {
      for (let yo = 0; yo < ho; yo++) {
        for (let xo = 0; xo < wo; xo++) {
          best.fill(-Infinity);
          for (let i = 0; i < fh; i++) {
            for (let j = 0; j < fw; j++) {
              const base = ((b * h + yo * fh + i) * w + xo * fw + j) * c;
              for (let k = 0; k < c; k++) {
                const v = x[base + k];
                if (v > best[k]) {
                  best[k] = v;
                  arg[k] = base + k;
                }
              }
            }
          }
          const dBase = ((b * ho + yo) * wo + xo) * c;
          for (let k = 0; k < c; k++) o[arg[k]] += d[dBase + k];
        }
      }
    }
    return out;
  };
  return { ...stock, kernelFunc: maxPoolGrad as unknown as KernelFunc };
}
