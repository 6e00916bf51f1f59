/**
 * What the Training view's form offers for each model kind: the fields (each one a key of the
 * contract's TrainingOptions), their METHOD.md defaults, and the parsing of what the user typed
 * into options, with a message naming the field when a value is not acceptable. Pure, so it is
 * unit tested without a DOM.
 */
import { REVIEWED_TARGETS, type ModelKind, type TrainingOptions } from '../../api/contract.ts';

export type FieldType = 'int' | 'float' | 'intList' | 'bool' | 'choice';

export interface FormField {
  key: keyof TrainingOptions;
  label: string;
  type: FieldType;
  hint: string;
  min?: number;
  max?: number;
  step?: number;
  /** The values a 'choice' field offers, the first being the default. */
  choices?: readonly string[];
}

/** A METHOD.md constant the contract does not let a run override yet: shown, not sent. */
export interface FixedSetting {
  label: string;
  value: string;
  hint: string;
}

export interface KindSpec {
  kind: ModelKind;
  label: string;
  summary: string;
  fields: FormField[];
  defaults: FormValues;
  fixed: FixedSetting[];
}

/** What the form holds: text as typed for numbers and lists, booleans for switches. */
export type FormValues = Partial<Record<keyof TrainingOptions, string | boolean>>;

const common: FormField[] = [
  { key: 'epochs', label: 'Epochs', type: 'int', min: 1, max: 10_000, hint: 'supervised epochs (fine-tuning for the DBNs)' },
  { key: 'batchSize', label: 'Batch size', type: 'int', min: 1, max: 65_536, hint: 'faces per minibatch' },
  { key: 'learningRate', label: 'Learning rate', type: 'float', min: 0, max: 10, step: 0.0001, hint: 'Adam step size of the supervised phase' },
  { key: 'seed', label: 'Seed', type: 'int', min: 0, max: 2 ** 32 - 1, hint: 'same seed, same run' },
];
const patience: FormField = { key: 'patience', label: 'Early-stop patience', type: 'int', min: 1, max: 10_000, hint: 'epochs without a better validation loss' };
const quick: FormField[] = [
  { key: 'maxSamples', label: 'Max training faces', type: 'int', min: 1, hint: 'empty = all; a cap makes quick trial runs' },
  { key: 'reviewedTarget', label: 'Reviewed faces train on', type: 'choice', choices: REVIEWED_TARGETS, hint: 'one-hot: the reviewer’s class alone; weighted: the reviewer outweighs all votes together and the votes keep the rest' },
  { key: 'softTargets', label: 'Soft targets from annotator votes', type: 'bool', hint: 'KL(a‖p) where faces have ≥ 3 labels, also faces without a majority (METHOD 3.5); a reviewer’s class always wins over the votes' },
];

export const KIND_SPECS: readonly KindSpec[] = [
  {
    kind: 'adbn',
    label: 'Adaptive DBN',
    summary: 'RBM layers that grow and prune units and add layers while they learn, then fine-tuned (METHOD 3).',
    fields: [
      { key: 'hiddenUnits', label: 'Initial hidden units', type: 'intList', hint: 'units of the first layer at the start; it grows and shrinks' },
      { key: 'maxLayers', label: 'Max layers', type: 'int', min: 1, max: 16, hint: 'layer generation stops here (METHOD 3.4)' },
      { key: 'pretrainEpochs', label: 'RBM epochs per layer', type: 'int', min: 0, max: 10_000, hint: 'CD-1 pre-training epochs of each layer (a cap for the adaptive kind)' },
      ...common.map((f) => (f.key === 'epochs' ? { ...f, label: 'Fine-tune epochs' } : f)),
      patience,
      ...quick,
    ],
    defaults: { hiddenUnits: '64', maxLayers: '5', pretrainEpochs: '20', epochs: '30', batchSize: '64', learningRate: '0.001', seed: '1', patience: '5', maxSamples: '', softTargets: true, reviewedTarget: 'one-hot' },
    fixed: [
      { label: 'θ_G (generation)', value: '2.5e-5', hint: 'split a unit when (α_c·WD_c)(α_W·WD_W) > θ_G' },
      { label: 'θ_A (annihilation)', value: '0.01', hint: 'remove a unit whose mean activation is below θ_A' },
      { label: 'RBM learning rate', value: '0.05', hint: 'CD-1, momentum 0.5 → 0.9, weight decay 1e-4' },
      { label: 'Max units per layer', value: '1024', hint: 'at most 10% new units per epoch' },
    ],
  },
  {
    kind: 'cnn',
    label: 'CNN',
    summary: 'VGG-style baseline: 3 blocks of 2×(conv 3×3, BN, ReLU) + max-pool, 32/64/128 filters, dense 256 (METHOD 4).',
    fields: [...common, patience, ...quick],
    defaults: { epochs: '30', batchSize: '64', learningRate: '0.001', seed: '1', patience: '5', maxSamples: '', softTargets: true, reviewedTarget: 'one-hot' },
    fixed: [{ label: 'Augmentation', value: 'crop/shift + flip', hint: 'random crop/shift and horizontal flip' }],
  },
  {
    kind: 'dbn',
    label: 'DBN',
    summary: 'A fixed stack of RBMs pre-trained with CD-1, then fine-tuned: the non-adaptive reference.',
    fields: [
      { key: 'hiddenUnits', label: 'Hidden layer sizes', type: 'intList', hint: 'comma-separated, bottom first, e.g. 512, 256' },
      { key: 'pretrainEpochs', label: 'RBM epochs per layer', type: 'int', min: 0, max: 10_000, hint: 'CD-1 pre-training epochs of each layer (a cap for the adaptive kind)' },
      ...common.map((f) => (f.key === 'epochs' ? { ...f, label: 'Fine-tune epochs' } : f)),
      patience,
      ...quick,
    ],
    defaults: { hiddenUnits: '512, 256', pretrainEpochs: '20', epochs: '30', batchSize: '64', learningRate: '0.001', seed: '1', patience: '5', maxSamples: '', softTargets: true, reviewedTarget: 'one-hot' },
    fixed: [{ label: 'RBM learning rate', value: '0.05', hint: 'CD-1, momentum 0.5 → 0.9, weight decay 1e-4' }],
  },
];

export function specFor(kind: ModelKind): KindSpec {
  const s = KIND_SPECS.find((k) => k.kind === kind);
  if (!s) throw new Error(`unknown model kind ${kind}`);
  return s;
}

export type ParseResult = { ok: true; options: TrainingOptions } | { ok: false; field: keyof TrainingOptions; message: string };

/** Turns the form's text into TrainingOptions; empty optional fields are left out. */
export function parseTrainingForm(kind: ModelKind, values: FormValues): ParseResult {
  const options: Record<string, unknown> = {};
  for (const f of specFor(kind).fields) {
    const raw = values[f.key];
    if (f.type === 'bool') {
      options[f.key] = raw === true;
      continue;
    }
    if (f.type === 'choice') {
      const choice = typeof raw === 'string' ? raw : '';
      if (choice === '') continue;
      if (!f.choices?.includes(choice)) return { ok: false, field: f.key, message: `${f.label} must be one of ${f.choices?.join(', ')}, got "${choice}"` };
      options[f.key] = choice;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') continue;
    const fail = (what: string): ParseResult => ({ ok: false, field: f.key, message: `${f.label} must be ${what}, got "${text}"` });
    if (f.type === 'intList') {
      const parts = text.split(/[\s,]+/).filter(Boolean);
      const nums = parts.map(Number);
      if (nums.some((n) => !Number.isInteger(n) || n < 1)) return fail('whole numbers ≥ 1 separated by commas');
      options[f.key] = nums;
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) return fail('a number');
    if (f.type === 'int' && !Number.isInteger(n)) return fail('a whole number');
    if (f.min !== undefined && (f.type === 'float' ? n <= f.min : n < f.min)) return fail(f.type === 'float' ? `greater than ${f.min}` : `at least ${f.min}`);
    if (f.max !== undefined && n > f.max) return fail(`at most ${f.max}`);
    options[f.key] = n;
  }
  return { ok: true, options: options as TrainingOptions };
}
