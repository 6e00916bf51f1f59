#!/usr/bin/env node
// Command-line entry: runs the TypeScript CLI through tsx so that the same sources serve the
// app, the tests and the command line, from any working directory.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsx = pathToFileURL(join(root, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const r = spawnSync(process.execPath, ['--import', tsx, join(root, 'cli', 'main.ts'), ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
