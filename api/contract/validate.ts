/**
 * Runtime validation of a request's params, used by every transport before the service sees a
 * payload. The schemas (./fields.ts) carry what a value should be; this turns valibot's first
 * issue into a message naming the request, the field path, what was expected and what came:
 * `training.start: options.epochs must be an integer >= 1, got "x"`.
 */
import * as v from 'valibot';
import { ApiError } from './errors.ts';
import { EVENTS, type EventName } from './events.ts';
import { REQUESTS, isRequestName, type ParamsOf, type RequestName } from './requests.ts';

/** A short, safe rendering of an offending value for an error message. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

/** `options.hiddenUnits[1]`, or '' for the params themselves. */
function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = (item as { key: unknown }).key;
    out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  }
  return out;
}

/** "<path> must be <expected>, got <value>". */
export function formatIssue(issue: v.BaseIssue<unknown>): string {
  const last = issue.path?.at(-1) as { origin?: string; value?: unknown } | undefined;
  // A missing or unknown key reports the key as its input; the value (or its absence) says more.
  const got = last?.origin === 'key' ? last.value : issue.input;
  return `${pathOf(issue) || 'params'} must be ${issue.message}, got ${describe(got)}`;
}

/**
 * Returns the params typed for `method`, or throws ApiError('invalid_params' | 'unknown_method')
 * whose message starts with the request name and names the offending field.
 */
export function validateParams<M extends RequestName>(method: M, params: unknown): ParamsOf<M>;
export function validateParams(method: unknown, params: unknown): unknown;
export function validateParams(method: unknown, params: unknown): unknown {
  if (!isRequestName(method)) {
    throw new ApiError('unknown_method', `unknown request ${typeof method === 'string' ? JSON.stringify(method.slice(0, 80)) : typeof method}`);
  }
  // The first problem is enough (and the cheapest: a list of 50 000 bad ids costs one issue, not 50 000).
  const parsed = v.safeParse(REQUESTS[method].params, params, { abortEarly: true, abortPipeEarly: true });
  if (!parsed.success) throw new ApiError('invalid_params', `${method}: ${formatIssue(parsed.issues[0])}`);
  return parsed.output;
}

/** Where `value` departs from `schema`, in words ("items[0].reviewed should be boolean, got 1"), or null. */
function departure(schema: v.GenericSchema, value: unknown, what: string): string | null {
  const parsed = v.safeParse(schema, value, { abortEarly: true });
  if (parsed.success) return null;
  const issue = parsed.issues[0];
  const missing = (issue.path?.at(-1) as { origin?: string } | undefined)?.origin === 'key';
  const expected = missing ? 'present' : (issue.expected ?? 'something else');
  return `${pathOf(issue) || what} should be ${expected}, got ${describe(issue.input)}`;
}

/**
 * Throws ApiError('internal') when `result` is not what `method` promises. The transports do not
 * run this (results are the service's own, typed at compile time); tests do, to catch a result
 * that drifted from its schema behind a cast, e.g. a SQLite 0/1 where a boolean is promised.
 */
export function checkResult(method: RequestName, result: unknown): void {
  const wrong = departure(REQUESTS[method].result, result, 'result');
  if (wrong) throw new ApiError('internal', `${method}: the result breaks the contract: ${wrong}`);
}

/** Why an event's payload breaks the contract, or null when it keeps it (for tests, like checkResult). */
export function payloadBreach(name: EventName, payload: unknown): string | null {
  const wrong = departure(EVENTS[name], payload, 'payload');
  return wrong && `${name}: the payload breaks the contract: ${wrong}`;
}
