/**
 * A child model's starting point (METHOD.md 6.4): the parent DBN's snapshot turned into a
 * trainer state that is about to fine-tune again, so a trainer restored from it with the
 * child's data continues from the parent's structure and weights. The fine-tuning counters,
 * early-stopping record and kept best weights are reset, the epoch budget and learning rate
 * are the child's; the RBM layers are frozen as they are. Neuron generation in the top hidden
 * layer is a separate step on the result (child-generation.ts).
 */
import type { ModelSnapshot } from '../../train/types.ts';

export interface ChildFineTuneOptions {
  epochs: number;
  /** Multiplies the parent's learning rate (a child should move gently from its parent). */
  learningRateScale: number;
  patience?: number;
}

export function dbnChildSnapshot(parent: ModelSnapshot, o: ChildFineTuneOptions): ModelSnapshot {
  if (parent.kind !== 'adbn' && parent.kind !== 'dbn') throw new Error(`dbn child: parent snapshot kind ${parent.kind} is not a DBN`);
  const meta = structuredClone(parent.meta) as Record<string, unknown> & {
    config: { fineTuneEpochs: number; patience: number; mlp: { learningRate: number } };
    state: { phase: string; fineTuneEpochs: number; bestValidLoss: number | null; sinceBest: number };
    mlpShape: unknown;
    bestLayers: number;
  };
  if (!meta.mlpShape || meta.state.phase !== 'done') throw new Error('dbn child: the parent has not finished fine-tuning');
  meta.config.fineTuneEpochs = o.epochs;
  if (o.patience !== undefined) meta.config.patience = o.patience;
  meta.config.mlp = { ...meta.config.mlp, learningRate: meta.config.mlp.learningRate * o.learningRateScale };
  meta.state = { ...meta.state, phase: 'finetune', fineTuneEpochs: 0, bestValidLoss: null, sinceBest: 0 };
  meta.bestLayers = 0;
  const tensors = Object.fromEntries(Object.entries(parent.tensors).filter(([k]) => !k.startsWith('best')));
  return { kind: parent.kind, meta, tensors };
}
