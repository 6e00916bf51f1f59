/**
 * Picks the best engine runtime present and says why. Best first: tfjs-node-gpu when a CUDA GPU
 * answers; ONNX Runtime with a GPU provider that answers (CUDA when the user installed it,
 * WebGPU, bundled, when an adapter exists); ONNX Runtime on the CPU (bundled in the npm package
 * for Linux, macOS and Windows); tfjs-node; tfjs wasm; tfjs cpu. Each candidate is probed by
 * compiling and running a one-node graph, so a provider that loads but cannot run is skipped
 * with its reason. `AFFECT_RELEARN_BACKEND` (or `prefer`) forces one; a forced runtime that fails
 * falls through to the next best, and the reason says so. Threads default to all cores but one.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend, type BackendName } from '../backend/init-backend.ts';
import { GraphBuilder } from '../graph/builder.ts';
import { loadOrt, OrtRuntime, type OrtProvider } from './ort-runtime.ts';
import type { GraphDef } from '../graph/graph.ts';
import { ExecutableCache, RUNTIME_NAMES, type Executable, type GraphRuntime, type RuntimeName } from './runtime.ts';
import { TfjsRuntime } from './tfjs-runtime.ts';

export const RUNTIME_ORDER: readonly RuntimeName[] = RUNTIME_NAMES;
export const RUNTIME_ENV_VAR = 'AFFECT_RELEARN_BACKEND';
/** The tfjs backend names accepted before the engine had runtimes, mapped to runtimes. */
const LEGACY: Record<string, RuntimeName> = {
  'tensorflow-gpu': 'tfjs-tensorflow-gpu', tensorflow: 'tfjs-tensorflow', wasm: 'tfjs-wasm', cpu: 'tfjs-cpu',
};

export interface RuntimeChoice {
  runtime: GraphRuntime;
  name: RuntimeName;
  threads: number;
  /** Why this one: forced or best available, and why each better one was skipped. */
  reason: string;
  skipped: { name: RuntimeName; reason: string }[];
}

export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** Parses a runtime name as a user may give it (new or legacy spelling); throws naming the choices. */
export function parseRuntimeName(value: string, source: string): RuntimeName {
  if ((RUNTIME_ORDER as readonly string[]).includes(value)) return value as RuntimeName;
  if (value in LEGACY) return LEGACY[value];
  throw new Error(`${source}=${value}: expected one of ${RUNTIME_ORDER.join(', ')}`);
}

function tfBackendName(): string {
  const b = tf.getBackend();
  return b === 'tensorflow' ? 'tensorflow' : b === 'wasm' ? 'wasm' : 'cpu';
}

function hasRenderNode(): boolean {
  try {
    return readdirSync('/dev/dri').some((f) => f.startsWith('renderD'));
  } catch {
    return false;
  }
}

function errorText(e: unknown): string {
  const m = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  if (m.includes('RequestAdapterStatus')) return 'no WebGPU adapter answered (no GPU driver)';
  if (m.includes('Cuda') && m.includes('shared library')) return 'the CUDA provider is not installed (see the README, GPU runtimes)';
  return m.replace(/ imported from .*$/, '').slice(0, 200);
}

function probe(runtime: GraphRuntime): void {
  const g = new GraphBuilder('probe');
  const a = g.input('a', [2]);
  g.output('y', g.mul(a, a));
  const e = runtime.compile(g.build());
  try {
    const y = e.run({ a: { data: Float32Array.of(2, 3), dims: [2] } }).y.data;
    if (y[0] !== 4 || y[1] !== 9) throw new Error(`probe computed ${Array.from(y)} for [2, 3] squared`);
  } finally {
    e.dispose();
  }
}

const TFJS_BACKEND: Partial<Record<RuntimeName, BackendName>> = {
  'tfjs-tensorflow-gpu': 'tensorflow-gpu', 'tfjs-tensorflow': 'tensorflow', 'tfjs-wasm': 'wasm', 'tfjs-cpu': 'cpu',
};

async function tryRuntime(name: RuntimeName, threads: number): Promise<GraphRuntime | string> {
  const backend = TFJS_BACKEND[name];
  if (backend) {
    try {
      const chosen = await initBackend({ prefer: backend, exact: true });
      if (chosen.name !== backend) return `tfjs backend ${backend} unavailable`;
    } catch (e) {
      return errorText(e);
    }
    const rt = new TfjsRuntime(name);
    try {
      probe(rt);
    } catch (e) {
      return errorText(e);
    }
    return rt;
  }
  try {
    loadOrt();
  } catch (e) {
    return `onnxruntime-node is not importable (${errorText(e)})`;
  }
  // On Linux a GPU shows as a DRM render node; without one, WebGPU's probe can only fail (and
  // its Vulkan loader prints a warning on every start), so it is not tried.
  if (name === 'onnxruntime-webgpu' && process.platform === 'linux' && !hasRenderNode()) return 'no GPU render node (/dev/dri/renderD*)';
  const rt = new OrtRuntime(threads, name.replace('onnxruntime-', '') as OrtProvider);
  try {
    probe(rt);
  } catch (e) {
    return errorText(e).replace(/^ONNX Runtime rejected graph probe: /, '');
  }
  return rt;
}

let current: RuntimeChoice | null = null;

/**
 * The runtime for this process: chosen once and reused unless a different `prefer` or
 * `threads` is asked for.
 */
export async function selectRuntime(opts: { prefer?: RuntimeName | string; threads?: number } = {}): Promise<RuntimeChoice> {
  const threads = opts.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new Error(`threads: expected an integer >= 1, got ${threads}`);
  const env = process.env[RUNTIME_ENV_VAR];
  const forced = opts.prefer ? parseRuntimeName(opts.prefer, 'runtime') : env ? parseRuntimeName(env, RUNTIME_ENV_VAR) : undefined;
  if (current && (!forced || forced === current.name) && threads === current.threads) return current;
  const order = forced ? [forced, ...RUNTIME_ORDER.filter((n) => n !== forced && RUNTIME_ORDER.indexOf(n) > RUNTIME_ORDER.indexOf(forced))] : RUNTIME_ORDER;
  const skipped: { name: RuntimeName; reason: string }[] = [];
  for (const name of order) {
    const r = await tryRuntime(name, threads);
    if (typeof r !== 'string') {
      const source = forced === name ? (opts.prefer ? 'forced by option' : `forced by ${RUNTIME_ENV_VAR}`) : 'best available';
      const reason = [source, ...skipped.map((s) => `${s.name} skipped: ${s.reason}`)].join('; ');
      current = { runtime: r, name, threads: r.threads, reason, skipped };
      return current;
    }
    skipped.push({ name, reason: r });
  }
  throw new Error(`no engine runtime could start: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

/** The runtime chosen by selectRuntime in this process, or null before it ran. */
export function currentRuntime(): RuntimeChoice | null {
  return current;
}

/**
 * The runtime models run on: the one selectRuntime chose, else (for code that did not select,
 * such as a unit test) ONNX Runtime on the CPU with the default threads when it loads, else tfjs
 * on its active backend. Synchronous, so trainers can ask for it where they are built.
 */
export function engineRuntime(): GraphRuntime {
  if (current) return current.runtime;
  let runtime: GraphRuntime;
  let name: RuntimeName;
  let reason: string;
  try {
    loadOrt();
    runtime = new OrtRuntime(defaultThreads(), 'cpu');
    probe(runtime);
    name = 'onnxruntime-cpu';
    reason = 'default (no runtime was selected)';
  } catch (e) {
    name = `tfjs-${tfBackendName()}` as RuntimeName;
    runtime = new TfjsRuntime(name);
    reason = `default: onnxruntime-node unavailable (${errorText(e)})`;
  }
  current = { runtime, name, threads: runtime.threads, reason, skipped: [] };
  return runtime;
}

const caches = new WeakMap<GraphRuntime, ExecutableCache>();

/**
 * The compiled form of a graph on the process's runtime, compiled on first use under `key` (a
 * graph's key must name everything its structure depends on).
 */
export function compiled(key: string, build: () => GraphDef): Executable {
  const rt = engineRuntime();
  let cache = caches.get(rt);
  if (!cache) {
    cache = new ExecutableCache(rt);
    caches.set(rt, cache);
  }
  return cache.get(key, build);
}
