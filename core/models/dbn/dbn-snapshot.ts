/**
 * Snapshot of a DBN trainer: every parameter and optimiser array as a named tensor, and the
 * rest (config, phase, counters, rule statistics, structure events, RNG state) as JSON meta.
 */
import type { ModelSnapshot } from '../../train/types.ts';
import type { DbnTrainer } from './dbn-trainer.ts';

export const DBN_SNAPSHOT_VERSION = 1;

export function snapshotDbn(t: DbnTrainer): ModelSnapshot {
  const tensors: ModelSnapshot['tensors'] = {};
  const put = (name: string, data: Float32Array, shape: number[]) => {
    tensors[name] = { shape, data: data.slice() };
  };
  t.layers.forEach((r, l) => {
    const p = r.params;
    put(`rbm${l}.w`, p.w, [p.visible, p.hidden]);
    put(`rbm${l}.b`, p.b, [p.visible]);
    put(`rbm${l}.c`, p.c, [p.hidden]);
    put(`rbm${l}.incW`, p.incW, [p.visible, p.hidden]);
    put(`rbm${l}.incB`, p.incB, [p.visible]);
    put(`rbm${l}.incC`, p.incC, [p.hidden]);
  });
  t.mlp?.layers.forEach((d, l) => {
    put(`mlp${l}.w`, d.w, [d.inputs, d.outputs]);
    put(`mlp${l}.b`, d.b, [d.outputs]);
    put(`mlp${l}.mW`, d.mW, [d.inputs, d.outputs]);
    put(`mlp${l}.vW`, d.vW, [d.inputs, d.outputs]);
    put(`mlp${l}.mB`, d.mB, [d.outputs]);
    put(`mlp${l}.vB`, d.vB, [d.outputs]);
  });
  t.bestWeights?.forEach((d, l) => {
    put(`best${l}.w`, d.w, [d.w.length]);
    put(`best${l}.b`, d.b, [d.b.length]);
  });
  if (t.standardiser) {
    put('input.mean', t.standardiser.mean, [t.standardiser.mean.length]);
    put('input.std', t.standardiser.std, [t.standardiser.std.length]);
  }
  return {
    kind: t.kind,
    meta: {
      version: DBN_SNAPSHOT_VERSION,
      config: t.config,
      state: { ...t.state, layerEpochs: t.layers.map((r) => r.epochsTrained), adamStep: t.mlp?.adamStep ?? 0 },
      rng: t.rng.state,
      units: t.layers.map((r) => r.hidden),
      mlpShape: t.mlp?.layers.map((d) => [d.inputs, d.outputs]) ?? null,
      bestLayers: t.bestWeights?.length ?? 0,
    },
    tensors,
  };
}
