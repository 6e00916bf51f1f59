/**
 * Hand-written runtime schema helpers for the transport edge. A `Check<T>` either returns the
 * value typed as T or throws a ValidationError whose message names the field path and what it
 * got (`options.epochs must be an integer >= 1, got "x"`). Objects reject unknown keys, so a
 * typo in a field name is an error rather than a silently ignored option.
 */

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    readonly expected: string,
    readonly got: unknown,
  ) {
    super(`${path || 'params'} must be ${expected}, got ${describe(got)}`);
    this.name = 'ValidationError';
  }
}

export type Check<T> = (value: unknown, path: string) => T;

/** A short, safe rendering of an offending value for an error message. */
export function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

const join = (path: string, key: string | number) => (typeof key === 'number' ? `${path}[${key}]` : path ? `${path}.${key}` : key);

export function str(opts: { minLength?: number; maxLength?: number } = {}): Check<string> {
  const min = opts.minLength ?? 0;
  const max = opts.maxLength ?? 4096;
  return (v, path) => {
    if (typeof v !== 'string' || v.length < min || v.length > max) {
      const what = min > 0 ? `a string of ${min}..${max} characters` : `a string of at most ${max} characters`;
      throw new ValidationError(path, what, v);
    }
    return v;
  };
}

export function int(opts: { min?: number; max?: number } = {}): Check<number> {
  const { min, max } = opts;
  const what = ['an integer', [min !== undefined ? `>= ${min}` : '', max !== undefined ? `<= ${max}` : ''].filter(Boolean).join(' and ')].filter(Boolean).join(' ');
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || (min !== undefined && v < min) || (max !== undefined && v > max)) {
      throw new ValidationError(path, what, v);
    }
    return v;
  };
}

export function num(opts: { min?: number; max?: number; greaterThan?: number } = {}): Check<number> {
  const { min, max, greaterThan } = opts;
  const bounds = [min !== undefined ? `>= ${min}` : '', greaterThan !== undefined ? `> ${greaterThan}` : '', max !== undefined ? `<= ${max}` : ''];
  const what = ['a finite number', bounds.filter(Boolean).join(' and ')].filter(Boolean).join(' ');
  return (v, path) => {
    if (
      typeof v !== 'number' ||
      !Number.isFinite(v) ||
      (min !== undefined && v < min) ||
      (greaterThan !== undefined && v <= greaterThan) ||
      (max !== undefined && v > max)
    ) {
      throw new ValidationError(path, what, v);
    }
    return v;
  };
}

export function bool(): Check<boolean> {
  return (v, path) => {
    if (typeof v !== 'boolean') throw new ValidationError(path, 'true or false', v);
    return v;
  };
}

export function oneOf<const T extends readonly (string | number)[]>(values: T): Check<T[number]> {
  const what = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return (v, path) => {
    if (!(values as readonly unknown[]).includes(v)) throw new ValidationError(path, what, v);
    return v as T[number];
  };
}

export function arrayOf<T>(item: Check<T>, opts: { minLength?: number; maxLength?: number } = {}): Check<T[]> {
  const min = opts.minLength ?? 0;
  const max = opts.maxLength ?? 10_000;
  return (v, path) => {
    if (!Array.isArray(v) || v.length < min || v.length > max) throw new ValidationError(path, `an array of ${min}..${max} items`, v);
    return v.map((x, i) => item(x, join(path, i)));
  };
}

type Shape = Record<string, Check<unknown>>;
type Out<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

/**
 * An object with `required` and `optional` fields; unknown keys are rejected. An optional field
 * may be absent or undefined (JSON drops undefined anyway) but not null.
 */
export function object<R extends Shape, O extends Shape = Record<never, never>>(
  required: R,
  optional?: O,
): Check<Out<R> & Partial<Out<O>>> {
  const opt = (optional ?? {}) as Shape;
  return (v, path) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ValidationError(path, 'an object', v);
    const input = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (!(key in required) && !(key in opt)) {
        const known = [...Object.keys(required), ...Object.keys(opt)];
        throw new ValidationError(join(path, key), known.length ? `absent (known fields: ${known.join(', ')})` : 'absent (no fields expected)', input[key]);
      }
    }
    for (const [key, check] of Object.entries(required)) {
      if (!(key in input) || input[key] === undefined) throw new ValidationError(join(path, key), 'present', undefined);
      out[key] = check(input[key], join(path, key));
    }
    for (const [key, check] of Object.entries(opt)) {
      if (input[key] !== undefined) out[key] = check(input[key], join(path, key));
    }
    return out as Out<R> & Partial<Out<O>>;
  };
}

/** No params: accepts `{}`, and undefined or null (a transport may send nothing), returning `{}`. */
export function empty(): Check<Record<string, never>> {
  const inner = object({});
  return (v, path) => {
    if (v === undefined || v === null) return {};
    inner(v, path);
    return {};
  };
}

/** Narrows a validated value to a branded type (brands exist only at compile time). */
export function branded<B>(check: Check<number>): Check<B> {
  return check as unknown as Check<B>;
}
