/**
 * Options of the CNN baseline (METHOD.md section 4), each a named constant with its default so
 * that the UI, the CLI help and the run record can show them. The architecture itself is fixed
 * (VGG-style: 3 blocks of (conv3x3 'same', BN, ReLU) x2 + max-pool 2, dropout, dense, softmax 8);
 * only its widths and the training schedule are options.
 */
export interface CnnConfig {
  /** Filters of the three blocks. */
  filters: [number, number, number];
  /** Units of the hidden dense layer. */
  denseUnits: number;
  /** Dropout probability before the dense layer (training only). */
  dropout: number;
  learningRate: number;
  /** Adam steps over which the learning rate rises linearly from lr/warmupSteps to lr; 0 = none. */
  warmupSteps: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEpsilon: number;
  batchSize: number;
  /** Upper bound on epochs. */
  maxEpochs: number;
  /** Epochs without a better validation loss before stopping (needs a validation split). */
  patience: number;
  /** Largest random shift (pixels) of the crop/shift augmentation; 0 turns it off. */
  maxShift: number;
  /** Mirror images left-right with probability 1/2. */
  horizontalFlip: boolean;
  /** Per-class loss weights (8 numbers), 'balanced' or 'sqrt' (core/train/class-weights.ts), or null for none. */
  classWeights: number[] | 'balanced' | 'sqrt' | null;
  /** Momentum of the BN running statistics (PyTorch's convention: new = (1-m) old + m batch). */
  bnMomentum: number;
  bnEpsilon: number;
  /** Batch size of predict(). */
  inferenceBatchSize: number;
}

export const CNN_FILTERS: [number, number, number] = [32, 64, 128];
export const CNN_DENSE_UNITS = 256;
export const CNN_DROPOUT = 0.25;
export const CNN_LEARNING_RATE = 1e-3;
/**
 * Linear learning-rate warm-up. At the full 1e-3 from the first step, the freshly initialised
 * net's first Adam steps overshoot on small projects (demo: epoch loss 4.0 against 2.08 for
 * guessing, then stuck at chance); FER+-sized runs recover within their first epoch.
 */
export const CNN_WARMUP_STEPS = 100;
export const CNN_ADAM_BETA1 = 0.9;
export const CNN_ADAM_BETA2 = 0.999;
export const CNN_ADAM_EPSILON = 1e-8;
export const CNN_BATCH_SIZE = 64;
export const CNN_MAX_EPOCHS = 30;
export const CNN_PATIENCE = 5;
/**
 * +-2 pixels: the usual FER practice of random 44x44 crops of a 48x48 face. +-4 with a
 * dropout of 0.25 kept a small CNN near chance for the first 5-6 epochs on 1,200 demo faces
 * (bench/demo-learning.ts; docs/results.md), where +-2 with edge fill learns from epoch 3.
 */
export const CNN_MAX_SHIFT = 2;
export const CNN_HORIZONTAL_FLIP = true;
export const CNN_BN_MOMENTUM = 0.1;
export const CNN_BN_EPSILON = 1e-5;
export const CNN_INFERENCE_BATCH_SIZE = 256;

export const DEFAULT_CNN_CONFIG: CnnConfig = {
  filters: CNN_FILTERS,
  denseUnits: CNN_DENSE_UNITS,
  dropout: CNN_DROPOUT,
  learningRate: CNN_LEARNING_RATE,
  warmupSteps: CNN_WARMUP_STEPS,
  adamBeta1: CNN_ADAM_BETA1,
  adamBeta2: CNN_ADAM_BETA2,
  adamEpsilon: CNN_ADAM_EPSILON,
  batchSize: CNN_BATCH_SIZE,
  maxEpochs: CNN_MAX_EPOCHS,
  patience: CNN_PATIENCE,
  maxShift: CNN_MAX_SHIFT,
  horizontalFlip: CNN_HORIZONTAL_FLIP,
  classWeights: null,
  bnMomentum: CNN_BN_MOMENTUM,
  bnEpsilon: CNN_BN_EPSILON,
  inferenceBatchSize: CNN_INFERENCE_BATCH_SIZE,
};

/** Defaults overlaid with the given options; throws naming the first invalid field. */
export function resolveCnnConfig(partial: Partial<CnnConfig> = {}): CnnConfig {
  const c: CnnConfig = { ...DEFAULT_CNN_CONFIG, ...partial };
  const positiveInts: (keyof CnnConfig)[] = ['denseUnits', 'batchSize', 'maxEpochs', 'inferenceBatchSize'];
  for (const k of positiveInts) {
    const v = c[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`CnnConfig.${k}: expected a positive integer, got ${String(v)}`);
  }
  if (!Array.isArray(c.filters) || c.filters.length !== 3 || c.filters.some((f) => !Number.isInteger(f) || f < 1)) {
    throw new Error('CnnConfig.filters: expected three positive integers');
  }
  if (!(c.dropout >= 0 && c.dropout < 1)) throw new Error(`CnnConfig.dropout: expected [0, 1), got ${c.dropout}`);
  if (!(c.learningRate > 0)) throw new Error(`CnnConfig.learningRate: expected > 0, got ${c.learningRate}`);
  if (!Number.isInteger(c.warmupSteps) || c.warmupSteps < 0) throw new Error(`CnnConfig.warmupSteps: expected an integer >= 0, got ${c.warmupSteps}`);
  if (!Number.isInteger(c.maxShift) || c.maxShift < 0) throw new Error(`CnnConfig.maxShift: expected an integer >= 0, got ${c.maxShift}`);
  if (!Number.isInteger(c.patience) || c.patience < 1) throw new Error(`CnnConfig.patience: expected an integer >= 1, got ${c.patience}`);
  if (Array.isArray(c.classWeights) && (c.classWeights.length !== 8 || c.classWeights.some((w) => !(w >= 0)))) {
    throw new Error('CnnConfig.classWeights: expected 8 non-negative numbers, "balanced", "sqrt" or null');
  }
  return c;
}
