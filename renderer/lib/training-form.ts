/**
 * What the Training view's form offers for each model kind: the fields (each one a key of the
 * contract's TrainingOptions), their METHOD.md defaults, the METHOD constants the kind reads
 * (drawn from api/method-options.ts, the table the CLI help and the validator use), and the
 * parsing of what the user typed into options, with a message naming the field when a value is
 * not acceptable. Pure, so it is unit tested without a DOM.
 */
import { REVIEWED_TARGETS, type MethodOptions, type ModelKind, type TrainingOptions } from '../../api/contract.ts';
import { MAX_THREADS, RUNTIME_NAMES } from '../../api/domain.ts';
import { methodOptionsFor, type MethodOptionKey, type MethodOptionSpec } from '../../api/method-options.ts';

export type FieldType = 'int' | 'float' | 'intList' | 'bool' | 'choice';

export interface FormField {
  key: keyof TrainingOptions;
  label: string;
  type: FieldType;
  hint: string;
  min?: number;
  max?: number;
  step?: number;
  /** For 'choice': the values offered; with `automatic`, an empty choice (sent as nothing) comes first under that name. */
  choices?: readonly string[];
  automatic?: string;
}

export interface KindSpec {
  kind: ModelKind;
  label: string;
  summary: string;
  fields: FormField[];
  defaults: FormValues;
  /** The METHOD constants this kind reads, in the table's order. */
  method: MethodOptionSpec[];
  methodDefaults: MethodValues;
}

/** What the form holds: text as typed for numbers and lists, booleans for switches. */
export type FormValues = Partial<Record<keyof TrainingOptions, string | boolean>>;
/** The METHOD constants as the form holds them: text for numbers and choices, booleans for switches. */
export type MethodValues = Partial<Record<MethodOptionKey, string | boolean>>;

function methodSpec(kind: ModelKind): Pick<KindSpec, 'method' | 'methodDefaults'> {
  const method = methodOptionsFor(kind);
  return { method, methodDefaults: Object.fromEntries(method.map((s) => [s.key, typeof s.default === 'boolean' ? s.default : String(s.default)])) };
}

const common: FormField[] = [
  { key: 'epochs', label: 'Epochs', type: 'int', min: 1, max: 10_000, hint: 'supervised epochs (fine-tuning for the DBNs)' },
  { key: 'batchSize', label: 'Batch size', type: 'int', min: 1, max: 65_536, hint: 'faces per minibatch' },
  { key: 'learningRate', label: 'Learning rate', type: 'float', min: 0, max: 10, step: 0.0001, hint: 'Adam step size of the supervised phase' },
  { key: 'seed', label: 'Seed', type: 'int', min: 0, max: 2 ** 32 - 1, hint: 'same seed, same run' },
];
const patience: FormField = { key: 'patience', label: 'Early-stop patience', type: 'int', min: 1, max: 10_000, hint: 'epochs without a better validation loss' };
const quick: FormField[] = [
  { key: 'maxSamples', label: 'Max training faces', type: 'int', min: 1, hint: 'empty = all; a cap makes quick trial runs' },
  { key: 'runtime', label: 'Runtime', type: 'choice', choices: RUNTIME_NAMES, automatic: 'automatic', hint: 'automatic = the best present (named in the header)' },
  { key: 'threads', label: 'Threads', type: 'int', min: 1, max: MAX_THREADS, hint: 'empty = all cores but one' },
  { key: 'reviewedTarget', label: 'Reviewed faces train on', type: 'choice', choices: REVIEWED_TARGETS, hint: 'one-hot: the reviewer’s class alone; weighted: the reviewer outweighs all votes together and the votes keep the rest' },
  { key: 'softTargets', label: 'Soft targets from annotator votes', type: 'bool', hint: 'KL(a‖p) where faces have ≥ 3 labels, also faces without a majority; a reviewer’s class always wins over the votes' },
];

export const KIND_SPECS: readonly KindSpec[] = [
  {
    kind: 'adbn',
    label: 'Adaptive DBN',
    summary: 'RBM layers that grow and prune units and add layers while they learn, then fine-tuned.',
    fields: [
      { key: 'hiddenUnits', label: 'Initial hidden units', type: 'intList', hint: 'units of the first layer at the start; it grows and shrinks' },
      { key: 'maxLayers', label: 'Max layers', type: 'int', min: 1, max: 16, hint: 'no layer is added beyond this many' },
      { key: 'pretrainEpochs', label: 'RBM epochs per layer', type: 'int', min: 0, max: 10_000, hint: 'CD-1 pre-training epochs of each layer (a cap for the adaptive kind)' },
      ...common.map((f) => (f.key === 'epochs' ? { ...f, label: 'Fine-tune epochs' } : f)),
      patience,
      ...quick,
    ],
    defaults: { hiddenUnits: '64', maxLayers: '5', pretrainEpochs: '20', epochs: '30', batchSize: '64', learningRate: '0.001', seed: '1', patience: '5', maxSamples: '', runtime: '', threads: '', softTargets: true, reviewedTarget: 'one-hot' },
    ...methodSpec('adbn'),
  },
  {
    kind: 'cnn',
    label: 'CNN',
    summary: 'VGG-style baseline: 3 blocks of 2×(conv 3×3, BN, ReLU) + max-pool, 32/64/128 filters, dense 256.',
    fields: [...common, patience, ...quick],
    defaults: { epochs: '30', batchSize: '64', learningRate: '0.001', seed: '1', patience: '5', maxSamples: '', runtime: '', threads: '', softTargets: true, reviewedTarget: 'one-hot' },
    ...methodSpec('cnn'),
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
    defaults: { hiddenUnits: '512, 256', pretrainEpochs: '20', epochs: '30', batchSize: '64', learningRate: '0.001', seed: '1', patience: '5', maxSamples: '', runtime: '', threads: '', softTargets: true, reviewedTarget: 'one-hot' },
    ...methodSpec('dbn'),
  },
];

export function specFor(kind: ModelKind): KindSpec {
  const s = KIND_SPECS.find((k) => k.kind === kind);
  if (!s) throw new Error(`unknown model kind ${kind}`);
  return s;
}

/** `field` is a TrainingOptions key, or `method.<key>` for a METHOD constant. */
export type ParseResult = { ok: true; options: TrainingOptions } | { ok: false; field: string; message: string };

function parseMethod(kind: ModelKind, values: MethodValues): { ok: true; method: MethodOptions } | { ok: false; field: string; message: string } {
  const method: Record<string, number | boolean | string> = {};
  for (const s of methodOptionsFor(kind)) {
    const raw = values[s.key];
    if (s.type === 'bool') {
      if (typeof raw === 'boolean') method[s.key] = raw;
      continue;
    }
    const text = typeof raw === 'string' ? raw.trim() : '';
    if (text === '') continue;
    const fail = (what: string) => ({ ok: false as const, field: `method.${s.key}`, message: `${s.label} must be ${what}, got "${text}"` });
    if (s.type === 'enum') {
      if (!s.values?.includes(text)) return fail(`one of ${s.values?.join(', ')}`);
      method[s.key] = text;
      continue;
    }
    const n = Number(text);
    if (!Number.isFinite(n)) return fail('a number');
    if (s.type === 'int' && !Number.isInteger(n)) return fail('a whole number');
    if (s.min !== undefined && n < s.min) return fail(`at least ${s.min}`);
    if (s.greaterThan !== undefined && n <= s.greaterThan) return fail(`greater than ${s.greaterThan}`);
    if (s.max !== undefined && n > s.max) return fail(`at most ${s.max}`);
    method[s.key] = n;
  }
  return { ok: true, method: method as MethodOptions };
}

/** Turns the form's text into TrainingOptions; empty optional fields are left out (a METHOD constant left empty keeps its default). */
export function parseTrainingForm(kind: ModelKind, values: FormValues, methodValues: MethodValues = {}): ParseResult {
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
  const m = parseMethod(kind, methodValues);
  if (!m.ok) return m;
  if (Object.keys(m.method).length) options.method = m.method;
  return { ok: true, options: options as TrainingOptions };
}
