// The packaging config is validated against electron-builder's own schema (no Electron binary
// is needed for that), must unpack the native modules and the tfjs wasm files from asar, ship
// dist/ and no sources, and give each target only its own onnxruntime binaries (checked with
// electron-builder's own node_modules file matcher on the installed package).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const require = createRequire(join(ROOT, 'package.json'));

function resolvable(id: string): boolean {
  try {
    require.resolve(id);
    return true;
  } catch {
    return false;
  }
}

const canValidate = resolvable('js-yaml') && resolvable('app-builder-lib/out/util/config/config.js') && resolvable('builder-util');

test('electron-builder.yml matches electron-builder\'s schema and unpacks native code', { skip: canValidate ? false : 'electron-builder is not installed: schema check skipped' }, async () => {
  const yaml = require('js-yaml') as { load(text: string): Record<string, unknown> };
  const cfg = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
  const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration(c: unknown, log: unknown): Promise<void> };
  const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
  await validateConfiguration(cfg, new DebugLogger(false));
  await assert.rejects(validateConfiguration({ ...cfg, notAnOption: 1 }, new DebugLogger(false)), /unknown property 'notAnOption'/);

  const unpack = cfg.asarUnpack as string[];
  for (const needed of ['node_modules/better-sqlite3/', 'node_modules/sharp/', 'node_modules/@img/', 'node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm']) {
    assert.ok(unpack.some((p) => p.startsWith(needed)), `asarUnpack lacks ${needed}`);
  }
  const files = cfg.files as string[];
  for (const f of ['dist/*.mjs', 'dist/migrations/*.sql', 'dist/electron/*.cjs', 'dist/renderer/**/*']) assert.ok(files.includes(f), `files lacks ${f}`);
  assert.ok(!files.some((f) => /\.ts\b|^(api|core|db|electron)\//.test(f)), 'the package holds no TypeScript sources');
  assert.deepEqual(cfg.fileAssociations, [{ ext: 'arproj', name: 'affect-relearn project', description: 'affect-relearn project (SQLite)', mimeType: 'application/x-affect-relearn-project', role: 'Editor' }]);
  assert.equal(cfg.appId, 'org.affectrelearn.desktop');
  assert.equal((cfg.directories as { buildResources: string }).buildResources, 'resources');
  assert.ok(existsSync(join(ROOT, 'resources', 'icon.png')));
  assert.deepEqual((cfg.linux as { target: string[] }).target, ['AppImage', 'deb']);
  assert.deepEqual((cfg.win as { target: string[] }).target, ['nsis']);
  assert.deepEqual((cfg.mac as { target: string[] }).target, ['dmg']);
  assert.equal((cfg.extraMetadata as { main: string }).main, 'dist/electron/main.cjs');
  assert.ok(existsSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', 'tfjs-backend-wasm-simd.wasm')));
});

const ORT_BIN = join(ROOT, 'node_modules', 'onnxruntime-node', 'bin');

test('each target keeps only its own onnxruntime binaries, and none of tsx, esbuild, typescript', { skip: canValidate && existsSync(ORT_BIN) ? false : 'electron-builder or onnxruntime-node is not installed' }, () => {
  const yaml = require('js-yaml') as { load(text: string): Record<string, unknown> };
  const cfg = yaml.load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8'));
  const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
    getNodeModuleFileMatcher(appDir: string, dest: string, expand: (p: string) => string, platformOptions: unknown, packager: unknown): { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
  };
  const { expandMacro } = require('app-builder-lib/out/util/macroExpander.js') as { expandMacro(p: string, arch: string | null, appInfo: unknown): string };
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  const binaries = walk(ORT_BIN);
  const keptDirs = (section: 'linux' | 'win' | 'mac', arch: string): string[] => {
    const packager = { config: cfg, debugLogger: { isEnabled: false } };
    const filter = getNodeModuleFileMatcher(ROOT, '/app', (p) => expandMacro(p, arch, {}), cfg[section], packager).createFilter();
    // A file is copied when it and every folder above it, up to node_modules/, pass the filter (electron-builder walks down).
    const top = join(ROOT, 'node_modules');
    const passes = (f: string) => {
      for (let p = f; p.length > top.length; p = dirname(p)) if (!filter(p, statSync(p))) return false;
      return true;
    };
    return [...new Set(binaries.filter(passes).map((f) => dirname(f).slice(ORT_BIN.length + 1).split(/[\\/]/).slice(1).join('/')))].sort();
  };
  const present = (dir: string) => existsSync(join(ORT_BIN, 'napi-v6', dir)) ? [dir] : [];
  assert.deepEqual(keptDirs('linux', 'x64'), present('linux/x64'));
  assert.deepEqual(keptDirs('linux', 'arm64'), present('linux/arm64'));
  assert.deepEqual(keptDirs('win', 'x64'), present('win32/x64'));
  assert.deepEqual(keptDirs('win', 'arm64'), present('win32/arm64'));
  assert.deepEqual(keptDirs('mac', 'arm64'), present('darwin/arm64'));
  assert.ok(keptDirs('linux', 'x64').length === 1, 'the linux x64 runtime is kept (the check is not vacuous)');

  const filter = getNodeModuleFileMatcher(ROOT, '/app', (p) => expandMacro(p, 'x64', {}), cfg.linux, { config: cfg, debugLogger: { isEnabled: false } }).createFilter();
  for (const dropped of ['tsx', 'esbuild', 'typescript']) {
    const dir = join(ROOT, 'node_modules', dropped);
    if (existsSync(dir)) assert.equal(filter(dir, statSync(dir)), false, `${dropped} is packaged`);
  }
  for (const kept of ['better-sqlite3', 'sharp', 'valibot', 'ws']) assert.equal(filter(join(ROOT, 'node_modules', kept), statSync(join(ROOT, 'node_modules', kept))), true, `${kept} is left out`);
});
