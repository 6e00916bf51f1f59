/**
 * One line of help per DBN option (METHOD.md: every constant is a named option shown in the
 * UI and the CLI help and recorded with each run). Keys are dotted paths into DbnConfig; the
 * defaults are read from DEFAULT_DBN_CONFIG so help and behaviour cannot drift apart.
 */
import { DEFAULT_DBN_CONFIG } from './dbn-config.ts';

const HELP: Record<string, string> = {
  initialUnits: 'hidden units of the first Adaptive DBN layer at the start',
  hiddenUnits: 'hidden units per layer of the fixed-size DBN control',
  maxEpochsPerLayer: 'pre-training epochs per layer (cap for adaptive, exact for the control)',
  minEpochsPerLayer: 'epochs before an adaptive layer may count as settled',
  gaussianFirstLayer: 'Gaussian-Bernoulli first layer on standardised pixels',
  gaussianLearningRate: 'learning rate of a Gaussian first layer',
  fineTuneInput: "'standardised' (first layer re-expressed exactly on standardised pixels) or 'pixels' for fine-tuning",
  fineTuneEpochs: 'most fine-tuning epochs',
  patience: 'fine-tuning epochs without a better validation loss before stopping',
  useSoftTargets: 'fine-tune on annotator distributions when present',
  classWeighting: "'none' or 'balanced' class weights in fine-tuning",
  'rbm.learningRate': 'CD-1 learning rate',
  'rbm.momentumStart': 'momentum of the first epochs of a layer',
  'rbm.momentumFinal': 'momentum after the switch',
  'rbm.momentumSwitchEpoch': 'layer epoch at which momentum switches',
  'rbm.weightDecay': 'L2 weight decay of RBM weights',
  'rbm.batchSize': 'RBM minibatch size',
  'rbm.initWeightStd': 'std of initial RBM weights',
  'rbm.freeEnergySampleSize': 'rows of the fixed sample for the free energy',
  'rbm.splitNoise': 'std of the noise added to a split unit',
  'rules.epsE': 'relative free-energy change below which energy has converged (eps_E)',
  'rules.alphaC': 'weight of the bias walking distance (alpha_c)',
  'rules.alphaW': 'weight of the weight walking distance (alpha_W)',
  'rules.thetaG': 'neuron generation threshold (theta_G)',
  'rules.maxNewFraction': 'most new units per epoch, as a fraction of the layer',
  'rules.maxUnits': 'cap on units per layer',
  'rules.thetaA': 'neuron annihilation threshold on mean activation (theta_A)',
  'rules.removeDuplicates': 'also remove near-duplicate units',
  'rules.duplicateCosine': 'cosine above which two units are duplicates',
  'rules.minUnits': 'never shrink a layer below this',
  'rules.alphaWD': 'weight of walking distance in layer generation (alpha_WD)',
  'rules.thetaL1': 'layer generation threshold on summed walking distance (theta_L1)',
  'rules.alphaE': 'weight of energy in layer generation (alpha_E)',
  'rules.thetaL2': 'layer generation threshold on summed free energy per visible unit (theta_L2)',
  'rules.maxLayers': 'most RBM layers',
  'mlp.learningRate': 'Adam learning rate of fine-tuning',
  'mlp.beta1': 'Adam beta1',
  'mlp.beta2': 'Adam beta2',
  'mlp.epsilon': 'Adam epsilon',
  'mlp.batchSize': 'fine-tuning minibatch size',
  'mlp.initWeightStd': 'std of the initial softmax-layer weights',
};

export interface OptionDoc {
  key: string;
  default: unknown;
  help: string;
}

/** Every DBN option with its default and help line, in a stable order. */
export function describeDbnOptions(): OptionDoc[] {
  const cfg = DEFAULT_DBN_CONFIG as unknown as Record<string, unknown>;
  return Object.entries(HELP).map(([key, help]) => {
    const [a, b] = key.split('.');
    const value = b ? (cfg[a] as Record<string, unknown>)[b] : cfg[a];
    return { key, default: value, help };
  });
}
