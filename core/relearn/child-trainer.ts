/**
 * `createChildTrainer`: a trainer for child model C_g (METHOD.md 6.4) = a copy of the parent
 * (structure and weights, from its snapshot) that fine-tunes on the group's cases plus the
 * replay sample. Works for every model kind through the generic restoreTrainer, after the
 * kind's child-snapshot transform has reset the training counters. For an Adaptive DBN the
 * child's top hidden layer may first generate neurons on the child's faces
 * (models/dbn/child-generation.ts); `startChild` reports what grew.
 */
import { cnnChildSnapshot } from '../models/cnn/child-snapshot.ts';
import { growChildTopLayer, type ChildGenerationResult } from '../models/dbn/child-generation.ts';
import { dbnChildSnapshot, type ChildFineTuneOptions } from '../models/dbn/child-snapshot.ts';
import { restoreTrainer } from '../train/create-trainer.ts';
import type { ModelSnapshot, ModelTrainer, TrainingData } from '../train/types.ts';

export interface ChildOptions extends ChildFineTuneOptions {
  /** Adaptive DBN: CD-1 epochs measuring the walking distance before fine-tuning; 0 = no neuron generation. */
  generationEpochs: number;
  seed: number;
}

/** [choice] defaults: 10 epochs at a tenth of the parent's learning rate, patience 3; 3 generation epochs. */
export const DEFAULT_CHILD_OPTIONS: ChildOptions = { epochs: 10, learningRateScale: 0.1, patience: 3, generationEpochs: 3, seed: 1 };

export function childSnapshot(parent: ModelSnapshot, o: ChildFineTuneOptions): ModelSnapshot {
  return parent.kind === 'cnn' ? cnnChildSnapshot(parent, o) : dbnChildSnapshot(parent, o);
}

export function startChild(parent: ModelSnapshot, data: TrainingData, o: Partial<ChildOptions> = {}): { trainer: ModelTrainer; generation: ChildGenerationResult | null } {
  const opt = { ...DEFAULT_CHILD_OPTIONS, ...o };
  let snap = childSnapshot(parent, opt);
  let generation: ChildGenerationResult | null = null;
  if (parent.kind === 'adbn' && opt.generationEpochs > 0) {
    generation = growChildTopLayer(snap, data.x, { epochs: opt.generationEpochs, seed: opt.seed });
    snap = generation.snapshot;
  }
  return { trainer: restoreTrainer(snap, data), generation };
}

export function createChildTrainer(parent: ModelSnapshot, data: TrainingData, o: Partial<ChildOptions> = {}): ModelTrainer {
  return startChild(parent, data, o).trainer;
}
