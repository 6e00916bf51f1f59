import type { ParseArgsConfig } from 'node:util';
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
