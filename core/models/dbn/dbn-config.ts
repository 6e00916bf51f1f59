/**
 * Options of the Adaptive DBN and of the fixed-size DBN control, with METHOD.md's defaults.
 * Both kinds run the same machinery; the control simply switches the adaptive rules off and
 * trains a given shape for a fixed number of epochs per layer.
 */
import { DEFAULT_ADAPTIVE_RULES, type AdaptiveRuleOptions } from '../rbm/adaptive-rules.ts';
import { DEFAULT_RBM_OPTIONS, type RbmOptions } from '../rbm/rbm.ts';
import { DEFAULT_MLP_OPTIONS, type MlpOptions } from '../mlp/mlp.ts';
import type { ClassWeighting } from '../../train/class-weights.ts';

export interface DbnConfig {
  /** Adaptive rules on (Adaptive DBN) or off (fixed-size DBN control). */
  adaptive: boolean;
  /** Hidden units of the first layer of the Adaptive DBN when it starts. */
  initialUnits: number;
  /** Shape of the fixed-size DBN (hidden units per layer). */
  hiddenUnits: number[];
  /** Pre-training epochs per layer: a cap for the adaptive kind, the exact count for the control. */
  maxEpochsPerLayer: number;
  /** Epochs before an adaptive layer may count as settled. */
  minEpochsPerLayer: number;
  rbm: RbmOptions;
  rules: AdaptiveRuleOptions;
  /** Gaussian-Bernoulli first layer on standardised pixels (METHOD 2) [off]. */
  gaussianFirstLayer: boolean;
  /** Learning rate of a Gaussian first layer (it needs a smaller one). */
  gaussianLearningRate: number;
  mlp: MlpOptions;
  /**
   * What the fine-tuned net's first layer reads [choice: 'standardised']. 'standardised'
   * re-expresses the first RBM layer exactly (W'_ij = W_ij s_i, c'_j = c_j + sum_i W_ij m_i) on
   * per-pixel standardised inputs, so fine-tuning starts from the same function but Adam works
   * on well-conditioned inputs; on raw [0, 1] pixels (mean ~0.5 in every column) the first layer
   * barely moves and fine-tuning stays near chance. 'pixels' is the plain unrolled stack.
   */
  fineTuneInput: 'standardised' | 'pixels';
  fineTuneEpochs: number;
  /** Early stopping: epochs without a better validation loss before stopping. */
  patience: number;
  /** Train on the soft targets (annotator distributions) when the data provide them. */
  useSoftTargets: boolean;
  /** Class weights of fine-tuning: the one rule of core/train/class-weights.ts, or none. */
  classWeighting: ClassWeighting;
}

export const DEFAULT_DBN_CONFIG: DbnConfig = {
  adaptive: true,
  initialUnits: 64,
  hiddenUnits: [512, 256],
  maxEpochsPerLayer: 20,
  minEpochsPerLayer: 3,
  rbm: DEFAULT_RBM_OPTIONS,
  rules: DEFAULT_ADAPTIVE_RULES,
  gaussianFirstLayer: false,
  gaussianLearningRate: 0.005,
  mlp: DEFAULT_MLP_OPTIONS,
  fineTuneInput: 'standardised',
  fineTuneEpochs: 30,
  patience: 5,
  useSoftTargets: true,
  classWeighting: 'none',
};

export type DbnConfigInput = Partial<Omit<DbnConfig, 'rbm' | 'rules' | 'mlp'>> & {
  rbm?: Partial<RbmOptions>;
  rules?: Partial<AdaptiveRuleOptions>;
  mlp?: Partial<MlpOptions>;
};

/**
 * Options of the RBM at layer `index`. A Gaussian first layer has linear visible units on
 * standardised pixels and its own, smaller learning rate (CD-1 at the Bernoulli rate diverges
 * there); every other layer is Bernoulli at rbm.learningRate. The trainer and child generation
 * both ask here, so a layer is never trained at one rate in one place and another elsewhere.
 */
export function layerRbmOptions(c: Pick<DbnConfig, 'rbm' | 'gaussianFirstLayer' | 'gaussianLearningRate'>, index: number): RbmOptions {
  if (index === 0 && c.gaussianFirstLayer) return { ...c.rbm, visibleType: 'gaussian', learningRate: c.gaussianLearningRate };
  return { ...c.rbm, visibleType: 'bernoulli' };
}

/** Fills defaults; `kind` 'dbn' turns the adaptive rules off. */
export function resolveDbnConfig(kind: 'adbn' | 'dbn', input: DbnConfigInput = {}): DbnConfig {
  const c: DbnConfig = {
    ...DEFAULT_DBN_CONFIG,
    ...input,
    rbm: { ...DEFAULT_RBM_OPTIONS, ...input.rbm },
    rules: { ...DEFAULT_ADAPTIVE_RULES, ...input.rules },
    mlp: { ...DEFAULT_MLP_OPTIONS, ...input.mlp },
    adaptive: kind === 'adbn',
  };
  if (!c.adaptive && c.hiddenUnits.length === 0) throw new Error('dbn config: hiddenUnits must name at least one layer');
  if (c.fineTuneInput !== 'standardised' && c.fineTuneInput !== 'pixels') throw new Error(`dbn config: fineTuneInput must be 'standardised' or 'pixels', got ${String(c.fineTuneInput)}`);
  if (c.initialUnits < 1 || c.maxEpochsPerLayer < 1) throw new Error('dbn config: initialUnits and maxEpochsPerLayer must be >= 1');
  return c;
}
