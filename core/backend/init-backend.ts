/**
 * Picks the fastest tfjs backend present at run time and says why: tfjs-node-gpu (when it is
 * importable and a CUDA GPU answers), tfjs-node, wasm (SIMD, registered with our extra kernels),
 * then cpu (pure JS, ~30x slower than wasm). The native packages are optional dependencies that
 * cannot be installed everywhere, so they are imported dynamically by a non-literal specifier
 * (the type-check must pass without them). `AFFECT_RELEARN_BACKEND` or `prefer` forces one;
 * every backend skipped on the way records its reason.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmKernels } from './wasm-kernels/index.ts';

export const BACKEND_NAMES = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice {
  name: BackendName;
  /** Why this one: forced, or the reasons the better ones were skipped. */
  reason: string;
  skipped: { name: BackendName; reason: string }[];
}

export const BACKEND_ENV_VAR = 'AFFECT_RELEARN_BACKEND';

let current: BackendChoice | null = null;

/** Loads a module by a computed name so that TypeScript does not require it to exist. */
async function importOptional(spec: string): Promise<unknown> {
  return import(/* @vite-ignore */ spec);
}

function errorText(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  // Node's resolution errors end in " imported from <absolute path>": not useful to a user.
  return m.split('\n')[0].replace(/ imported from .*$/, '').slice(0, 200);
}

async function tryNative(gpu: boolean): Promise<string | null> {
  const pkg = gpu ? '@tensorflow/tfjs-node-gpu' : '@tensorflow/tfjs-node';
  try {
    await importOptional(pkg);
  } catch (e) {
    return `${pkg} is not importable (${errorText(e)})`;
  }
  if (!tf.findBackend('tensorflow')) return `${pkg} loaded but registered no 'tensorflow' backend`;
  if (!(await tf.setBackend('tensorflow'))) return `${pkg}: the 'tensorflow' backend failed to initialise`;
  if (gpu) {
    const binding = (tf.backend() as unknown as { binding?: { isUsingGpuDevice?: () => boolean } }).binding;
    const usesGpu = typeof binding?.isUsingGpuDevice === 'function' ? binding.isUsingGpuDevice() : false;
    if (!usesGpu) return `${pkg} loaded but no CUDA GPU answered`;
  }
  return null;
}

async function trySimple(name: 'wasm' | 'cpu'): Promise<string | null> {
  try {
    if (name === 'wasm') registerWasmKernels();
    if (!(await tf.setBackend(name))) return `the ${name} backend failed to initialise`;
    await tf.ready();
    return null;
  } catch (e) {
    return `the ${name} backend failed (${errorText(e)})`;
  }
}

async function tryBackend(name: BackendName): Promise<string | null> {
  if (name === 'tensorflow-gpu') return tryNative(true);
  if (name === 'tensorflow') return tryNative(false);
  return trySimple(name);
}

/**
 * Sets the tfjs backend once per process (later calls return the first choice unless a
 * different `prefer` is given). A forced backend that fails falls through to the next best.
 */
export async function initBackend(opts: { prefer?: BackendName; exact?: boolean } = {}): Promise<BackendChoice> {
  // The variable also names engine runtimes (core/runtime): 'tfjs-wasm' means the wasm backend,
  // an ONNX Runtime name says nothing about tfjs.
  const envPref = process.env[BACKEND_ENV_VAR]?.replace(/^tfjs-/, '');
  let forced: BackendName | undefined = opts.prefer;
  if (!forced && envPref && !envPref.startsWith('onnxruntime-')) {
    if (!(BACKEND_NAMES as readonly string[]).includes(envPref)) {
      throw new Error(`${BACKEND_ENV_VAR}=${envPref}: expected one of ${BACKEND_NAMES.join(', ')}`);
    }
    forced = envPref as BackendName;
  }
  if (current && (!forced || forced === current.name)) return current;
  const order: BackendName[] = forced
    ? opts.exact ? [forced] : [forced, ...BACKEND_NAMES.slice(BACKEND_NAMES.indexOf(forced) + 1)]
    : [...BACKEND_NAMES];
  const skipped: { name: BackendName; reason: string }[] = [];
  for (const name of order) {
    const why = await tryBackend(name);
    if (why === null) {
      const source = forced === name ? (opts.prefer ? 'forced by option' : `forced by ${BACKEND_ENV_VAR}`) : 'best available';
      const reason = [source, ...skipped.map((s) => `${s.name} skipped: ${s.reason}`)].join('; ');
      current = { name, reason, skipped };
      return current;
    }
    skipped.push({ name, reason: why });
  }
  throw new Error(`no tfjs backend could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** The backend chosen by initBackend, or null before it ran. */
export function currentBackend(): BackendChoice | null {
  return current;
}
