/**
 * The building blocks of the contract's schemas: valibot schemas that carry the words of their
 * own error message. Each `message` is what the value *should be* ("an integer >= 1"), so that
 * the formatter in ./validate.ts can say `options.epochs must be an integer >= 1, got "x"`
 * whichever step of the check failed. Params are built from these (the transports validate
 * them); results and events may use plain valibot too, since only their types are used at run
 * time. Objects reject unknown keys, so a typo in a field name is an error rather than a silently
 * ignored option.
 */
import * as v from 'valibot';
import { NUM_CLASSES, NUM_LABEL_CODES, SPLITS, type ModelId, type RelabelId, type RunId, type SampleId } from '../domain.ts';

export function str(opts: { minLength?: number; maxLength?: number } = {}) {
  const min = opts.minLength ?? 0;
  const max = opts.maxLength ?? 4096;
  const what = min > 0 ? `a string of ${min}..${max} characters` : `a string of at most ${max} characters`;
  return v.pipe(
    v.string(what),
    v.check((s) => s.length >= min && s.length <= max, what),
  );
}

/** "an integer", "an integer >= 1", "an integer >= 0 and <= 7". */
function bounded(noun: string, bounds: (string | false)[]): string {
  const words = bounds.filter((b): b is string => !!b).join(' and ');
  return words ? `${noun} ${words}` : noun;
}

export function int(opts: { min?: number; max?: number } = {}) {
  const { min, max } = opts;
  const what = bounded('an integer', [min !== undefined && `>= ${min}`, max !== undefined && `<= ${max}`]);
  return v.pipe(
    v.number(what),
    v.check((n) => Number.isSafeInteger(n) && (min === undefined || n >= min) && (max === undefined || n <= max), what),
  );
}

export function num(opts: { min?: number; max?: number; greaterThan?: number } = {}) {
  const { min, max, greaterThan } = opts;
  const what = bounded('a finite number', [min !== undefined && `>= ${min}`, greaterThan !== undefined && `> ${greaterThan}`, max !== undefined && `<= ${max}`]);
  return v.pipe(
    v.number(what),
    v.check(
      (n) => Number.isFinite(n) && (min === undefined || n >= min) && (greaterThan === undefined || n > greaterThan) && (max === undefined || n <= max),
      what,
    ),
  );
}

export function bool() {
  return v.boolean('true or false');
}

export function oneOf<const T extends readonly (string | number)[]>(values: T) {
  return v.picklist(values, `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
}

/** An array of `item`s; its length is checked before its items, so a huge array costs one check, not one per item. */
export function arrayOf<S extends v.GenericSchema>(item: S, opts: { minLength?: number; maxLength?: number } = {}) {
  const min = opts.minLength ?? 0;
  const max = opts.maxLength ?? 10_000;
  const what = `an array of ${min}..${max} items`;
  const array = v.array(item, what);
  return v.pipe(
    v.custom<v.InferInput<typeof array>>((a) => Array.isArray(a) && a.length >= min && a.length <= max, what),
    array,
  );
}

const isPlainObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * An object with exactly these fields; a field is required unless wrapped in `v.optional`
 * (absent or undefined, never null). Unknown keys are rejected and named, before the fields are
 * read, as a misspelt field explains the "missing" one it was meant to be; so are arrays
 * (valibot's object schemas would take an array for an object).
 */
export function obj<const E extends v.ObjectEntries>(entries: E) {
  const known = Object.keys(entries);
  const absent = known.length ? `absent (known fields: ${known.join(', ')})` : 'absent (no fields expected)';
  const schema = v.strictObject(entries, (issue) => (issue.expected === 'never' ? absent : issue.expected === 'Object' ? 'an object' : 'present'));
  return v.pipe(
    v.custom<v.InferInput<typeof schema>>(isPlainObject, 'an object'),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const input = dataset.value as Record<string, unknown>;
      for (const key in input) {
        if (Object.prototype.hasOwnProperty.call(entries, key)) continue;
        addIssue({ message: absent, input: input[key], path: [{ type: 'object', origin: 'key', input, key, value: input[key] }] });
        return;
      }
    }),
    schema,
  );
}

/** No params: `{}`, or nothing at all (a transport may send undefined or null), read as `{}`. */
export type NoParams = Record<string, never>;
export const NoParamsSchema = v.nullish(obj({}), () => ({})) as unknown as v.GenericSchema<NoParams | null | undefined, NoParams>;

// Ids of database rows are positive integers; their TypeScript brands (api/domain.ts) exist only at compile time.
const rowId = () => int({ min: 1 });
export const sampleId = () => v.pipe(rowId(), v.transform((n) => n as SampleId));
export const modelId = () => v.pipe(rowId(), v.transform((n) => n as ModelId));
export const runId = () => v.pipe(rowId(), v.transform((n) => n as RunId));
export const relabelId = () => v.pipe(rowId(), v.transform((n) => n as RelabelId));

/** Ids of in-memory jobs (imports, analyses, re-learning). */
export const jobId = () => str({ minLength: 1, maxLength: 128 });
export const filePath = () => str({ minLength: 1, maxLength: 4096 });
/** 0..11, an index into LABEL_CODE_NAMES. */
export const labelCode = () => int({ min: 0, max: NUM_LABEL_CODES - 1 });
/** 0..7, an index into CLASS_NAMES. */
export const classId = () => int({ min: 0, max: NUM_CLASSES - 1 });
export const split = () => oneOf(SPLITS);
/** An ISO-8601 time. */
export const isoTime = () => v.string();
/** A class-indexed (8) or label-code-indexed (12) array of numbers. */
export const numbers = () => v.array(v.number());
/** Named figures, e.g. {valid_accuracy: 0.71}. */
export const figures = () => v.record(v.string(), v.number());

// Shapes several areas share.
export const JOB_STATUSES = ['running', 'done', 'failed', 'cancelled'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
/** The answer to a cancel request: false when the job had already ended. */
export const CancelledSchema = v.object({ cancelled: v.boolean() });
