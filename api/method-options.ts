/**
 * The constants of METHOD.md as options a run may set (TrainingOptions.method), with their
 * defaults, bounds and one line of help each. This one table is what the request validator
 * checks, what the CLI's `train` flags and `train --help` are generated from, and what the
 * Training view's "Method constants" fields and the run's recorded configuration are drawn
 * from; a test holds every default equal to the trainers' own (electron/service/ops). Values
 * only: where an option lands in a trainer's configuration is the service's business.
 */
import type { MethodOptions, ModelKind } from './contract.ts';

export type MethodOptionKey = keyof MethodOptions;
export type MethodOptionValue = number | boolean | string;

export interface MethodOptionSpec {
  key: MethodOptionKey;
  /** The name METHOD.md gives it, e.g. θ_G; else a short label. */
  label: string;
  help: string;
  section: 'RBM' | 'Neuron generation and annihilation' | 'Layer generation' | 'Supervised phase';
  type: 'float' | 'int' | 'bool' | 'enum';
  values?: readonly string[];
  min?: number;
  max?: number;
  /** Exclusive lower bound. */
  greaterThan?: number;
  default: MethodOptionValue;
  /** The model kinds that read the option; setting it for another kind is an error. */
  kinds: readonly ModelKind[];
}

const DBNS = ['adbn', 'dbn'] as const;
const ADBN = ['adbn'] as const;
const ALL = ['cnn', 'adbn', 'dbn'] as const;
const CNN = ['cnn'] as const;

/** One entry per MethodOptions key (a Record, so a key without its spec does not compile). */
const SPECS: Record<MethodOptionKey, Omit<MethodOptionSpec, 'key'>> = {
  rbmLearningRate: { label: 'RBM learning rate', section: 'RBM', type: 'float', greaterThan: 0, max: 10, default: 0.05, kinds: DBNS, help: 'CD-1 learning rate of every Bernoulli RBM layer' },
  momentumStart: { label: 'momentum (start)', section: 'RBM', type: 'float', min: 0, max: 0.999, default: 0.5, kinds: DBNS, help: 'CD-1 momentum of the first epochs of a layer' },
  momentumFinal: { label: 'momentum (final)', section: 'RBM', type: 'float', min: 0, max: 0.999, default: 0.9, kinds: DBNS, help: 'CD-1 momentum after the switch' },
  momentumSwitchEpoch: { label: 'momentum switch epoch', section: 'RBM', type: 'int', min: 0, max: 10_000, default: 5, kinds: DBNS, help: 'epochs of a layer trained at the start momentum' },
  weightDecay: { label: 'weight decay', section: 'RBM', type: 'float', min: 0, max: 1, default: 1e-4, kinds: DBNS, help: 'L2 decay of RBM weights per update' },
  rbmInitWeightStd: { label: 'initial weight std', section: 'RBM', type: 'float', greaterThan: 0, max: 10, default: 0.01, kinds: DBNS, help: 'std of the normal initial RBM weights' },
  freeEnergySampleSize: { label: 'free-energy sample', section: 'RBM', type: 'int', min: 1, max: 1_000_000, default: 512, kinds: DBNS, help: 'first rows on which the mean free energy is measured each epoch' },
  gaussianFirstLayer: { label: 'Gaussian first layer', section: 'RBM', type: 'bool', default: false, kinds: DBNS, help: 'Gaussian-Bernoulli first RBM on standardised pixels' },
  gaussianLearningRate: { label: 'Gaussian layer learning rate', section: 'RBM', type: 'float', greaterThan: 0, max: 10, default: 0.005, kinds: DBNS, help: 'CD-1 learning rate of a Gaussian first layer (pre-training and child generation)' },
  epsE: { label: 'ε_E', section: 'Neuron generation and annihilation', type: 'float', min: 0, max: 10, default: 0.01, kinds: ADBN, help: 'relative free-energy change per epoch below which the energy has converged' },
  alphaC: { label: 'α_c', section: 'Neuron generation and annihilation', type: 'float', min: 0, max: 1e6, default: 1, kinds: ADBN, help: 'weight of the bias walking distance in the generation score' },
  alphaW: { label: 'α_W', section: 'Neuron generation and annihilation', type: 'float', min: 0, max: 1e6, default: 1, kinds: ADBN, help: 'weight of the weights walking distance in the generation score' },
  thetaG: { label: 'θ_G', section: 'Neuron generation and annihilation', type: 'float', min: 0, max: 1e6, default: 5e-4, kinds: ADBN, help: 'split a unit when (α_c·WD_c)(α_W·WD_W) > θ_G and energy has not converged' },
  maxNewFraction: { label: 'most new units per epoch', section: 'Neuron generation and annihilation', type: 'float', greaterThan: 0, max: 1, default: 0.1, kinds: ADBN, help: 'fraction of the layer that may be split in one epoch (at least one unit)' },
  maxUnits: { label: 'max units per layer', section: 'Neuron generation and annihilation', type: 'int', min: 1, max: 65_536, default: 1024, kinds: ADBN, help: 'cap on hidden units of a layer' },
  splitNoise: { label: 'split noise', section: 'Neuron generation and annihilation', type: 'float', min: 0, max: 10, default: 0.01, kinds: ADBN, help: 'std of the noise added to a split unit so the twins separate' },
  thetaA: { label: 'θ_A', section: 'Neuron generation and annihilation', type: 'float', min: 0, max: 1, default: 0.01, kinds: ADBN, help: 'remove a unit whose mean activation is below θ_A (after generation stopped)' },
  removeDuplicates: { label: 'remove duplicate units', section: 'Neuron generation and annihilation', type: 'bool', default: false, kinds: ADBN, help: 'also remove a unit whose weights nearly copy another' },
  duplicateCosine: { label: 'duplicate cosine', section: 'Neuron generation and annihilation', type: 'float', min: -1, max: 1, default: 0.99, kinds: ADBN, help: 'cosine of incoming weights above which two units are duplicates' },
  minUnits: { label: 'min units per layer', section: 'Neuron generation and annihilation', type: 'int', min: 1, max: 65_536, default: 2, kinds: ADBN, help: 'annihilation never shrinks a layer below this' },
  minEpochsPerLayer: { label: 'min epochs per layer', section: 'Neuron generation and annihilation', type: 'int', min: 1, max: 10_000, default: 3, kinds: ADBN, help: 'epochs before a layer may count as settled' },
  alphaWD: { label: 'α_WD', section: 'Layer generation', type: 'float', min: 0, max: 1e6, default: 1, kinds: ADBN, help: 'weight of the walking distance in layer generation' },
  thetaL1: { label: 'θ_L1', section: 'Layer generation', type: 'float', min: -1e6, max: 1e6, default: 1e-4, kinds: ADBN, help: 'stack a layer only when Σ α_WD·WD_l > θ_L1' },
  alphaE: { label: 'α_E', section: 'Layer generation', type: 'float', min: 0, max: 1e6, default: 1, kinds: ADBN, help: 'weight of the free energy in layer generation' },
  thetaL2: { label: 'θ_L2', section: 'Layer generation', type: 'float', min: -1e6, max: 1e6, default: -0.25, kinds: ADBN, help: 'stack a layer only when Σ α_E·E_l > θ_L2 (E_l: free energy per visible unit)' },
  fineTuneInput: { label: 'fine-tuning input', section: 'Supervised phase', type: 'enum', values: ['standardised', 'pixels'], default: 'standardised', kinds: DBNS, help: "'standardised': first layer re-expressed exactly on standardised pixels; 'pixels': the plain unrolled stack" },
  classWeighting: { label: 'class weighting', section: 'Supervised phase', type: 'enum', values: ['none', 'balanced', 'sqrt'], default: 'none', kinds: ALL, help: "'balanced': class c weighs n / (K·n_c) over the K classes present; 'sqrt': the square roots of those weights, rescaled to average 1 over the faces" },
  dropout: { label: 'dropout', section: 'Supervised phase', type: 'float', min: 0, max: 0.95, default: 0.25, kinds: CNN, help: 'dropout probability before the dense layer' },
  maxShift: { label: 'max shift', section: 'Supervised phase', type: 'int', min: 0, max: 16, default: 2, kinds: CNN, help: 'largest random shift in pixels of the crop augmentation (0: off)' },
  horizontalFlip: { label: 'horizontal flip', section: 'Supervised phase', type: 'bool', default: true, kinds: CNN, help: 'mirror faces left-right with probability 1/2' },
  warmupSteps: { label: 'warm-up steps', section: 'Supervised phase', type: 'int', min: 0, max: 1_000_000, default: 100, kinds: CNN, help: 'Adam steps of linear learning-rate warm-up' },
};

export const METHOD_OPTION_SPECS: readonly MethodOptionSpec[] = (Object.keys(SPECS) as MethodOptionKey[]).map((key) => ({ key, ...SPECS[key] }));

/** The options a model kind reads, in table order. */
export function methodOptionsFor(kind: ModelKind): MethodOptionSpec[] {
  return METHOD_OPTION_SPECS.filter((s) => s.kinds.includes(kind));
}

/** Every option of a kind at its effective value: the given ones, defaults for the rest. */
export function resolveMethodOptions(kind: ModelKind, given: MethodOptions = {}): MethodOptions {
  const out: Record<string, MethodOptionValue> = {};
  for (const s of methodOptionsFor(kind)) out[s.key] = given[s.key] ?? s.default;
  return out as MethodOptions;
}

/** The CLI flag of an option: its key in kebab case (thetaG -> --theta-g). */
export function methodOptionFlag(key: MethodOptionKey): string {
  return key.replace(/[A-Z0-9]+/g, (m) => `-${m.toLowerCase()}`);
}
