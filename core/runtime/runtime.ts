/**
 * What a runtime is to the engine: something that compiles a GraphDef once and then runs it
 * synchronously on named float inputs. Runs are synchronous on purpose: training happens in a
 * worker thread, one batch after another, and the trainers' loops stay plain loops. ONNX
 * Runtime (core/runtime/ort-runtime.ts) and tfjs (core/runtime/tfjs-runtime.ts) implement it;
 * core/runtime/select-runtime.ts picks the best one present.
 */
import type { GraphDef } from '../graph/graph.ts';

import { RUNTIME_NAMES, type RuntimeName } from '../../api/domain.ts';

export { RUNTIME_NAMES, type RuntimeName };

export interface Feed {
  data: Float32Array;
  dims: number[];
}

export interface Fetched {
  data: Float32Array;
  dims: number[];
}

export interface Executable {
  /** Runs the graph; returns every graph output (float32) by name. */
  run(feeds: Record<string, Feed>): Record<string, Fetched>;
  dispose(): void;
}

export interface GraphRuntime {
  readonly name: RuntimeName;
  /** Intra-op threads the runtime uses (1 for single-threaded backends). */
  readonly threads: number;
  compile(graph: GraphDef): Executable;
}

/** Compiles each graph once per key and reuses it (session creation costs tens of ms). */
export class ExecutableCache {
  private readonly cache = new Map<string, Executable>();
  constructor(private readonly runtime: GraphRuntime) {}

  get(key: string, build: () => GraphDef): Executable {
    let e = this.cache.get(key);
    if (!e) {
      e = this.runtime.compile(build());
      this.cache.set(key, e);
    }
    return e;
  }

  clear(): void {
    for (const e of this.cache.values()) e.dispose();
    this.cache.clear();
  }
}
