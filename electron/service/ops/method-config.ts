/**
 * Where each METHOD constant of a run (TrainingOptions.method, api/method-options.ts) lands in
 * a trainer's configuration: a dotted path into DbnConfig and/or CnnConfig. The Record covers
 * every option, so one cannot be added to the table without saying where it goes; a test holds
 * each default equal to the trainer's own default at that path.
 */
import { ApiError, type MethodOptions, type ModelKind } from '../../../api/contract.ts';
import { METHOD_OPTION_SPECS, resolveMethodOptions, type MethodOptionKey, type MethodOptionValue } from '../../../api/method-options.ts';

interface Target {
  /** Path into DbnConfig. */
  dbn?: string;
  /** Path into CnnConfig, and how the option's value is spelled there. */
  cnn?: string;
  cnnValue?: (v: MethodOptionValue) => unknown;
}

export const METHOD_OPTION_TARGETS: Record<MethodOptionKey, Target> = {
  rbmLearningRate: { dbn: 'rbm.learningRate' },
  momentumStart: { dbn: 'rbm.momentumStart' },
  momentumFinal: { dbn: 'rbm.momentumFinal' },
  momentumSwitchEpoch: { dbn: 'rbm.momentumSwitchEpoch' },
  weightDecay: { dbn: 'rbm.weightDecay' },
  rbmInitWeightStd: { dbn: 'rbm.initWeightStd' },
  freeEnergySampleSize: { dbn: 'rbm.freeEnergySampleSize' },
  gaussianFirstLayer: { dbn: 'gaussianFirstLayer' },
  gaussianLearningRate: { dbn: 'gaussianLearningRate' },
  epsE: { dbn: 'rules.epsE' },
  alphaC: { dbn: 'rules.alphaC' },
  alphaW: { dbn: 'rules.alphaW' },
  thetaG: { dbn: 'rules.thetaG' },
  maxNewFraction: { dbn: 'rules.maxNewFraction' },
  maxUnits: { dbn: 'rules.maxUnits' },
  splitNoise: { dbn: 'rbm.splitNoise' },
  thetaA: { dbn: 'rules.thetaA' },
  removeDuplicates: { dbn: 'rules.removeDuplicates' },
  duplicateCosine: { dbn: 'rules.duplicateCosine' },
  minUnits: { dbn: 'rules.minUnits' },
  minEpochsPerLayer: { dbn: 'minEpochsPerLayer' },
  alphaWD: { dbn: 'rules.alphaWD' },
  thetaL1: { dbn: 'rules.thetaL1' },
  alphaE: { dbn: 'rules.alphaE' },
  thetaL2: { dbn: 'rules.thetaL2' },
  fineTuneInput: { dbn: 'fineTuneInput' },
  // CnnConfig spells "no weighting" as null.
  classWeighting: { dbn: 'classWeighting', cnn: 'classWeights', cnnValue: (v) => (v === 'none' ? null : v) },
  dropout: { cnn: 'dropout' },
  maxShift: { cnn: 'maxShift' },
  horizontalFlip: { cnn: 'horizontalFlip' },
  warmupSteps: { cnn: 'warmupSteps' },
};

/**
 * Every METHOD constant a kind reads at its effective value (given or default), after checking
 * that no option was set for a kind that ignores it (a silently ignored constant would make a
 * run look like it tested something it did not).
 */
export function effectiveMethodOptions(kind: ModelKind, given: MethodOptions = {}): MethodOptions {
  for (const s of METHOD_OPTION_SPECS) {
    if (given[s.key] !== undefined && !s.kinds.includes(kind)) {
      throw new ApiError('invalid_params', `training.start: options.method.${s.key} (${s.label}) applies to ${s.kinds.join(', ')}, not ${kind}`);
    }
  }
  const m = resolveMethodOptions(kind, given);
  if (m.minUnits !== undefined && m.maxUnits !== undefined && m.minUnits > m.maxUnits) {
    throw new ApiError('invalid_params', `training.start: options.method.minUnits (${m.minUnits}) must not exceed maxUnits (${m.maxUnits})`);
  }
  return m;
}

/** The trainer-config fragment of a run's METHOD constants, nested by path. */
export function methodTrainerConfig(kind: ModelKind, method: MethodOptions): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(method) as [MethodOptionKey, MethodOptionValue | undefined][]) {
    if (value === undefined) continue;
    const t = METHOD_OPTION_TARGETS[key];
    const path = kind === 'cnn' ? t.cnn : t.dbn;
    if (!path) continue;
    const v = kind === 'cnn' && t.cnnValue ? t.cnnValue(value) : value;
    const parts = path.split('.');
    let node = out;
    for (const p of parts.slice(0, -1)) node = (node[p] ??= {}) as Record<string, unknown>;
    node[parts[parts.length - 1]] = v;
  }
  return out;
}
