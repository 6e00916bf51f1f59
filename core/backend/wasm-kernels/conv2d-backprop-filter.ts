/**
 * Conv2DBackpropFilter for the tfjs wasm backend, which has none (training a CNN on 'wasm'
 * fails without it). The filter gradient of a stride-1 convolution is itself a convolution:
 * with x viewed as [Ci, H, W, N] (channels as the batch, the batch as channels) and dy viewed as
 * a filter [Ho, Wo, N, Co], conv2d(x', dy') is [Ci, fh, fw, Co], i.e. dW up to a transpose.
 * That runs on the backend's XNNPACK convolution (an implicit GEMM of (Ci*fh*fw) x (N*H*W) by
 * (N*H*W) x Co, with no im2col copy), far faster than a transposed matMul or JS loops.
 * Strided or dilated convolutions (not used by our models) fall back to a direct JS loop.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, call, free, transpose4d, view, wasmKernel } from './wasm-heap.ts';
import type { WasmBackendLike } from './wasm-heap.ts';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  filterShape: [number, number, number, number];
}

function conv2dBackpropFilter(args: { inputs: { x: TensorInfo; dy: TensorInfo }; backend: unknown; attrs: unknown }): TensorInfo {
  const backend = args.backend as WasmBackendLike;
  const { x, dy } = args.inputs;
  const attrs = args.attrs as Attrs;
  if (attrs.dataFormat === 'NCHW') throw new Error('Conv2DBackpropFilter (wasm): only NHWC is supported');
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], attrs.filterShape, attrs.strides, 1, attrs.pad,
    attrs.dimRoundingMode, false, 'channelsLast');
  if (info.strideHeight === 1 && info.strideWidth === 1) return viaConvolution(backend, x, dy, info);
  return direct(backend, x, dy, info);
}

function viaConvolution(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const { filterHeight: fh, filterWidth: fw } = info;
  const { top, left } = info.padInfo;
  const xT = allocate(backend, [ci, h, w, n]);
  const dyT = allocate(backend, [ho, wo, n, co]);
  transpose4d(view(backend, x), x.shape, [3, 1, 2, 0], view(backend, xT));
  transpose4d(view(backend, dy), dy.shape, [1, 2, 0, 3], view(backend, dyT));
  // Output rows: h + top + bottom - ho + 1 must equal fh (same for columns).
  const bottom = fh - 1 + ho - h - top;
  const right = fw - 1 + wo - w - left;
  const r = call(wasmKernel('Conv2D'), backend, { x: xT, filter: dyT }, {
    strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined as unknown as string,
    pad: [[0, 0], [top, bottom], [left, right], [0, 0]] as unknown as number,
  });
  free(backend, xT);
  free(backend, dyT);
  const out = allocate(backend, [fh, fw, ci, co]);
  transpose4d(view(backend, r), [ci, fh, fw, co], [1, 2, 0, 3], view(backend, out));
  free(backend, r);
  return out;
}

/** Reference loop for strided convolutions: dW[i,j,c,k] = sum x[b, y*s+i-top, x*s+j-left, c] dy[b,y,x,k]. */
function direct(backend: WasmBackendLike, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [, ho, wo, co] = dy.shape;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = info;
  const { top, left } = info.padInfo;
  const out = allocate(backend, [fh, fw, ci, co]);
  const xs = view(backend, x), ds = view(backend, dy), o = view(backend, out);
  o.fill(0);
  for (let b = 0; b < n; b++) {
    for (let yo = 0; yo < ho; yo++) {
      for (let xo = 0; xo < wo; xo++) {
        const dOff = ((b * ho + yo) * wo + xo) * co;
        for (let i = 0; i < fh; i++) {
          const yi = yo * sh + i - top;
          if (yi < 0 || yi >= h) continue;
          for (let j = 0; j < fw; j++) {
            const xi = xo * sw + j - left;
            if (xi < 0 || xi >= w) continue;
            const xOff = ((b * h + yi) * w + xi) * ci;
            const oBase = (i * fw + j) * ci * co;
            for (let c = 0; c < ci; c++) {
              const v = xs[xOff + c];
              if (v === 0) continue;
              const oo = oBase + c * co;
              for (let k = 0; k < co; k++) o[oo + k] += v * ds[dOff + k];
            }
          }
        }
      }
    }
  }
  return out;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: conv2dBackpropFilter as unknown as KernelFunc,
};
