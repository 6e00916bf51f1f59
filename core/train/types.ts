/**
 * The contract between the generic training loop and a model kind (CNN, Adaptive DBN, DBN).
 * A model kind provides a trainer that advances one epoch of its current phase per `step`
 * (RBM pre-training of a layer, supervised fine-tuning, ...), can snapshot its whole state
 * (weights, optimiser state, structure, RNG state, phase) and be rebuilt from a snapshot, so
 * that the loop can checkpoint after every epoch and a killed run can resume bit-identically.
 */
import type { NUM_CLASSES } from '../../api/domain.ts';
import type { ModelKind, StructureEvent } from '../../api/contract.ts';

// One definition of the model kinds and of a structure change (METHOD.md 3.6) for every layer:
// a 'layer' event's `layer` is the 0-based index of the new layer, with unitsBefore 0.
export type { ModelKind, StructureEvent };

/** Per-column affine scaling (value - mean) / std, e.g. a standardiser of pixels. */
export interface ColumnScale {
  mean: Float32Array;
  std: Float32Array;
}

/**
 * Inputs in [0, 1], row-major, n rows of `inputSize` = height*width values each. Face pixels
 * stay bytes (a byte b stands for b / 255), 1 byte per pixel, and are converted to float32 a
 * batch at a time when a trainer gathers them (core/train/matrix-rows.ts), so the float copies
 * a run holds are O(batch), not O(dataset). `index` selects rows of `data` without copying them;
 * `scale` standardises columns as rows are read. Read rows only through matrix-rows.ts.
 */
export interface Matrix {
  data: Float32Array | Uint8Array;
  rows: number;
  cols: number;
  /** Row r of the matrix is row index[r] of `data`; absent: row r. */
  index?: Int32Array | null;
  /** Applied to every value as it is read; absent: values as stored. */
  scale?: ColumnScale | null;
}

export interface TrainingData {
  /** Training inputs (n x height*width). */
  x: Matrix;
  /** Hard labels 0..7 (given label or current label after relabels). */
  y: Int32Array;
  /** Optional soft targets (n x 8), e.g. normalised annotator votes; rows of NaN mean "use y". */
  soft: Float32Array | null;
  /** Optional validation split used for early stopping and model selection. */
  valid: { x: Matrix; y: Int32Array } | null;
  height: number;
  width: number;
}

/** What one epoch reports; every number is recorded per epoch in the run. */
export interface EpochReport {
  /** Global epoch counter across phases, starting at 1. */
  epoch: number;
  phase: string;
  /** e.g. loss, accuracy, valid_loss, valid_accuracy, recon_error, free_energy. */
  metrics: Record<string, number>;
  /** Hidden units per layer after this epoch (DBN kinds); [] for the CNN. */
  units: number[];
  events: StructureEvent[];
  seconds: number;
  samples: number;
}

export interface BatchProgress {
  phase: string;
  epoch: number;
  batch: number;
  batches: number;
  samplesPerSecond: number;
}

/** A serialisable snapshot: named float arrays plus JSON meta. */
export interface ModelSnapshot {
  kind: ModelKind;
  meta: Record<string, unknown>;
  tensors: Record<string, { shape: number[]; data: Float32Array }>;
}

export interface ModelTrainer {
  readonly kind: ModelKind;
  /** True when every phase is finished (or early stopping fired). */
  readonly done: boolean;
  /** Runs one epoch of the current phase. */
  step(onBatch?: (p: BatchProgress) => void): Promise<EpochReport>;
  /** Full state for a checkpoint (includes optimiser, RNG and phase). */
  snapshot(): ModelSnapshot;
  /** Class probabilities (rows x NUM_CLASSES) for inputs. */
  predict(x: Matrix): Float32Array;
  /** The penultimate layer's activations (rows x its width) for inputs: what the face map lays out. */
  features?(x: Matrix): Matrix;
  /** Frees every tensor the trainer owns. */
  dispose(): void;
}

/** Number of output classes; kept as a type-level reminder that outputs are 8-wide. */
export type OutputWidth = typeof NUM_CLASSES;
