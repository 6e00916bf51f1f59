// affect-relearn command line: headless access to the same operations the app uses.
// Machine-readable output with --json on stdout; progress and messages on stderr.
import { parseArgs } from 'node:util';
import { COMMANDS } from './commands/index.ts';
import { CliError } from './cli-error.ts';
import { ProjectError } from '../db/connection.ts';

const NAME_WIDTH = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
const USAGE = `affect-relearn <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(NAME_WIDTH)}  ${c.summary}`)
  .join('\n')}

Run \`affect-relearn <command> --help\` for a command's options. Every command accepts --json.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...command.options, json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`${name}: ${(e as Error).message}\n\n${command.usage}\n`);
    return 2;
  }
  const json = Boolean(parsed.values.json);
  try {
    const result = await command.run(parsed.values as Record<string, unknown>, parsed.positionals);
    if (json) process.stdout.write(`${JSON.stringify(result.json ?? null)}\n`);
    else if (result.text) process.stdout.write(`${result.text}\n`);
    return result.exitCode ?? 0;
  } catch (e) {
    if (e instanceof CliError || e instanceof ProjectError) {
      if (json) process.stdout.write(`${JSON.stringify({ error: e.message })}\n`);
      process.stderr.write(`${name}: ${e.message}\n`);
      return e instanceof CliError ? e.exitCode : 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exitCode = 1;
  },
);
