/**
 * The estimate of a training run's remaining time, for the whole run and not the epoch in
 * progress: the epochs still planned after this one times the mean epoch duration, plus the
 * rest of this epoch. Before any epoch has finished (a fresh or resumed run) the epoch's
 * duration is extrapolated from its first batches, so an estimate exists from the start.
 * `planned` is an upper bound (early stopping and the Adaptive DBN may end sooner).
 */
export interface EtaInput {
  /** Global 1-based epoch in progress. */
  epoch: number;
  batch: number;
  batches: number;
  planned: number;
  /** Durations of the epochs finished in this process. */
  epochSeconds: readonly number[];
  /** Seconds since the epoch in progress started. */
  epochElapsed: number;
}

export function runEtaSeconds(p: EtaInput): number | null {
  const done = p.batches > 0 ? Math.min(1, Math.max(0, p.batch / p.batches)) : 0;
  let perEpoch: number | null = null;
  if (p.epochSeconds.length) perEpoch = p.epochSeconds.reduce((a, b) => a + b, 0) / p.epochSeconds.length;
  else if (done > 0 && p.epochElapsed > 0) perEpoch = p.epochElapsed / done;
  if (perEpoch === null) return null;
  return Math.max(0, (1 - done) * perEpoch + Math.max(0, p.planned - p.epoch) * perEpoch);
}
