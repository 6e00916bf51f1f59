/**
 * Creates or restores a trainer of any model kind. The DBN kinds are built in; other kinds
 * (the CNN) register a factory with registerTrainerKind, keeping core/train free of a hard
 * dependency on every model.
 */
import { createDbnTrainer, restoreDbnTrainer } from '../models/dbn/dbn-factory.ts';
import type { DbnConfigInput } from '../models/dbn/dbn-config.ts';
import type { ModelKind, ModelSnapshot, ModelTrainer, TrainingData } from './types.ts';

export interface TrainerFactory {
  create(config: Record<string, unknown>, data: TrainingData, seed: number): ModelTrainer;
  restore(snapshot: ModelSnapshot, data: TrainingData): ModelTrainer;
}

const registry = new Map<ModelKind, TrainerFactory>();

export function registerTrainerKind(kind: ModelKind, factory: TrainerFactory): void {
  registry.set(kind, factory);
}

function factoryFor(kind: ModelKind): TrainerFactory {
  const f = registry.get(kind);
  if (f) return f;
  if (kind === 'adbn' || kind === 'dbn') {
    return {
      create: (config, data, seed) => createDbnTrainer(kind, config as DbnConfigInput, data, seed),
      restore: (snap, data) => restoreDbnTrainer(snap, data),
    };
  }
  throw new Error(`no trainer registered for model kind ${kind}`);
}

export function createTrainer(kind: ModelKind, config: Record<string, unknown>, data: TrainingData, seed: number): ModelTrainer {
  return factoryFor(kind).create(config, data, seed);
}

export function restoreTrainer(snapshot: ModelSnapshot, data: TrainingData): ModelTrainer {
  return factoryFor(snapshot.kind).restore(snapshot, data);
}
