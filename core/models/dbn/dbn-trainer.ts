/**
 * The Adaptive DBN (METHOD 3) and the fixed-size DBN control as a ModelTrainer: greedy
 * layer-wise RBM pre-training, one epoch per `step`, with neuron generation/annihilation after
 * each epoch of the adaptive kind and layer generation once a layer has settled (each new layer
 * learns P(h|v) of the one below and starts as wide as it ended), then supervised fine-tuning
 * of the unrolled sigmoid net with early stopping on the validation loss (the best weights are
 * kept). All state is plain arrays and numbers, so a snapshot resumes bit-identically; the
 * input of the current layer is recomputed from the frozen layers below on restore.
 */
import { NUM_CLASSES } from '../../../api/domain.ts';
import type { BatchProgress, EpochReport, Matrix, ModelSnapshot, ModelTrainer, StructureEvent, TrainingData } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';
import { energyConverged, selectUnitsToRemove, selectUnitsToSplit, shouldAddLayer, type LayerSummary } from '../rbm/adaptive-rules.ts';
import { Rbm, type RbmOptions } from '../rbm/rbm.ts';
import { Mlp, mlpHidden, scoreProbabilities } from '../mlp/mlp.ts';
import { layerRbmOptions, type DbnConfig } from './dbn-config.ts';
import { buildTargets } from './fine-tune-targets.ts';
import { classRowWeights } from '../../train/class-weights.ts';
import { fitStandardiser, reexpressOnStandardised, standardiseInput, type Standardiser } from './standardise.ts';
import { snapshotDbn } from './dbn-snapshot.ts';

export type DbnPhase = 'pretrain' | 'finetune' | 'done';

/** Everything a snapshot must carry besides the float arrays. */
export interface DbnState {
  phase: DbnPhase;
  epoch: number;
  epochsInLayer: number;
  prevFreeEnergy: number | null;
  summaries: LayerSummary[];
  events: StructureEvent[];
  layerEpochs: number[];
  fineTuneEpochs: number;
  bestValidLoss: number | null;
  sinceBest: number;
  adamStep: number;
}

export class DbnTrainer implements ModelTrainer {
  layers: Rbm[] = [];
  mlp: Mlp | null = null;
  bestWeights: { w: Float32Array; b: Float32Array }[] | null = null;
  state: DbnState = {
    phase: 'pretrain',
    epoch: 0,
    epochsInLayer: 0,
    prevFreeEnergy: null,
    summaries: [],
    events: [],
    layerEpochs: [],
    fineTuneEpochs: 0,
    bestValidLoss: null,
    sinceBest: 0,
    adamStep: 0,
  };
  /** Training inputs as the first RBM sees them (standardised for a Gaussian first layer). */
  private readonly pretrainInput: Matrix;
  /** Training inputs of fine-tuning (standardised whenever a standardiser exists), built on first use. */
  private fineTuneInputCache: Matrix | null = null;
  private layerInput: Matrix | null = null;
  private targets: Float32Array | null = null;
  private rowWeights: Float32Array | null = null;

  constructor(
    readonly kind: 'adbn' | 'dbn',
    readonly config: DbnConfig,
    private readonly data: TrainingData,
    public rng: Rng,
    /** Per-pixel scaling of the net's input: from the start for a Gaussian first layer, else set when fine-tuning starts on standardised inputs. */
    public standardiser: Standardiser | null,
  ) {
    this.pretrainInput = standardiser && config.gaussianFirstLayer ? standardiseInput(data.x, standardiser) : data.x;
  }

  /** Inputs of the unrolled net: standardised when a standardiser exists (see DbnConfig.fineTuneInput). */
  private get fineTuneInput(): Matrix {
    if (this.fineTuneInputCache) return this.fineTuneInputCache;
    if (!this.standardiser) return this.data.x;
    this.fineTuneInputCache = this.config.gaussianFirstLayer ? this.pretrainInput : standardiseInput(this.data.x, this.standardiser);
    return this.fineTuneInputCache;
  }

  get done(): boolean {
    return this.state.phase === 'done';
  }

  /** Options of the RBM at layer `index` (a Gaussian first layer has its own visible type and rate). */
  rbmOptions(index: number): RbmOptions {
    return layerRbmOptions(this.config, index);
  }

  /** Creates the first layer (a fresh run). */
  start(): void {
    const units = this.config.adaptive ? this.config.initialUnits : this.config.hiddenUnits[0];
    this.layers = [Rbm.create(this.pretrainInput.cols, units, this.rbmOptions(0), this.rng)];
    this.layerInput = this.pretrainInput;
  }

  /** Rebuilds the current layer's input from the frozen layers below (after a restore). */
  rebuildDerived(): void {
    if (this.state.phase === 'pretrain') {
      let x = this.pretrainInput;
      for (let l = 0; l < this.layers.length - 1; l++) x = { data: this.layers[l].hiddenProbabilities(x), rows: x.rows, cols: this.layers[l].hidden };
      this.layerInput = x;
    }
  }

  async step(onBatch?: (p: BatchProgress) => void): Promise<EpochReport> {
    if (this.done) throw new Error('dbn trainer: step() after training finished');
    const t0 = performance.now();
    this.state.epoch++;
    const phase = this.state.phase === 'pretrain' ? `pretrain:${this.layers.length}` : 'finetune';
    const rows = this.data.x.rows;
    const progress = (batch: number, batches: number) => {
      if (!onBatch) return;
      const seconds = (performance.now() - t0) / 1000;
      const done = Math.min(rows, (batch * rows) / batches);
      onBatch({ phase, epoch: this.state.epoch, batch, batches, samplesPerSecond: seconds > 0 ? done / seconds : 0 });
    };
    const { metrics, events } = this.state.phase === 'pretrain' ? this.pretrainEpoch(progress) : this.fineTuneEpoch(progress);
    this.state.events.push(...events);
    return {
      epoch: this.state.epoch,
      phase,
      metrics,
      units: this.layers.map((l) => l.hidden),
      events,
      seconds: (performance.now() - t0) / 1000,
      samples: rows,
    };
  }

  private pretrainEpoch(progress: (b: number, n: number) => void): { metrics: Record<string, number>; events: StructureEvent[] } {
    const s = this.state;
    const c = this.config;
    const li = this.layers.length - 1;
    const rbm = this.layers[li];
    const x = this.layerInput;
    if (!x) throw new Error('dbn trainer: layer input missing (restore without rebuildDerived?)');
    s.epochsInLayer++;
    const stats = rbm.trainEpoch(x, this.rng, progress);
    const events: StructureEvent[] = [];
    let split = 0;
    let removed = 0;
    const converged = energyConverged(s.prevFreeEnergy, stats.freeEnergy, c.rules.epsE);
    if (c.adaptive) {
      const toSplit = selectUnitsToSplit({ wdC: stats.wdC, wdW: stats.wdW, energyConverged: converged }, c.rules);
      if (toSplit.length) {
        const before = rbm.hidden;
        rbm.split(toSplit, this.rng);
        split = toSplit.length;
        events.push({ epoch: s.epoch, layer: li, kind: 'generation', unitsBefore: before, unitsAfter: rbm.hidden });
      } else {
        const weights = c.rules.removeDuplicates ? { data: rbm.params.w, rows: rbm.visible, cols: rbm.hidden } : undefined;
        const toRemove = selectUnitsToRemove({ meanActivation: stats.meanActivation, generationStopped: true, weights }, c.rules);
        if (toRemove.length) {
          const before = rbm.hidden;
          rbm.remove(toRemove);
          removed = toRemove.length;
          events.push({ epoch: s.epoch, layer: li, kind: 'annihilation', unitsBefore: before, unitsAfter: rbm.hidden });
        }
      }
    }
    s.prevFreeEnergy = stats.freeEnergy;
    let wdMean = 0;
    for (let j = 0; j < stats.wdC.length; j++) wdMean += stats.wdC[j] * stats.wdW[j];
    wdMean /= stats.wdC.length;
    const settled = c.adaptive
      ? s.epochsInLayer >= c.maxEpochsPerLayer || (s.epochsInLayer >= c.minEpochsPerLayer && split === 0 && removed === 0 && converged)
      : s.epochsInLayer >= c.maxEpochsPerLayer;
    const metrics: Record<string, number> = {
      layer: li,
      recon_error: stats.reconError,
      free_energy: stats.freeEnergy,
      wd_mean: wdMean,
      units_split: split,
      units_removed: removed,
      energy_converged: converged ? 1 : 0,
    };
    if (settled) {
      s.summaries.push({ wd: wdMean, energy: stats.freeEnergy / rbm.visible });
      const another = c.adaptive ? shouldAddLayer(s.summaries, c.rules) : li + 1 < c.hiddenUnits.length;
      if (another) {
        this.layerInput = { data: rbm.hiddenProbabilities(x), rows: x.rows, cols: rbm.hidden };
        const units = c.adaptive ? rbm.hidden : c.hiddenUnits[li + 1];
        this.layers.push(Rbm.create(rbm.hidden, units, this.rbmOptions(li + 1), this.rng));
        if (c.adaptive) events.push({ epoch: s.epoch, layer: li + 1, kind: 'layer', unitsBefore: 0, unitsAfter: units });
        s.epochsInLayer = 0;
        s.prevFreeEnergy = null;
      } else {
        this.startFineTune();
      }
    }
    return { metrics, events };
  }

  private startFineTune(): void {
    const hidden = this.layers.map((r) => ({ inputs: r.visible, outputs: r.hidden, w: r.params.w, b: r.params.c }));
    if (!this.standardiser && this.config.fineTuneInput === 'standardised') {
      this.standardiser = fitStandardiser(this.data.x);
      hidden[0] = reexpressOnStandardised(hidden[0], this.standardiser);
    }
    this.mlp = Mlp.fromPretrained(hidden, this.data.x.cols, NUM_CLASSES, this.config.mlp, this.rng);
    this.layerInput = null;
    this.state.phase = 'finetune';
  }

  private fineTuneEpoch(progress: (b: number, n: number) => void): { metrics: Record<string, number>; events: StructureEvent[] } {
    const s = this.state;
    const mlp = this.mlp;
    if (!mlp) throw new Error('dbn trainer: fine-tuning without a network');
    if (!this.targets) {
      this.targets = buildTargets(this.data, NUM_CLASSES, this.config.useSoftTargets);
      this.rowWeights = classRowWeights(this.config.classWeighting, this.data.y, this.targets, NUM_CLASSES);
    }
    s.fineTuneEpochs++;
    const r = mlp.trainEpoch(this.fineTuneInput, this.targets, this.rowWeights, this.rng, progress);
    s.adamStep = mlp.adamStep;
    const metrics: Record<string, number> = { loss: r.loss, accuracy: r.accuracy };
    let stop = s.fineTuneEpochs >= this.config.fineTuneEpochs;
    const valid = this.data.valid;
    if (valid && valid.y.length > 0) {
      const v = scoreProbabilities(this.predict(valid.x), valid.y, NUM_CLASSES);
      metrics.valid_loss = v.loss;
      metrics.valid_accuracy = v.accuracy;
      if (s.bestValidLoss === null || v.loss < s.bestValidLoss) {
        s.bestValidLoss = v.loss;
        s.sinceBest = 0;
        this.bestWeights = mlp.layers.map((l) => ({ w: l.w.slice(), b: l.b.slice() }));
      } else if (++s.sinceBest >= this.config.patience) {
        stop = true;
      }
    }
    if (stop) {
      if (this.bestWeights) {
        mlp.layers.forEach((l, i) => {
          l.w.set(this.bestWeights![i].w);
          l.b.set(this.bestWeights![i].b);
        });
        mlp.weightsChanged();
      }
      s.phase = 'done';
    }
    return { metrics, events: [] };
  }

  predict(x: Matrix): Float32Array {
    if (!this.mlp) throw new Error('dbn trainer: predict() before fine-tuning has started');
    return this.mlp.predict(this.standardiser ? standardiseInput(x, this.standardiser) : x);
  }

  /** The top hidden layer's activations of the fine-tuned network (the penultimate features), for the face map. */
  features(x: Matrix): Matrix {
    if (!this.mlp) throw new Error('dbn trainer: features() before fine-tuning has started');
    return mlpHidden(this.mlp, this.standardiser ? standardiseInput(x, this.standardiser) : x);
  }

  /** Hidden units per layer now. */
  get units(): number[] {
    return this.layers.map((l) => l.hidden);
  }

  snapshot(): ModelSnapshot {
    return snapshotDbn(this);
  }

  dispose(): void {
    // Parameters are plain arrays; tensors live only inside each batch's tidy.
    this.layerInput = null;
  }
}
