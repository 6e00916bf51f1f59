/**
 * Neuron generation in a child's top hidden layer (METHOD.md 6.4, Adaptive DBN only). The
 * child starts as its parent's fine-tuned network; before it fine-tunes, its top hidden layer
 * is treated as an RBM (weights and hidden biases of the fine-tuned layer, visible bias of
 * the pre-trained RBM) and trained for a few CD-1 epochs on the child's own faces, as seen
 * through the layers below. Units whose parameters keep walking on these faces (the
 * walking-distance rule of METHOD 3.2, selectUnitsToSplit with the parent's rule options) are
 * split: the fine-tuned layer gets a twin of each (incoming weights and bias copied plus
 * N(0, splitNoise^2), which breaks the symmetry), and the unit's outgoing weights to the
 * softmax are shared half and half between the twins, so the network's output barely moves.
 * The pre-trained RBM of that layer is split alike so the snapshot's structure stays
 * consistent. Only the snapshot changes: the measuring RBM is thrown away. Works on the
 * snapshot's plain arrays (see dbn-snapshot.ts), so the trainer's internals are not touched.
 */
import type { Matrix, ModelSnapshot, StructureEvent } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';
import { DEFAULT_ADAPTIVE_RULES, energyConverged, selectUnitsToSplit, type AdaptiveRuleOptions } from '../rbm/adaptive-rules.ts';
import { DEFAULT_RBM_OPTIONS, Rbm, type RbmOptions } from '../rbm/rbm.ts';
import { DEFAULT_DBN_CONFIG, layerRbmOptions } from './dbn-config.ts';
import { splitUnits } from '../rbm/structure-ops.ts';
import { readRow } from '../../train/matrix-rows.ts';
import { standardiseInput } from './standardise.ts';

export interface ChildGenerationOptions {
  /** CD-1 epochs on the child's faces used to measure the walking distance [choice: 3]. */
  epochs: number;
  seed: number;
}

export interface ChildGenerationResult {
  snapshot: ModelSnapshot;
  /** One 'generation' event per epoch that split units (layer = the top hidden layer). */
  events: StructureEvent[];
  unitsBefore: number;
  unitsAfter: number;
  /** Options of the measuring RBM (a Gaussian first layer's own learning rate included). */
  rbmOptions: RbmOptions;
}

type Tensors = ModelSnapshot['tensors'];

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v));

/** Activations of a dense sigmoid layer (inputs x outputs row-major) for every row of x. */
export function dense(x: Matrix, w: Float32Array, b: Float32Array, outputs: number): Matrix {
  const out = new Float32Array(x.rows * outputs);
  const row = new Float32Array(x.cols);
  for (let r = 0; r < x.rows; r++) {
    const o = out.subarray(r * outputs, (r + 1) * outputs);
    o.set(b);
    readRow(x, r, row, 0);
    for (let i = 0; i < x.cols; i++) {
      const v = row[i];
      if (v === 0) continue;
      const wRow = i * outputs;
      for (let j = 0; j < outputs; j++) o[j] += v * w[wRow + j];
    }
    for (let j = 0; j < outputs; j++) o[j] = sigmoid(o[j]);
  }
  return { data: out, rows: x.rows, cols: outputs };
}

/** Appends columns `src` (copies, optionally noisy) to an inputs x outputs array. */
function appendColumns(a: Float32Array, inputs: number, outputs: number, src: number[], noise: (k: number) => number): Float32Array {
  const J = outputs + src.length;
  const out = new Float32Array(inputs * J);
  for (let i = 0; i < inputs; i++) {
    out.set(a.subarray(i * outputs, (i + 1) * outputs), i * J);
    src.forEach((j, k) => (out[i * J + outputs + k] = a[i * outputs + j] + noise(k)));
  }
  return out;
}

/**
 * The child's top hidden layer in an RBM's terms: its input on the child's faces (through the
 * fine-tuned layers below) and its weights and hidden biases. The net sees standardised
 * pixels whenever the snapshot has a standardiser; a Bernoulli first RBM was pre-trained on
 * raw pixels, so a first layer is expressed on raw pixels with its weights re-expressed back
 * (w = w' / std, c = c' - sum_i mean_i w_ij, the inverse of standardise.ts
 * reexpressOnStandardised): the same function, in the RBM's own terms.
 */
export function topLayerAsRbm(snap: ModelSnapshot, x: Matrix): { input: Matrix; w: Float32Array; c: Float32Array; top: number } {
  const meta = snap.meta as { config: { gaussianFirstLayer: boolean }; mlpShape: [number, number][] | null };
  if (!meta.mlpShape || meta.mlpShape.length < 2) throw new Error('child generation: the network has no hidden layer');
  const get = (name: string) => {
    const t = snap.tensors[name];
    if (!t) throw new Error(`child generation: snapshot tensor ${name} missing`);
    return t.data;
  };
  const top = meta.mlpShape.length - 2;
  const [inputs, hidden] = meta.mlpShape[top];
  const st = snap.tensors['input.mean'] ? { mean: get('input.mean'), std: get('input.std') } : null;
  const w = get(`mlp${top}.w`).slice();
  let c = get(`mlp${top}.b`).slice();
  let input: Matrix = st ? standardiseInput(x, st) : x;
  if (top === 0 && st && !meta.config.gaussianFirstLayer) {
    input = x;
    const shift = new Float64Array(hidden);
    for (let i = 0; i < inputs; i++) {
      for (let j = 0; j < hidden; j++) {
        w[i * hidden + j] /= st.std[i];
        shift[j] += w[i * hidden + j] * st.mean[i];
      }
    }
    c = Float32Array.from(c, (v, j) => v - shift[j]);
  }
  for (let l = 0; l < top; l++) input = dense(input, get(`mlp${l}.w`), get(`mlp${l}.b`), meta.mlpShape[l][1]);
  return { input, w, c, top };
}

export function growChildTopLayer(snap: ModelSnapshot, x: Matrix, o: ChildGenerationOptions): ChildGenerationResult {
  if (snap.kind !== 'adbn') throw new Error(`child generation: only an Adaptive DBN grows (snapshot kind ${snap.kind})`);
  const meta = structuredClone(snap.meta) as Record<string, unknown> & {
    config: { rules: AdaptiveRuleOptions; rbm: RbmOptions; gaussianFirstLayer: boolean; gaussianLearningRate?: number };
    units: number[];
    mlpShape: [number, number][] | null;
    state: { epoch: number };
  };
  if (!meta.mlpShape) throw new Error('child generation: the parent has no fine-tuned network');
  const tensors: Tensors = { ...snap.tensors };
  const get = (name: string) => {
    const t = tensors[name];
    if (!t) throw new Error(`child generation: snapshot tensor ${name} missing`);
    return t.data;
  };
  const top = meta.mlpShape.length - 2;
  if (top < 0) throw new Error('child generation: the network has no hidden layer');
  const rules = { ...DEFAULT_ADAPTIVE_RULES, ...meta.config.rules };
  const rbmOptions = layerRbmOptions(
    {
      rbm: { ...DEFAULT_RBM_OPTIONS, ...meta.config.rbm },
      gaussianFirstLayer: meta.config.gaussianFirstLayer,
      gaussianLearningRate: meta.config.gaussianLearningRate ?? DEFAULT_DBN_CONFIG.gaussianLearningRate,
    },
    top,
  );
  const [inputs, hidden] = meta.mlpShape[top];
  const { input, w, c } = topLayerAsRbm(snap, x);
  const rbmB = get(`rbm${top}.b`);
  if (rbmB.length !== inputs) throw new Error(`child generation: rbm${top} has ${rbmB.length} visible units, the network layer ${inputs}`);
  const measure = new Rbm(
    { visible: inputs, hidden, w, b: rbmB.slice(), c, incW: new Float32Array(inputs * hidden), incB: new Float32Array(inputs), incC: new Float32Array(hidden) },
    rbmOptions,
  );
  const rng = new Rng(o.seed);
  let prev: number | null = null;
  const chosen = new Set<number>();
  const events: StructureEvent[] = [];
  for (let e = 0; e < o.epochs; e++) {
    const stats = measure.trainEpoch(input, rng);
    const units = selectUnitsToSplit({ wdC: stats.wdC, wdW: stats.wdW, energyConverged: energyConverged(prev, stats.freeEnergy, rules.epsE) }, { ...rules, maxUnits: rules.maxUnits - chosen.size });
    prev = stats.freeEnergy;
    const fresh = units.filter((j) => j < hidden && !chosen.has(j));
    if (fresh.length) {
      events.push({ epoch: meta.state.epoch + e + 1, layer: top, kind: 'generation', unitsBefore: hidden + chosen.size, unitsAfter: hidden + chosen.size + fresh.length });
      fresh.forEach((j) => chosen.add(j));
    }
  }
  const split = [...chosen].sort((a, b) => a - b);
  if (split.length === 0) return { snapshot: snap, events: [], unitsBefore: hidden, unitsAfter: hidden, rbmOptions };
  const J = hidden + split.length;
  const noise = () => rbmOptions.splitNoise * rng.normal();
  const none = () => 0;
  // Fine-tuned top hidden layer: twins of the chosen columns; fresh Adam moments for them.
  const put = (name: string, data: Float32Array, shape: number[]) => (tensors[name] = { shape, data });
  put(`mlp${top}.w`, appendColumns(get(`mlp${top}.w`), inputs, hidden, split, noise), [inputs, J]);
  put(`mlp${top}.b`, appendColumns(get(`mlp${top}.b`), 1, hidden, split, none), [J]);
  for (const m of ['mW', 'vW'] as const) put(`mlp${top}.${m}`, appendColumns(get(`mlp${top}.${m}`), inputs, hidden, split, none).map((v, k) => (k % J >= hidden ? 0 : v)), [inputs, J]);
  for (const m of ['mB', 'vB'] as const) put(`mlp${top}.${m}`, appendColumns(get(`mlp${top}.${m}`), 1, hidden, split, none).map((v, k) => (k >= hidden ? 0 : v)), [J]);
  // Softmax layer: the twins share the original unit's outgoing weights half and half.
  const outN = meta.mlpShape[top + 1][1];
  const wOut = get(`mlp${top + 1}.w`);
  const grown = new Float32Array(J * outN);
  grown.set(wOut);
  split.forEach((j, k) => {
    for (let c = 0; c < outN; c++) {
      const half = wOut[j * outN + c] / 2;
      grown[j * outN + c] = half;
      grown[(hidden + k) * outN + c] = half;
    }
  });
  put(`mlp${top + 1}.w`, grown, [J, outN]);
  for (const m of ['mW', 'vW'] as const) {
    const a = new Float32Array(J * outN);
    a.set(get(`mlp${top + 1}.${m}`));
    put(`mlp${top + 1}.${m}`, a, [J, outN]);
  }
  // The pre-trained RBM of the layer follows, so units and shapes stay consistent.
  const rbm = splitUnits({ visible: inputs, hidden, w: get(`rbm${top}.w`), b: rbmB, c: get(`rbm${top}.c`), incW: get(`rbm${top}.incW`), incB: get(`rbm${top}.incB`), incC: get(`rbm${top}.incC`) }, split, rbmOptions.splitNoise, rng);
  put(`rbm${top}.w`, rbm.w, [inputs, J]);
  put(`rbm${top}.c`, rbm.c, [J]);
  put(`rbm${top}.incW`, rbm.incW, [inputs, J]);
  put(`rbm${top}.incC`, rbm.incC, [J]);
  meta.units = meta.units.map((u, l) => (l === top ? J : u));
  meta.mlpShape = meta.mlpShape.map(([i, out], l) => (l === top ? [i, J] : l === top + 1 ? [J, out] : [i, out]));
  return { snapshot: { kind: snap.kind, meta, tensors }, events, unitsBefore: hidden, unitsAfter: J, rbmOptions };
}
