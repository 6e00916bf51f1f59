/**
 * Turns the contract's training options into a model kind's trainer configuration, leaving
 * every option the user did not set at METHOD.md's default (an undefined value must never
 * override a default), and estimates how many epochs a run will take for the ETA.
 */
import type { ModelKind, TrainingOptions } from '../../../api/contract.ts';
import { DEFAULT_CNN_CONFIG } from '../../../core/models/cnn/cnn-config.ts';
import { DEFAULT_DBN_CONFIG } from '../../../core/models/dbn/dbn-config.ts';
import { DEFAULT_ADAPTIVE_RULES } from '../../../core/models/rbm/adaptive-rules.ts';
import { methodTrainerConfig } from './method-config.ts';

export const DEFAULT_SEED = 1;

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0))) as Partial<T>;
}

/** The trainer configuration of the options; `o.method` (METHOD constants) is merged in by path. */
export function trainerConfig(kind: ModelKind, o: TrainingOptions): Record<string, unknown> {
  const method = methodTrainerConfig(kind, o.method ?? {});
  if (kind === 'cnn') {
    return { ...method, ...defined({ maxEpochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, patience: o.patience }) };
  }
  const nested = (key: 'rules' | 'mlp' | 'rbm', own: Record<string, unknown>) => defined({ ...(method[key] as Record<string, unknown> | undefined), ...defined(own) });
  return defined({
    ...method,
    fineTuneEpochs: o.epochs,
    maxEpochsPerLayer: o.pretrainEpochs,
    initialUnits: kind === 'adbn' ? o.hiddenUnits?.[0] : undefined,
    hiddenUnits: kind === 'dbn' ? o.hiddenUnits : undefined,
    patience: o.patience,
    useSoftTargets: o.softTargets,
    rules: nested('rules', { maxLayers: o.maxLayers }),
    mlp: nested('mlp', { learningRate: o.learningRate, batchSize: o.batchSize }),
    rbm: nested('rbm', { batchSize: o.batchSize }),
  });
}

/** An upper bound on the epochs of a run, for the ETA (adaptive runs usually stop earlier). */
export function plannedEpochs(kind: ModelKind, o: TrainingOptions): number {
  if (kind === 'cnn') return o.epochs ?? DEFAULT_CNN_CONFIG.maxEpochs;
  const perLayer = o.pretrainEpochs ?? DEFAULT_DBN_CONFIG.maxEpochsPerLayer;
  const layers = kind === 'dbn' ? (o.hiddenUnits ?? DEFAULT_DBN_CONFIG.hiddenUnits).length : (o.maxLayers ?? DEFAULT_ADAPTIVE_RULES.maxLayers);
  return layers * perLayer + (o.epochs ?? DEFAULT_DBN_CONFIG.fineTuneEpochs);
}
