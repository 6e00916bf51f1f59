#!/usr/bin/env node
// Command-line entry: runs the TypeScript CLI through tsx so that the same sources serve the
// app, the tests and the command line, from any working directory.
//
// The CLI runs in a child process, so a signal sent to this launcher alone (`kill PID`,
// `timeout`, a process manager) is passed on: without that the CLI would run on, orphaned,
// still training on the project. Ctrl-C in a terminal signals the whole process group, so the
// CLI already has its SIGINT (a first one cancels training after the batch); passing it on too
// would make it a second one. The launcher stays alive until the CLI exits and ends as it did.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const child = spawn(process.execPath, ['--import', tsx, join(root, 'cli', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });

const passOn = (signal) => () => {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
};
process.on('SIGTERM', passOn('SIGTERM'));
process.on('SIGHUP', passOn('SIGHUP'));
process.on('SIGINT', () => {}); // the terminal delivered it to the CLI as well
child.on('error', (e) => {
  process.stderr.write(`affect-relearn: cannot start the CLI: ${e.message}\n`);
  process.exit(1);
});
child.on('exit', (code, signal) => {
  if (signal) {
    // End the way the CLI did, so a shell sees the same status (128 + signal number).
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  } else process.exit(code ?? 1);
});
