/**
 * Snapshot of a DBN trainer: every parameter and optimiser array as a named tensor, and the
 * rest (config, phase, counters, rule statistics, structure events, RNG state) as JSON meta.
 */
import type { ModelSnapshot } from '../../train/types.ts';
import type { DenseLayer } from '../mlp/mlp.ts';
import type { LayerParams } from '../rbm/structure-ops.ts';
import type { DbnConfig } from './dbn-config.ts';
import type { Standardiser } from './standardise.ts';

/**
 * What a snapshot reads from a DBN trainer. Declared here rather than importing the trainer's
 * class, so that the trainer (which calls snapshotDbn) and this file do not import each other.
 */
export interface DbnSnapshotSource {
  readonly kind: 'adbn' | 'dbn';
  readonly config: DbnConfig;
  /** The trainer's counters and records (DbnState), stored as JSON. */
  readonly state: object;
  readonly rng: { readonly state: { s: number; spare: number | null } };
  readonly layers: readonly { readonly params: LayerParams; readonly epochsTrained: number; readonly hidden: number }[];
  readonly mlp: { readonly layers: readonly DenseLayer[]; readonly adamStep: number } | null;
  readonly bestWeights: readonly { w: Float32Array; b: Float32Array }[] | null;
  readonly standardiser: Standardiser | null;
}

export const DBN_SNAPSHOT_VERSION = 1;

export function snapshotDbn(t: DbnSnapshotSource): ModelSnapshot {
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
