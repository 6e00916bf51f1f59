/**
 * `createChildTrainer`: a trainer for child model C_g (METHOD.md 6.4) = a copy of the parent
 * (structure and weights, from its snapshot) that fine-tunes on the group's cases plus the
 * replay sample. Works for every model kind through the generic restoreTrainer, after the
 * kind's child-snapshot transform has reset the training counters.
 */
import { cnnChildSnapshot } from '../models/cnn/child-snapshot.ts';
import { dbnChildSnapshot, type ChildFineTuneOptions } from '../models/dbn/child-snapshot.ts';
import { restoreTrainer } from '../train/create-trainer.ts';
import type { ModelSnapshot, ModelTrainer, TrainingData } from '../train/types.ts';

export type { ChildFineTuneOptions } from '../models/dbn/child-snapshot.ts';

/** [choice] defaults: 10 epochs at a tenth of the parent's learning rate, patience 3. */
export const DEFAULT_CHILD_FINE_TUNE: ChildFineTuneOptions = { epochs: 10, learningRateScale: 0.1, patience: 3 };

export function childSnapshot(parent: ModelSnapshot, o: ChildFineTuneOptions): ModelSnapshot {
  return parent.kind === 'cnn' ? cnnChildSnapshot(parent, o) : dbnChildSnapshot(parent, o);
}

export function createChildTrainer(parent: ModelSnapshot, data: TrainingData, o: Partial<ChildFineTuneOptions> = {}): ModelTrainer {
  return restoreTrainer(childSnapshot(parent, { ...DEFAULT_CHILD_FINE_TUNE, ...o }), data);
}
