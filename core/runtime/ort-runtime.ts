/**
 * ONNX Runtime as an engine runtime: each GraphDef is serialised to ONNX once and loaded into a
 * session with the chosen execution provider and thread count. Runs go through the package's
 * synchronous native session (its public `run` only defers the same call to setImmediate), so a
 * trainer's batch loop stays synchronous inside its worker thread. Thread spinning is off:
 * with it on, 2 threads ran slower than 1 when the other core was busy, and spinning threads
 * slowed the JS work between runs.
 */
import { createRequire } from 'node:module';
import type { GraphDef } from '../graph/graph.ts';
import { encodeOnnxModel } from '../graph/onnx-encode.ts';
import type { Executable, Feed, Fetched, GraphRuntime, RuntimeName } from './runtime.ts';

interface NativeTensor {
  data: Float32Array;
  dims: readonly number[];
  type: string;
}
interface NativeSession {
  loadModel(buffer: ArrayBuffer, byteOffset: number, byteLength: number, options: object): void;
  run(feeds: Record<string, unknown>, fetches: Record<string, null>, options: object): Record<string, NativeTensor>;
  dispose(): void;
}
interface OrtModules {
  binding: { InferenceSession: new () => NativeSession; listSupportedBackends: () => { name: string; bundled: boolean }[] };
  initOrt: () => void;
  Tensor: new (type: string, data: Float32Array, dims: readonly number[]) => unknown;
}

let modules: OrtModules | null = null;

/** Loads onnxruntime-node (an optional dependency at run time); throws when it is absent. */
export function loadOrt(): OrtModules {
  if (modules) return modules;
  const require = createRequire(import.meta.url);
  const b = require('onnxruntime-node/dist/binding') as { binding: OrtModules['binding']; initOrt: () => void };
  const common = require('onnxruntime-common') as { Tensor: OrtModules['Tensor']; env: { logLevel?: string } };
  // Failures reach the caller as exceptions with their message; ORT's own log would also print
  // each probed-but-absent GPU provider (CUDA libraries, WebGPU adapter) as an error line.
  if (!process.env.ORT_LOG_LEVEL) common.env.logLevel = 'fatal';
  modules = { binding: b.binding, initOrt: b.initOrt, Tensor: common.Tensor };
  return modules;
}

export type OrtProvider = 'cpu' | 'webgpu' | 'cuda';

export class OrtRuntime implements GraphRuntime {
  readonly name: RuntimeName;
  constructor(
    readonly threads: number,
    readonly provider: OrtProvider = 'cpu',
  ) {
    this.name = `onnxruntime-${provider}` as RuntimeName;
  }

  sessionOptions(): object {
    return {
      executionProviders: [this.provider],
      intraOpNumThreads: this.threads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      enableCpuMemArena: true,
      // Memory patterns pre-plan one block per graph for the largest shapes seen; with the
      // CNN's training graphs that raised a demo run's peak RSS from ~0.75 GB to ~1.1 GB at no
      // measurable speed gain (docs/benchmark.md). The arena stays: without it epochs took 2x.
      enableMemPattern: false,
      extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
    };
  }

  compile(graph: GraphDef): Executable {
    const ort = loadOrt();
    ort.initOrt();
    const bytes = encodeOnnxModel(graph);
    const session = new ort.binding.InferenceSession();
    try {
      session.loadModel(bytes.buffer as ArrayBuffer, bytes.byteOffset, bytes.byteLength, this.sessionOptions());
    } catch (e) {
      throw new Error(`ONNX Runtime rejected graph ${graph.name}: ${e instanceof Error ? e.message : String(e)}`);
    }
    const outputNames = graph.outputs.map((o) => o.name);
    const fetches = Object.fromEntries(outputNames.map((n) => [n, null])) as Record<string, null>;
    const inputNames = new Set(graph.inputs.map((i) => i.name));
    return {
      run(feeds: Record<string, Feed>): Record<string, Fetched> {
        const native: Record<string, unknown> = {};
        for (const [name, f] of Object.entries(feeds)) {
          if (!inputNames.has(name)) throw new Error(`graph ${graph.name} has no input ${name}`);
          native[name] = new ort.Tensor('float32', f.data, f.dims);
        }
        const out = session.run(native, fetches, {});
        const result: Record<string, Fetched> = {};
        for (const n of outputNames) result[n] = { data: out[n].data, dims: [...out[n].dims] };
        return result;
      },
      dispose(): void {
        session.dispose();
      },
    };
  }
}
