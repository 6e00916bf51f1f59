// The one test command: set-up, type-check, renderer build, then every *.test.ts under node's
// test runner (through tsx). Extra arguments are test files or folders to run instead of all.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT, ensureChromium, ensureDependencies } from './setup.mjs';

const TEST_ROOTS = ['api', 'core', 'db', 'electron', 'cli', 'renderer', 'bench', 'test'];

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) findTests(p, out);
    else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

function run(cmd, args, opts = {}) {
  process.stderr.write(`\n$ ${cmd} ${args.join(' ')}\n`);
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    process.stderr.write(`\n${cmd} ${args[0] ?? ''} failed (exit ${r.status})\n`);
    process.exit(r.status ?? 1);
  }
}

ensureDependencies();
const chromium = ensureChromium({ required: true });
const bin = (name) => join(ROOT, 'node_modules', '.bin', name);

run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']);
if (existsSync(join(ROOT, 'renderer', 'tsconfig.json'))) run(bin('svelte-check'), ['--tsconfig', 'renderer/tsconfig.json', '--fail-on-warnings']);
// The Electron shell against Electron's own types (fetched by npm pack when Electron is not installed).
const shellCheck = spawnSync(process.execPath, [join(ROOT, 'scripts', 'check-electron-types.mjs')], { cwd: ROOT, stdio: 'inherit' });
if (shellCheck.status === 1) {
  process.stderr.write('\nthe Electron shell type-check failed\n');
  process.exit(1);
}
if (existsSync(join(ROOT, 'vite.config.ts'))) run(bin('vite'), ['build', '--logLevel', 'warn']);

const args = process.argv.slice(2);
const targets = args.length ? args : TEST_ROOTS.filter((d) => existsSync(join(ROOT, d)));
const files = targets.flatMap((t) => (statSync(join(ROOT, t)).isDirectory() ? findTests(join(ROOT, t)) : [join(ROOT, t)]));
if (files.length === 0) {
  process.stderr.write('no test files found\n');
  process.exit(1);
}
files.sort();
run(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files.map((f) => relative(ROOT, f))], {
  env: { ...process.env, CHROMIUM_PATH: chromium ?? '' },
});
