/**
 * A run's recorded configuration as rows to show beside it: the main options it was started
 * with, and every METHOD constant it ran with (the service records them all, defaults
 * included), each marked when it differs from METHOD.md's default so a varied run stands out.
 * Runs recorded before the constants were options have no `method`; their constants were the
 * defaults of that time, which the rows do not guess.
 */
import type { ModelKind, TrainingOptions } from '../../api/contract.ts';
import { methodOptionsFor } from '../../api/method-options.ts';

export interface ConfigRow {
  label: string;
  value: string;
  /** A METHOD constant set away from its default. */
  changed: boolean;
}

const MAIN: [keyof TrainingOptions, string][] = [
  ['epochs', 'epochs'],
  ['pretrainEpochs', 'RBM epochs per layer'],
  ['hiddenUnits', 'hidden units'],
  ['maxLayers', 'max layers'],
  ['batchSize', 'batch size'],
  ['learningRate', 'learning rate'],
  ['patience', 'patience'],
  ['seed', 'seed'],
  ['maxSamples', 'max training faces'],
  ['softTargets', 'soft targets'],
];

const show = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

export function runConfigRows(kind: ModelKind, config: TrainingOptions): { main: ConfigRow[]; method: ConfigRow[] } {
  const main = MAIN.filter(([k]) => config[k] !== undefined).map(([k, label]) => ({ label, value: show(config[k]), changed: false }));
  const recorded = config.method ?? {};
  const method = methodOptionsFor(kind)
    .filter((s) => recorded[s.key] !== undefined)
    .map((s) => ({ label: s.label, value: show(recorded[s.key]), changed: recorded[s.key] !== s.default }));
  return { main, method };
}
