import type { ParseArgsConfig } from 'node:util';
import { MAX_THREADS } from '../api/domain.ts';
import { CliError } from './cli-error.ts';

export interface CommandResult {
  /** Printed (as JSON) with --json. */
  json?: unknown;
  /** Printed otherwise. */
  text?: string;
  exitCode?: number;
}

export interface Command {
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Record<string, unknown>, positionals: string[]): Promise<CommandResult>;
}

export function requireString(values: Record<string, unknown>, name: string, usage: string): string {
  const v = values[name];
  if (typeof v !== 'string' || v === '') throw new CliError(`missing --${name}\n\n${usage}`, 2);
  return v;
}

/** An optional integer option (>= min), or undefined when absent; a usage error otherwise. */
export function intOption(values: Record<string, unknown>, name: string, min = 1): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be an integer >= ${min}, got ${String(v)}`, 2);
  return n;
}

/** `--threads N`: runtime threads, 1 to MAX_THREADS, or undefined when absent; a usage error otherwise. */
export function threadsOption(values: Record<string, unknown>): number | undefined {
  const v = values.threads;
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > MAX_THREADS) throw new CliError(`--threads must be an integer from 1 to ${MAX_THREADS}, got ${String(v)}`, 2);
  return n;
}

/** An optional positive number option (or >= 0 with `zero`), or undefined when absent; a usage error otherwise. */
export function numOption(values: Record<string, unknown>, name: string, opts: { zero?: boolean } = {}): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !opts.zero) || v === '') throw new CliError(`--${name} must be a ${opts.zero ? 'number >= 0' : 'positive number'}, got ${String(v)}`, 2);
  return n;
}
