/**
 * The one training loop of every model kind: advance the trainer one epoch at a time until it
 * is done, the epoch budget of this call is spent, or the signal aborts; checkpoint after every
 * epoch (before announcing it, so an announced epoch is always resumable).
 */
import type { BatchProgress, EpochReport, ModelSnapshot, ModelTrainer } from './types.ts';

export interface RunTrainingOptions {
  trainer: ModelTrainer;
  /** Most epochs to run in this call (default: until done). */
  maxEpochs?: number;
  onEpoch?: (report: EpochReport) => void | Promise<void>;
  onBatch?: (progress: BatchProgress) => void;
  checkpoint?: (snapshot: ModelSnapshot) => Promise<void>;
  signal?: AbortSignal;
}

export interface RunTrainingResult {
  status: 'done' | 'cancelled' | 'max-epochs';
  reports: EpochReport[];
}

export async function runTraining(o: RunTrainingOptions): Promise<RunTrainingResult> {
  const reports: EpochReport[] = [];
  const max = o.maxEpochs ?? Infinity;
  while (!o.trainer.done) {
    if (o.signal?.aborted) return { status: 'cancelled', reports };
    if (reports.length >= max) return { status: 'max-epochs', reports };
    const report = await o.trainer.step(o.onBatch);
    reports.push(report);
    if (o.checkpoint) await o.checkpoint(o.trainer.snapshot());
    await o.onEpoch?.(report);
  }
  return { status: 'done', reports };
}
