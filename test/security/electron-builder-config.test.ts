// The packaging config is validated against electron-builder's own schema (no Electron binary
// is needed for that), and must unpack the native modules and the tfjs wasm files from asar.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
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
  assert.ok(files.includes('db/migrations/*.sql') && files.includes('dist/electron/*.cjs') && files.includes('dist/renderer/**/*'));
  assert.deepEqual((cfg.linux as { target: string[] }).target, ['AppImage', 'deb']);
  assert.deepEqual((cfg.win as { target: string[] }).target, ['nsis']);
  assert.deepEqual((cfg.mac as { target: string[] }).target, ['dmg']);
  assert.equal((cfg.extraMetadata as { main: string }).main, 'dist/electron/main.cjs');
  assert.ok(existsSync(join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist', 'tfjs-backend-wasm-simd.wasm')));
});
