// Type-checks the Electron shell (electron/shell) against Electron's own type definitions.
// They come with the `electron` package, which the main install may lack (its postinstall
// downloads the Electron binary: no internet, no package). Then the package's tarball, at the
// version package-lock.json pins, is fetched with `npm pack` (from npm's cache when offline)
// into the OS temp folder, and only its electron.d.ts is used: node_modules is not touched.
// Exit codes: 0 checked and clean, 1 type errors, 3 the types could not be obtained.
// Usage: node scripts/check-electron-types.mjs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..');

/** The path of electron.d.ts, or { reason } when it cannot be had. */
export function electronTypes() {
  const installed = join(ROOT, 'node_modules', 'electron', 'electron.d.ts');
  if (existsSync(installed)) return { file: installed, source: 'node_modules/electron' };
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));
  const version = lock.packages?.['node_modules/electron']?.version;
  if (!version) return { reason: 'package-lock.json pins no electron version' };
  const dir = join(tmpdir(), `affect-relearn-electron-types-${version}`);
  const file = join(dir, 'package', 'electron.d.ts');
  if (existsSync(file)) return { file, source: `electron@${version} (npm pack, cached)` };
  mkdirSync(dir, { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const pack = spawnSync(npm, ['pack', `electron@${version}`, '--prefer-offline', '--pack-destination', dir], { cwd: dir, encoding: 'utf8', shell: process.platform === 'win32' });
  const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (pack.status !== 0 || !tgz) return { reason: `npm pack electron@${version} failed: ${(pack.stderr || '').trim().split('\n').pop()}` };
  const tar = spawnSync('tar', ['-xzf', tgz, 'package/electron.d.ts'], { cwd: dir, encoding: 'utf8' });
  if (tar.status !== 0 || !existsSync(file)) return { reason: `cannot unpack ${join(dir, tgz)}: ${tar.stderr.trim()}` };
  return { file, source: `electron@${version} (npm pack)` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const types = electronTypes();
  if (!types.file) {
    process.stderr.write(`Electron's types are not available (${types.reason}): the Electron shell type-check is skipped.\n`);
    process.exit(3);
  }
  // A tsconfig beside the types: the shell's own settings, plus the types file and @types/node from the repository.
  const config = join(tmpdir(), `affect-relearn-shell-tsconfig-${process.pid}.json`);
  writeFileSync(config, JSON.stringify({ extends: join(ROOT, 'electron', 'shell', 'tsconfig.json'), compilerOptions: { typeRoots: [join(ROOT, 'node_modules', '@types')] }, files: [types.file] }));
  process.stderr.write(`type-checking electron/shell against ${types.source}\n`);
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', config], { cwd: ROOT, stdio: 'inherit' });
  rmSync(config, { force: true });
  process.exit(r.status === 0 ? 0 : 1);
}
