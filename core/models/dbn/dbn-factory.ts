/**
 * Creates a fresh Adaptive DBN / DBN trainer, or rebuilds one from a snapshot and the same
 * training data (the current layer's input is recomputed from the frozen layers below).
 */
import type { ModelSnapshot, TrainingData } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';
import type { LayerParams } from '../rbm/structure-ops.ts';
import { Rbm } from '../rbm/rbm.ts';
import { Mlp, type DenseLayer } from '../mlp/mlp.ts';
import { resolveDbnConfig, type DbnConfig, type DbnConfigInput } from './dbn-config.ts';
import { DbnTrainer, type DbnState } from './dbn-trainer.ts';
import { DBN_SNAPSHOT_VERSION } from './dbn-snapshot.ts';
import { fitStandardiser } from './standardise.ts';

export function createDbnTrainer(kind: 'adbn' | 'dbn', config: DbnConfigInput, data: TrainingData, seed: number): DbnTrainer {
  const c = resolveDbnConfig(kind, config);
  const st = c.gaussianFirstLayer ? fitStandardiser(data.x) : null;
  const t = new DbnTrainer(kind, c, data, new Rng(seed), st);
  t.start();
  return t;
}

export function restoreDbnTrainer(snap: ModelSnapshot, data: TrainingData): DbnTrainer {
  if (snap.kind !== 'adbn' && snap.kind !== 'dbn') throw new Error(`dbn snapshot: kind ${snap.kind} is not a DBN`);
  const meta = snap.meta as {
    version: number;
    config: DbnConfig;
    state: DbnState;
    rng: { s: number; spare: number | null };
    units: number[];
    mlpShape: [number, number][] | null;
    bestLayers: number;
  };
  if (meta.version !== DBN_SNAPSHOT_VERSION) throw new Error(`dbn snapshot: version ${meta.version}, expected ${DBN_SNAPSHOT_VERSION}`);
  const get = (name: string): Float32Array => {
    const t = snap.tensors[name];
    if (!t) throw new Error(`dbn snapshot: tensor ${name} missing`);
    return t.data.slice();
  };
  const st = snap.tensors['input.mean'] ? { mean: get('input.mean'), std: get('input.std') } : null;
  const t = new DbnTrainer(snap.kind, meta.config, data, Rng.fromState(meta.rng), st);
  t.state = { ...meta.state, summaries: [...meta.state.summaries], events: [...meta.state.events] };
  t.layers = meta.units.map((hidden, l) => {
    const w = get(`rbm${l}.w`);
    const visible = w.length / hidden;
    const params: LayerParams = { visible, hidden, w, b: get(`rbm${l}.b`), c: get(`rbm${l}.c`), incW: get(`rbm${l}.incW`), incB: get(`rbm${l}.incB`), incC: get(`rbm${l}.incC`) };
    const r = new Rbm(params, t.rbmOptions(l));
    r.epochsTrained = meta.state.layerEpochs[l] ?? 0;
    return r;
  });
  if (meta.mlpShape) {
    const layers: DenseLayer[] = meta.mlpShape.map(([inputs, outputs], l) => ({
      inputs, outputs, w: get(`mlp${l}.w`), b: get(`mlp${l}.b`), mW: get(`mlp${l}.mW`), vW: get(`mlp${l}.vW`), mB: get(`mlp${l}.mB`), vB: get(`mlp${l}.vB`),
    }));
    t.mlp = new Mlp(layers, meta.config.mlp);
    t.mlp.adamStep = meta.state.adamStep;
  }
  if (meta.bestLayers > 0) t.bestWeights = Array.from({ length: meta.bestLayers }, (_, l) => ({ w: get(`best${l}.w`), b: get(`best${l}.b`) }));
  t.rebuildDerived();
  return t;
}
