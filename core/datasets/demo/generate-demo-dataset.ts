/**
 * The built-in demo dataset: synthetic faces of the 8 expressions with planted ground truth,
 * opened when the user has no dataset, run by `npm run demo`, and used by tests of training,
 * ambiguity analysis, Dawid-Skene and re-learning. Every face is a pure function of
 * (seed, split, index), so the set is identical on every machine and any face can be
 * regenerated alone. Planted: ~15% blended (ambiguous) faces, mostly along confusion pairs;
 * 3-5 simulated annotators per face; ~4% wrong given labels; a few exact duplicates within and
 * across splits and blank images (planted-health.ts).
 */
import { NUM_CLASSES, SPLITS, type ClassId, type ImportItem, type SampleRecord, type Split } from '../../../api/domain.ts';
import { Rng } from '../../util/rng.ts';
import { DEMO_ANNOTATORS, DEMO_ANNOTATOR_HABITS_VERSION, drawAnnotatorLabel } from './annotators.ts';
import { sampleAppearance } from './appearance.ts';
import { EXPRESSION_PROTOTYPES, blendExpressions, drawBlendPartner, varyExpression } from './expressions.ts';
import { renderFace } from './render-face.ts';
import { PLANTED_BLANKS, PLANTED_DUPLICATES, asBlank, asDuplicate, plantedBlankAt, plantedDuplicateAt } from './planted-health.ts';

export const DEMO_DEFAULT_SEED = 20260601;
export const DEMO_DEFAULT_COUNTS: Readonly<Record<Split, number>> = Object.freeze({ train: 2400, valid: 600, test: 600 });
export const DEMO_DEFAULT_SIZE = 48;
export const DEMO_GENERATOR_VERSION = 'demo-faces-v1';

export interface DemoDatasetOptions {
  seed?: number;
  counts?: Partial<Record<Split, number>>;
  /** Side of the square grey images, pixels. */
  size?: number;
  /** Fraction of blended (ambiguous) faces; default 0.15. */
  blendRate?: number;
  /** Fraction of planted wrong given labels; default 0.04. */
  wrongLabelRate?: number;
}

/** The planted truth stored in each demo record's `extra`. */
export interface DemoGroundTruth {
  /** The class with the larger share of the face's expression (the only one for a clear face). */
  trueClass: ClassId;
  /** For a blend: the minority class and its share, in [0.35, 0.5) (so the mix weight w lies in [0.35, 0.65]). */
  blend: { other: ClassId; weight: number } | null;
  ambiguous: boolean;
  /** The given label was planted wrong (neither trueClass nor the blend partner). */
  wrongLabel: boolean;
  habitsVersion: string;
  generatorVersion: string;
}

interface ResolvedOptions {
  seed: number;
  counts: Record<Split, number>;
  size: number;
  blendRate: number;
  wrongLabelRate: number;
}

function resolveOptions(o: DemoDatasetOptions = {}): ResolvedOptions {
  const seed = o.seed ?? DEMO_DEFAULT_SEED;
  if (!Number.isInteger(seed)) throw new RangeError(`demo dataset: option "seed" must be an integer, got ${seed}`);
  const counts = { ...DEMO_DEFAULT_COUNTS, ...o.counts };
  for (const s of SPLITS) {
    if (!Number.isInteger(counts[s]) || counts[s] < 0) throw new RangeError(`demo dataset: option "counts.${s}" must be a non-negative integer, got ${counts[s]}`);
  }
  const size = o.size ?? DEMO_DEFAULT_SIZE;
  if (!Number.isInteger(size) || size < 8 || size > 1024) throw new RangeError(`demo dataset: option "size" must be an integer in 8..1024, got ${size}`);
  const rate = (name: string, v: number): number => {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`demo dataset: option "${name}" must be in [0, 1], got ${v}`);
    return v;
  };
  return { seed, counts, size, blendRate: rate('blendRate', o.blendRate ?? 0.15), wrongLabelRate: rate('wrongLabelRate', o.wrongLabelRate ?? 0.04) };
}

/** A well-mixed 32-bit seed from a few integers (murmur3's finaliser over a running hash). */
function hashSeed(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** Balanced classes for one split, in a seeded random order. */
function classesForSplit(seed: number, split: Split, n: number): Uint8Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  new Rng(hashSeed(seed, SPLITS.indexOf(split), 0x5eed)).shuffle(order);
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = order[i] % NUM_CLASSES;
  return out;
}

/**
 * The classes of a split with the planted duplicates' slots given their source's class: each
 * slot swaps classes with the first unplanted face of the split holding the source's class, so
 * every split stays exactly balanced although a duplicate shows its source's expression.
 */
function classesWithPlants(o: ResolvedOptions, split: Split): Uint8Array {
  const train = swapForPlants(o, 'train', classesForSplit(o.seed, 'train', o.counts.train), null);
  return split === 'train' ? train : swapForPlants(o, split, classesForSplit(o.seed, split, o.counts[split]), train);
}

function swapForPlants(o: ResolvedOptions, split: Split, classes: Uint8Array, train: Uint8Array | null): Uint8Array {
  const plants = PLANTED_DUPLICATES.filter((p) => p.split === split && p.index < classes.length && p.of.index < o.counts[p.of.split]);
  const reserved = new Set<number>([
    ...PLANTED_DUPLICATES.flatMap((p) => [...(p.split === split ? [p.index] : []), ...(p.of.split === split ? [p.of.index] : [])]),
    ...PLANTED_BLANKS.filter((b) => b.split === split).map((b) => b.index),
  ]);
  for (const p of plants) {
    const want = (train ?? classes)[p.of.index];
    if (classes[p.index] === want) continue;
    const k = classes.findIndex((c, i) => c === want && !reserved.has(i));
    if (k < 0) continue;
    classes[k] = classes[p.index];
    classes[p.index] = want;
  }
  return classes;
}

const CLASS_IDS: readonly ClassId[] = Array.from({ length: NUM_CLASSES }, (_, k) => k);

/** Valence and arousal of each class on Russell's circumplex, for AffectNet-like extras. */
const CIRCUMPLEX: readonly [number, number][] = [
  [0, 0], [0.75, 0.35], [-0.65, -0.3], [0.15, 0.8], [-0.6, 0.7], [-0.65, 0.35], [-0.55, 0.75], [-0.45, 0.2],
];

/** The stable identifier of a demo face, e.g. `demo:train:000123`. */
export function demoSourceRef(split: Split, index: number): string {
  return `demo:${split}:${String(index).padStart(6, '0')}`;
}

function generateFace(o: ResolvedOptions, split: Split, index: number, cls: ClassId): SampleRecord {
  const root = new Rng(hashSeed(o.seed, SPLITS.indexOf(split), index));
  // Independent streams, so changing how one aspect is drawn does not reshuffle the others.
  const rExpr = root.fork(), rLook = root.fork(), rNoise = root.fork(), rLabel = root.fork();

  const ambiguous = rExpr.next() < o.blendRate;
  let blend: DemoGroundTruth['blend'] = null;
  const mix = new Array<number>(NUM_CLASSES).fill(0);
  let expression = EXPRESSION_PROTOTYPES[cls];
  if (ambiguous) {
    const other = drawBlendPartner(cls, rExpr);
    const weight = 0.35 + 0.15 * rExpr.next();
    blend = { other, weight };
    expression = blendExpressions(EXPRESSION_PROTOTYPES[cls], EXPRESSION_PROTOTYPES[other], weight);
    mix[cls] = 1 - weight;
    mix[other] = weight;
  } else {
    mix[cls] = 1;
  }
  const intensity = 0.7 + 0.45 * rExpr.next();
  const params = { expression: varyExpression(expression, intensity, rExpr), appearance: sampleAppearance(rLook) };
  const pixels = renderFace(params, o.size, rNoise);

  // 3-5 distinct annotators, each labelling through its own habit.
  const count = 3 + rLabel.int(3);
  const picks = rLabel.shuffle(DEMO_ANNOTATORS.map((_, i) => i)) as number[];
  const annotations = picks.slice(0, count).sort((x, y) => x - y).map((i) => ({
    annotator: DEMO_ANNOTATORS[i].id,
    label: drawAnnotatorLabel(DEMO_ANNOTATORS[i], mix, rLabel),
  }));

  const wrongLabel = rLabel.next() < o.wrongLabelRate;
  let givenLabel: ClassId = cls;
  if (wrongLabel) {
    // Half along a confusion pair, half uniformly; never the blend partner, so a planted wrong label is unarguably wrong.
    const partner = rLabel.next() < 0.5 ? drawBlendPartner(cls, rLabel, 1) : -1;
    const candidates = CLASS_IDS.filter((k) => k !== cls && k !== blend?.other);
    givenLabel = candidates.includes(partner) ? partner : candidates[rLabel.int(candidates.length)];
  }

  let valence = 0, arousal = 0;
  for (let k = 0; k < NUM_CLASSES; k++) {
    valence += mix[k] * CIRCUMPLEX[k][0] * intensity;
    arousal += mix[k] * CIRCUMPLEX[k][1] * intensity;
  }
  const clampVA = (x: number): number => Math.max(-1, Math.min(1, Math.round(x * 1000) / 1000));

  const truth: DemoGroundTruth = {
    trueClass: cls, blend, ambiguous, wrongLabel, habitsVersion: DEMO_ANNOTATOR_HABITS_VERSION, generatorVersion: DEMO_GENERATOR_VERSION,
  };
  return {
    sourceRef: demoSourceRef(split, index),
    dataset: 'demo',
    split,
    width: o.size,
    height: o.size,
    pixels,
    originalPath: null,
    faceBox: null,
    givenLabel,
    valence: clampVA(valence + 0.08 * rLabel.normal()),
    arousal: clampVA(arousal + 0.08 * rLabel.normal()),
    annotations,
    votes: null,
    extra: { ...truth },
  };
}

/** Number of faces the options produce. */
export function demoDatasetSize(options?: DemoDatasetOptions): number {
  const o = resolveOptions(options);
  return SPLITS.reduce((n, s) => n + o.counts[s], 0);
}

/** Demo faces one at a time, train then valid then test, each split in index order. */
export function* demoRecords(options?: DemoDatasetOptions): Generator<SampleRecord> {
  const o = resolveOptions(options);
  for (const split of SPLITS) {
    const classes = classesWithPlants(o, split);
    for (let i = 0; i < classes.length; i++) yield plantedFace(o, split, i, classes[i]);
  }
}

/** The face of a slot, with the dataset-health plants applied. */
function plantedFace(o: ResolvedOptions, split: Split, index: number, cls: ClassId): SampleRecord {
  const face = generateFace(o, split, index, cls);
  const dup = plantedDuplicateAt(split, index);
  if (dup && dup.of.index < o.counts[dup.of.split]) {
    return asDuplicate(face, generateFace(o, dup.of.split, dup.of.index, classesWithPlants(o, dup.of.split)[dup.of.index]));
  }
  const blank = plantedBlankAt(split, index);
  return blank ? asBlank(face, blank.level) : face;
}

/**
 * One demo face alone, e.g. re-rendered at 96 or 128 px for display: same expression, person,
 * labels and truth as in the dataset made with the same seed and counts (only the size, and so
 * the noise pattern, differs).
 */
export function generateDemoFace(split: Split, index: number, options?: DemoDatasetOptions): SampleRecord {
  const o = resolveOptions(options);
  if (!Number.isInteger(index) || index < 0 || index >= o.counts[split]) {
    throw new RangeError(`demo dataset: index ${index} is outside split "${split}" (0..${o.counts[split] - 1})`);
  }
  return plantedFace(o, split, index, classesWithPlants(o, split)[index]);
}

/** The whole demo dataset in memory (default 2400/600/600 faces of 48x48, a few seconds). */
export function generateDemoDataset(options?: DemoDatasetOptions): SampleRecord[] {
  return [...demoRecords(options)];
}

/**
 * The demo dataset as an import stream, so it goes through the same import writer as real
 * datasets. Yields to the event loop now and then so a caller on a busy thread stays live.
 */
export async function* demoImportItems(options?: DemoDatasetOptions, progressEvery = 200): AsyncGenerator<ImportItem> {
  const total = demoDatasetSize(options);
  let done = 0;
  yield { kind: 'progress', done, total };
  for (const record of demoRecords(options)) {
    yield { kind: 'sample', record };
    done++;
    if (done % progressEvery === 0 || done === total) {
      yield { kind: 'progress', done, total };
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }
}

/** Reads a demo record's planted truth back from `extra` (null for a record that is not a demo face). */
export function demoGroundTruth(record: Pick<SampleRecord, 'extra'>): DemoGroundTruth | null {
  const x = record.extra;
  if (!x || typeof x.trueClass !== 'number' || x.generatorVersion === undefined) return null;
  return x as unknown as DemoGroundTruth;
}

