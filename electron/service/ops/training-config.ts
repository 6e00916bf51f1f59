/**
 * Turns the contract's training options into a model kind's trainer configuration, leaving
 * every option the user did not set at METHOD.md's default (an undefined value must never
 * override a default), and estimates how many epochs a run will take for the ETA.
 */
import type { ModelKind, TrainingOptions } from '../../../api/contract.ts';
import { DEFAULT_CNN_CONFIG } from '../../../core/models/cnn/cnn-config.ts';
import { DEFAULT_DBN_CONFIG } from '../../../core/models/dbn/dbn-config.ts';
import { DEFAULT_ADAPTIVE_RULES } from '../../../core/models/rbm/adaptive-rules.ts';

export const DEFAULT_SEED = 1;

function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && !(typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0))) as Partial<T>;
}

export function trainerConfig(kind: ModelKind, o: TrainingOptions): Record<string, unknown> {
  if (kind === 'cnn') {
    return defined({ maxEpochs: o.epochs, batchSize: o.batchSize, learningRate: o.learningRate, patience: o.patience });
  }
  return defined({
    fineTuneEpochs: o.epochs,
    maxEpochsPerLayer: o.pretrainEpochs,
    initialUnits: kind === 'adbn' ? o.hiddenUnits?.[0] : undefined,
    hiddenUnits: kind === 'dbn' ? o.hiddenUnits : undefined,
    patience: o.patience,
    useSoftTargets: o.softTargets,
    rules: defined({ maxLayers: o.maxLayers }),
    mlp: defined({ learningRate: o.learningRate, batchSize: o.batchSize }),
    rbm: defined({ batchSize: o.batchSize }),
  });
}

/** An upper bound on the epochs of a run, for the ETA (adaptive runs usually stop earlier). */
export function plannedEpochs(kind: ModelKind, o: TrainingOptions): number {
  if (kind === 'cnn') return o.epochs ?? DEFAULT_CNN_CONFIG.maxEpochs;
  const perLayer = o.pretrainEpochs ?? DEFAULT_DBN_CONFIG.maxEpochsPerLayer;
  const layers = kind === 'dbn' ? (o.hiddenUnits ?? DEFAULT_DBN_CONFIG.hiddenUnits).length : (o.maxLayers ?? DEFAULT_ADAPTIVE_RULES.maxLayers);
  return layers * perLayer + (o.epochs ?? DEFAULT_DBN_CONFIG.fineTuneEpochs);
}
