/**
 * Kernels the tfjs wasm backend lacks or runs slowly, registered before training starts.
 * (Filled in by the CNN work: Conv2DBackpropFilter, ReluGrad, ...)
 */
export function registerWasmKernels(): void {
  // Nothing registered yet.
}
