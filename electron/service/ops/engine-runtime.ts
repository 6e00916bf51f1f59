/**
 * The engine runtime a job trains and predicts on: the one the run asks for (options.runtime,
 * options.threads) or the best present, as core/runtime/select-runtime.ts picks it. What is
 * recorded with a run and shown to the user is the runtime's name with its thread count, and
 * the reason (forced, or why each better one was skipped).
 */
import type { RuntimeName } from '../../../api/domain.ts';
import { initBackend } from '../../../core/backend/init-backend.ts';
import { selectRuntime } from '../../../core/runtime/select-runtime.ts';

export interface RuntimeLabel {
  /** e.g. "onnxruntime-cpu (3 threads)". */
  name: string;
  reason: string;
}

export async function chooseRuntime(opts: { runtime?: RuntimeName; threads?: number } = {}): Promise<RuntimeLabel> {
  // tfjs stays initialised on its best backend: the tfjs runtime and the model readers use it.
  if (!opts.runtime?.startsWith('tfjs-')) await initBackend();
  const c = await selectRuntime({ prefer: opts.runtime, threads: opts.threads });
  return { name: `${c.name} (${c.threads} thread${c.threads === 1 ? '' : 's'})`, reason: c.reason };
}
