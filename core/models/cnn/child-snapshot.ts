/**
 * A CNN child model's starting point (METHOD.md 6.4): the parent's snapshot turned into a
 * trainer state that is about to train again, so a trainer restored from it with the child's
 * data continues from the parent's weights (and batch-norm statistics) for the child's epoch
 * budget at a scaled learning rate, with a fresh early-stopping record.
 */
import type { ModelSnapshot } from '../../train/types.ts';
import type { ChildFineTuneOptions } from '../dbn/child-snapshot.ts';

export function cnnChildSnapshot(parent: ModelSnapshot, o: ChildFineTuneOptions): ModelSnapshot {
  if (parent.kind !== 'cnn') throw new Error(`cnn child: parent snapshot kind ${parent.kind} is not a CNN`);
  const meta = structuredClone(parent.meta) as Record<string, unknown> & {
    config: { maxEpochs: number; patience: number; learningRate: number };
    state: Record<string, unknown>;
  };
  meta.config = { ...meta.config, maxEpochs: o.epochs, learningRate: meta.config.learningRate * o.learningRateScale, ...(o.patience !== undefined ? { patience: o.patience } : {}) };
  meta.state = { ...meta.state, epoch: 0, done: false, bestValidLoss: null, badEpochs: 0 };
  const tensors = Object.fromEntries(Object.entries(parent.tensors).filter(([k]) => !k.startsWith('best/')));
  return { kind: 'cnn', meta, tensors };
}
