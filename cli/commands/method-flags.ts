// `train`'s flags for METHOD.md's constants, generated from the one table of
// api/method-options.ts: the flag names, their parsing and bounds, and the lines of
// `train --help` (with each default), so the help cannot disagree with what a run does.
import type { MethodOptions, ModelKind } from '../../api/contract.ts';
import { METHOD_OPTION_SPECS, methodOptionFlag, type MethodOptionSpec, type MethodOptionValue } from '../../api/method-options.ts';
import { CliError } from '../cli-error.ts';

/** parseArgs options: every METHOD flag takes a value (booleans as true/false). */
export function methodFlagOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(METHOD_OPTION_SPECS.map((s) => [methodOptionFlag(s.key), { type: 'string' as const }]));
}

function bounds(s: MethodOptionSpec): string {
  const parts = [s.min !== undefined ? `>= ${s.min}` : '', s.greaterThan !== undefined ? `> ${s.greaterThan}` : '', s.max !== undefined ? `<= ${s.max}` : ''].filter(Boolean);
  return parts.join(' and ');
}

function parseValue(s: MethodOptionSpec, flag: string, raw: string): MethodOptionValue {
  const bad = (what: string) => new CliError(`--${flag} must be ${what}, got ${raw}`, 2);
  if (s.type === 'bool') {
    if (raw === 'true' || raw === 'false') return raw === 'true';
    throw bad('true or false');
  }
  if (s.type === 'enum') {
    if (s.values?.includes(raw)) return raw;
    throw bad(`one of ${s.values?.join(', ')}`);
  }
  const n = Number(raw.trim());
  const what = `${s.type === 'int' ? 'an integer' : 'a number'} ${bounds(s)}`.trim();
  if (raw.trim() === '' || !Number.isFinite(n) || (s.type === 'int' && !Number.isInteger(n))) throw bad(what);
  if ((s.min !== undefined && n < s.min) || (s.max !== undefined && n > s.max) || (s.greaterThan !== undefined && n <= s.greaterThan)) throw bad(what);
  return n;
}

/** The METHOD constants given as flags; an error names the flag, and a flag the kind ignores is refused. */
export function parseMethodFlags(values: Record<string, unknown>, kind: ModelKind): MethodOptions | undefined {
  const out: Record<string, MethodOptionValue> = {};
  for (const s of METHOD_OPTION_SPECS) {
    const flag = methodOptionFlag(s.key);
    const raw = values[flag];
    if (raw === undefined) continue;
    if (!s.kinds.includes(kind)) throw new CliError(`--${flag} (${s.label}) applies to --model ${s.kinds.join('|')}, not ${kind}`, 2);
    out[s.key] = parseValue(s, flag, String(raw));
  }
  return Object.keys(out).length ? (out as MethodOptions) : undefined;
}

/** The help lines of every METHOD flag, by section, each with its default and kinds. */
export function methodFlagsHelp(): string {
  const lines: string[] = [];
  let section = '';
  for (const s of METHOD_OPTION_SPECS) {
    if (s.section !== section) {
      section = s.section;
      lines.push('', `  ${section}:`);
    }
    const arg = s.type === 'bool' ? 'true|false' : s.type === 'enum' ? (s.values ?? []).join('|') : s.type === 'int' ? 'N' : 'X';
    const flag = `--${methodOptionFlag(s.key)} ${arg}`;
    const kinds = s.kinds.length === 3 ? '' : ` [${s.kinds.join(', ')}]`;
    lines.push(`  ${flag.padEnd(34)} ${s.label}: ${s.help} (${String(s.default)})${kinds}`);
  }
  return lines.join('\n');
}
