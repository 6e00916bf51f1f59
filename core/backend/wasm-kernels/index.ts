/**
 * Kernels the tfjs wasm backend lacks or runs slowly, registered before training starts:
 * Conv2DBackpropFilter (missing), Conv2DBackpropInput (stock one is a slow loop),
 * BatchMatMul with transposed operands (stock one leaves XNNPACK) and MaxPoolGrad for
 * non-overlapping windows (stock one is slow). Safe to call more than
 * once and before or after the wasm backend is initialised (the stock setup functions are kept).
 * Gradients of ReLU and sigmoid are composed of existing kernels (Step, Mul) in tfjs 4.22, so
 * they need no kernel here. Note that tfjs-core's Node bundle registers no gradient functions
 * (tf.grad/variableGrads fail with "gradient function not found"), so our CNN does its
 * backward pass by hand with these kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { makeBatchMatMulConfig } from './batch-matmul.ts';
import { conv2dBackpropFilterConfig } from './conv2d-backprop-filter.ts';
import { makeConv2dBackpropInputConfig } from './conv2d-backprop-input.ts';
import { makeMaxPoolGradConfig } from './max-pool-grad.ts';

let registered = false;

function replace(config: tf.KernelConfig): void {
  if (tf.getKernel(config.kernelName, 'wasm')) tf.unregisterKernel(config.kernelName, 'wasm');
  tf.registerKernel(config);
}

export function registerWasmKernels(): void {
  if (registered) return;
  registered = true;
  const stockMatMul = tf.getKernel('BatchMatMul', 'wasm');
  const stockBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const stockMaxPoolGrad = tf.getKernel('MaxPoolGrad', 'wasm');
  if (!stockMatMul || !stockBackpropInput || !stockMaxPoolGrad) throw new Error('tfjs wasm backend kernels not found (is @tensorflow/tfjs-backend-wasm loaded?)');
  replace(makeBatchMatMulConfig(stockMatMul));
  replace(makeConv2dBackpropInputConfig(stockBackpropInput));
  replace(conv2dBackpropFilterConfig);
  replace(makeMaxPoolGradConfig(stockMaxPoolGrad));
}
