/**
 * Conv2DBackpropInput for the tfjs wasm backend. The stock kernel is a plain loop (about 15x
 * slower than the forward convolution on our CNN's shapes). For stride 1 the input gradient is
 * a forward convolution of dy with the filter rotated by 180 degrees and its channel axes
 * swapped, with padding fh-1-top (etc.), which runs on the backend's XNNPACK convolution.
 * Anything else is delegated to the stock kernel.
 */
import { backend_util } from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import { allocate, call, free, view, wasmKernel } from './wasm-heap.ts';
import type { WasmBackendLike } from './wasm-heap.ts';

interface Attrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  inputShape: [number, number, number, number];
}

export function makeConv2dBackpropInputConfig(stock: KernelConfig): KernelConfig {
  const fallback = stock.kernelFunc;
  const conv2dBackpropInput = (args: { inputs: { dy: TensorInfo; filter: TensorInfo }; backend: unknown; attrs: unknown }): TensorInfo => {
    const backend = args.backend as WasmBackendLike;
    const { dy, filter } = args.inputs;
    const attrs = args.attrs as Attrs;
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape, filter.shape as [number, number, number, number], attrs.strides, 1, attrs.pad,
      attrs.dimRoundingMode, false, attrs.dataFormat === 'NCHW' ? 'channelsFirst' : 'channelsLast');
    const { filterHeight: fh, filterWidth: fw } = info;
    const [, h, w] = attrs.inputShape;
    const [, ho, wo] = dy.shape;
    const top = fh - 1 - info.padInfo.top;
    const left = fw - 1 - info.padInfo.left;
    const bottom = h - ho - top + fh - 1;
    const right = w - wo - left + fw - 1;
    const simple = info.strideHeight === 1 && info.strideWidth === 1 && attrs.dataFormat !== 'NCHW'
      && Math.min(top, left, bottom, right) >= 0;
    if (!simple) return fallback(args as Parameters<KernelFunc>[0]) as TensorInfo;
    const [, , ci, co] = filter.shape;
    const rotated = allocate(backend, [fh, fw, co, ci]);
    const src = view(backend, filter), dst = view(backend, rotated);
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        const sBase = ((fh - 1 - i) * fw + (fw - 1 - j)) * ci * co;
        const dBase = (i * fw + j) * co * ci;
        for (let c = 0; c < ci; c++) for (let k = 0; k < co; k++) dst[dBase + k * ci + c] = src[sBase + c * co + k];
      }
    }
    const out = call(wasmKernel('Conv2D'), backend, { x: dy, filter: rotated }, {
      strides: [1, 1], dilations: [1, 1], dataFormat: 'NHWC', dimRoundingMode: undefined as unknown as string,
      pad: [[0, 0], [top, bottom], [left, right], [0, 0]] as unknown as number,
    });
    free(backend, rotated);
    return out;
  };
  return { ...stock, kernelFunc: conv2dBackpropInput as unknown as KernelFunc };
}
