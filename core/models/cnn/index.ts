/**
 * The CNN model kind's entry point: the trainer API and a factory for the generic training
 * loop (core/train/create-trainer.ts), which the service registers once at start-up with
 * `registerCnnTrainerKind()`.
 */
import { registerTrainerKind } from '../../train/create-trainer.ts';
import type { TrainerFactory } from '../../train/create-trainer.ts';
import type { CnnConfig } from './cnn-config.ts';
import { createCnnTrainer, restoreCnnTrainer } from './cnn-trainer.ts';

export { createCnnTrainer, restoreCnnTrainer, CnnTrainer } from './cnn-trainer.ts';
export { DEFAULT_CNN_CONFIG, resolveCnnConfig } from './cnn-config.ts';
export { exportCnnOnnx } from './cnn-export.ts';
export { cnnInferenceGraph } from './cnn-graphs.ts';
export type { CnnConfig } from './cnn-config.ts';

export const cnnTrainerFactory: TrainerFactory = {
  create: (config, data, seed) => createCnnTrainer(config as Partial<CnnConfig>, data, seed),
  restore: (snapshot, data) => restoreCnnTrainer(snapshot, data),
};

export function registerCnnTrainerKind(): void {
  registerTrainerKind('cnn', cnnTrainerFactory);
}
