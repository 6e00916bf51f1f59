/**
 * The adaptive structure rules of METHOD.md section 3 as pure functions over plain per-unit
 * statistics (no tensors), so each can be tested on hand-made numbers: energy convergence,
 * neuron generation (3.2), neuron annihilation (3.3) and layer generation (3.4). Every constant
 * is a named option with METHOD.md's default.
 */

export interface AdaptiveRuleOptions {
  /** Relative change of mean free energy below which the energy counts as converged (eps_E). */
  epsE: number;
  /** Weight of the bias walking distance in the generation score (alpha_c). */
  alphaC: number;
  /** Weight of the weights walking distance in the generation score (alpha_W). */
  alphaW: number;
  /** Generation threshold on (alpha_c wd_c)(alpha_W wd_W) (theta_G); see docs of DEFAULT_ADAPTIVE_RULES. */
  thetaG: number;
  /** At most this fraction of the current units is added per epoch (at least one unit). */
  maxNewFraction: number;
  /** Cap on hidden units per layer. */
  maxUnits: number;
  /** A unit whose mean activation over the data is below this is dead (theta_A). */
  thetaA: number;
  /** Also remove near-duplicate units (cosine of incoming weights above duplicateCosine). */
  removeDuplicates: boolean;
  duplicateCosine: number;
  /** Never shrink a layer below this many units. */
  minUnits: number;
  /** Layer generation: sum_l alphaWD * WD_l must exceed thetaL1 ... */
  alphaWD: number;
  thetaL1: number;
  /** ... and sum_l alphaE * E_l must exceed thetaL2 (E_l: mean free energy per visible unit; higher = worse fit). */
  alphaE: number;
  thetaL2: number;
  /** Max number of RBM layers. */
  maxLayers: number;
}

/**
 * Calibration (bench/calibrate-theta-g.ts on the first 4,096 FER+ train faces, 2304 visible ->
 * 64 hidden, lr 0.05, batch 64; numbers in docs/benchmark.md): the generation score
 * wd_c*wd_W has p50 ~1.6e-4 and p95-p97 ~4.5e-4..5.9e-4 in epochs 2-5 (momentum 0.5), so
 * theta_G = 5e-4 splits a few percent of the units there; epoch 1 (from random weights) and
 * the epochs after the momentum switch to 0.9 (scores ~3x larger) hit the 10% cap until the
 * free energy converges. Layer generation: the layer's mean wd_c*wd_W is ~2e-4..7e-4 on FER+
 * (theta_L1 = 1e-4: "still moving"), its free energy per visible unit ~-0.08..-0.14 and it
 * falls as the layer fits; theta_L2 = -0.25 on the sum over layers stacks a second and usually
 * a third layer, after which the summed (negative) energies stop the growth.
 */
export const DEFAULT_ADAPTIVE_RULES: AdaptiveRuleOptions = {
  epsE: 0.01,
  alphaC: 1,
  alphaW: 1,
  thetaG: 5e-4,
  maxNewFraction: 0.1,
  maxUnits: 1024,
  thetaA: 0.01,
  removeDuplicates: false,
  duplicateCosine: 0.99,
  minUnits: 2,
  alphaWD: 1,
  thetaL1: 1e-4,
  alphaE: 1,
  thetaL2: -0.25,
  maxLayers: 5,
};

/** True when the mean free energy changed by at most epsE relative over the last epoch. */
export function energyConverged(previous: number | null, current: number, epsE: number): boolean {
  if (previous === null || !Number.isFinite(previous)) return false;
  const scale = Math.max(Math.abs(previous), 1e-12);
  return Math.abs(current - previous) / scale <= epsE;
}

export interface GenerationStats {
  /** Per-unit walking distance of the hidden bias (std of its updates / lr). */
  wdC: ArrayLike<number>;
  /** Per-unit walking distance of the incoming weights (std of RMS updates / lr). */
  wdW: ArrayLike<number>;
  energyConverged: boolean;
}

/** Units to split (METHOD 3.2), highest score first, capped per epoch and per layer. */
export function selectUnitsToSplit(stats: GenerationStats, o: AdaptiveRuleOptions): number[] {
  const units = stats.wdC.length;
  if (stats.energyConverged) return [];
  const cap = Math.min(Math.max(1, Math.floor(o.maxNewFraction * units)), o.maxUnits - units);
  if (cap <= 0) return [];
  const scored: { j: number; s: number }[] = [];
  for (let j = 0; j < units; j++) {
    const s = o.alphaC * stats.wdC[j] * (o.alphaW * stats.wdW[j]);
    if (s > o.thetaG) scored.push({ j, s });
  }
  scored.sort((a, b) => b.s - a.s || a.j - b.j);
  return scored.slice(0, cap).map((x) => x.j);
}

export interface AnnihilationStats {
  /** (1/N) sum_n P(h_j = 1 | v_n) per unit. */
  meanActivation: ArrayLike<number>;
  /** True when generation has stopped for the layer (no split in the last epoch). */
  generationStopped: boolean;
  /** Incoming weights, row-major visible x hidden; needed only for duplicate removal. */
  weights?: { data: ArrayLike<number>; rows: number; cols: number };
}

function cosineOfColumns(w: { data: ArrayLike<number>; rows: number; cols: number }, a: number, b: number): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < w.rows; i++) {
    const x = w.data[i * w.cols + a];
    const y = w.data[i * w.cols + b];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return ab / Math.sqrt(Math.max(aa * bb, 1e-30));
}

/** Units to remove (METHOD 3.3): dead units, and optionally the later twin of near-duplicates. */
export function selectUnitsToRemove(stats: AnnihilationStats, o: AdaptiveRuleOptions): number[] {
  const units = stats.meanActivation.length;
  if (!stats.generationStopped) return [];
  const remove = new Set<number>();
  for (let j = 0; j < units; j++) if (stats.meanActivation[j] < o.thetaA) remove.add(j);
  if (o.removeDuplicates && stats.weights) {
    for (let a = 0; a < units; a++) {
      if (remove.has(a)) continue;
      for (let b = a + 1; b < units; b++) {
        if (!remove.has(b) && cosineOfColumns(stats.weights, a, b) > o.duplicateCosine) remove.add(b);
      }
    }
  }
  // Keep the most active units when the rule would shrink the layer below minUnits.
  const keepAtLeast = Math.min(o.minUnits, units);
  let list = [...remove].sort((a, b) => a - b);
  const excess = units - list.length < keepAtLeast ? keepAtLeast - (units - list.length) : 0;
  if (excess > 0) {
    const byActivity = [...list].sort((a, b) => stats.meanActivation[b] - stats.meanActivation[a] || a - b);
    const spared = new Set(byActivity.slice(0, excess));
    list = list.filter((j) => !spared.has(j));
  }
  return list;
}

export interface LayerSummary {
  /** Mean over units of wd_c * wd_W for the layer. */
  wd: number;
  /** Energy measure E_l: mean free energy of the layer on its data per visible unit (higher = worse fit). */
  energy: number;
}

/** Whether to stack another layer after the top one settled (METHOD 3.4). */
export function shouldAddLayer(layers: LayerSummary[], o: AdaptiveRuleOptions): boolean {
  if (layers.length === 0 || layers.length >= o.maxLayers) return false;
  let wd = 0;
  let e = 0;
  for (const l of layers) {
    wd += o.alphaWD * l.wd;
    e += o.alphaE * l.energy;
  }
  return wd > o.thetaL1 && e > o.thetaL2;
}
