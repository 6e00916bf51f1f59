// Packaged-mode smoke test: what an installer would hold, run with plain Node. dist/ (from
// scripts/build.mjs and vite) plus package.json, package-lock.json and .npmrc are copied to a
// folder with no sources, a production-only install (`npm ci --omit=dev`) is put beside them,
// and the bundled browser-mode back end (`node dist/serve.mjs --demo`, the entry the packaged
// app's back end shares) is started there. Chromium then opens the demo project, trains a tiny
// model (through dist/training-worker.mjs), relabels a face and reads the log. A loader hook
// records every module the process and its workers resolve: any TypeScript file, any
// devDependency (or tsx) or any file outside that folder fails the test.
//
// The production install is slow when better-sqlite3 must be compiled (no prebuilt binary
// offline: about 12 minutes on 2 busy cores), so it is kept in the OS temp folder, keyed by a
// hash of package-lock.json, .npmrc and the Node ABI, and reused by later runs; set
// AFFECT_RELEARN_FRESH_INSTALL=1 to force a new one.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CLASS_NAMES, type ClassName } from '../../api/domain.ts';
import { CHROMIUM_ARGS, ROOT, ensureRendererBuilt } from '../e2e/harness.ts';

const INSTALL_FILES = ['package.json', 'package-lock.json', '.npmrc'];
const work = mkdtempSync(join(tmpdir(), 'ar-packaged-'));
const appDir = join(work, 'app');
const userDir = join(work, 'user');
const resolveLog = join(work, 'resolved.txt');

/** A production-only install of this package-lock, made once per lock and Node ABI. */
function productionInstall(): string {
  const hash = createHash('sha256');
  for (const f of ['package-lock.json', '.npmrc']) hash.update(readFileSync(join(ROOT, f)));
  hash.update(process.versions.modules);
  const dir = join(tmpdir(), `affect-relearn-production-install-${hash.digest('hex').slice(0, 16)}`);
  const done = join(dir, 'install-complete');
  if (existsSync(done) && !process.env.AFFECT_RELEARN_FRESH_INSTALL) return join(dir, 'node_modules');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const f of INSTALL_FILES) copyFileSync(join(ROOT, f), join(dir, f));
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
  delete env.NODE_OPTIONS;
  const r = spawnSync('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, env, encoding: 'utf8', timeout: 40 * 60_000 });
  assert.equal(r.status, 0, `npm ci --omit=dev failed in ${dir}:\n${r.stdout}\n${r.stderr}`);
  writeFileSync(done, new Date().toISOString());
  return join(dir, 'node_modules');
}

/** The resolved files a packaged app must not load: TypeScript, tsx, devDependencies, anything outside `allowed` folders. */
function forbidden(files: string[], allowed: string[]): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> };
  const banned = [...Object.keys(pkg.devDependencies), 'tsx'].map((d) => `${sep}node_modules${sep}${d.split('/').join(sep)}${sep}`);
  return files.filter((f) => /\.[mc]?tsx?$/.test(f) || !allowed.some((a) => f.startsWith(a + sep)) || banned.some((b) => f.includes(b)));
}

test('the module check flags TypeScript, tsx, devDependencies and files outside the app', () => {
  const app = join(work, 'x');
  const ok = [join(app, 'dist', 'serve.mjs'), join(app, 'node_modules', 'better-sqlite3', 'lib', 'index.js'), join(app, 'node_modules', 'tsx-like', 'a.js')];
  const bad = [join(app, 'dist', 'a.ts'), join(app, 'node_modules', 'tsx', 'dist', 'loader.mjs'), join(app, 'node_modules', 'vite', 'x.js'), join(app, 'node_modules', '@types', 'node', 'x.js'), join(ROOT, 'electron', 'x.mjs')];
  assert.deepEqual(forbidden([...ok, ...bad], [join(app, 'dist'), join(app, 'node_modules')]), bad);
});

let server: ChildProcess | null = null;
let browser: Browser | null = null;
let page: Page;
let url = '';
let installedModules = '';
const serverErr: string[] = [];

describe('the packaged app (dist/ and a production install, plain Node)', { timeout: 50 * 60_000 }, () => {
  before(async () => {
    ensureRendererBuilt();
    const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--no-renderer', '--out', join(appDir, 'dist')], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(build.status, 0, build.stderr);
    cpSync(join(ROOT, 'dist', 'renderer'), join(appDir, 'dist', 'renderer'), { recursive: true });
    for (const f of INSTALL_FILES) copyFileSync(join(ROOT, f), join(appDir, f));
    installedModules = realpathSync(productionInstall());
    symlinkSync(installedModules, join(appDir, 'node_modules'), 'dir');

    const env: NodeJS.ProcessEnv = { ...process.env, AFFECT_RELEARN_CONFIG_DIR: join(userDir, 'config'), AFFECT_RELEARN_DATA_DIR: join(userDir, 'data'), AFFECT_RELEARN_RESOLVE_LOG: resolveLog };
    delete env.NODE_OPTIONS;
    const recorder = join(ROOT, 'test', 'packaged', 'resolve-recorder.mjs');
    server = spawn(process.execPath, ['--import', pathToFileURL(recorder).href, 'dist/serve.mjs', '--demo', '--port', '0'], { cwd: appDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stderr!.on('data', (d: Buffer) => serverErr.push(d.toString()));
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL from dist/serve.mjs within 5 minutes:\n${serverErr.join('')}`)), 5 * 60_000);
      server!.once('exit', (code) => reject(new Error(`dist/serve.mjs exited (${code}):\n${serverErr.join('')}`)));
      createInterface({ input: server!.stdout! }).on('line', (line) => {
        if (!line.startsWith('http://')) return;
        clearTimeout(timer);
        resolve(line.trim());
      });
    });
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  });

  after(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
    rmSync(work, { recursive: true, force: true });
  });

  test('the folder holds no sources: only dist/, the install files and node_modules', () => {
    assert.deepEqual(readdirSync(appDir).sort(), ['.npmrc', 'dist', 'node_modules', 'package-lock.json', 'package.json']);
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const ts = walk(join(appDir, 'dist')).filter((f) => /\.[mc]?tsx?$/.test(f));
    assert.deepEqual(ts, []);
    const dev = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { devDependencies: Record<string, string> }).devDependencies);
    // (typescript itself may be present: valibot names it as a peer dependency.)
    for (const d of ['vite', 'svelte', 'playwright-core', 'electron-builder']) {
      assert.ok(dev.includes(d) && !existsSync(join(installedModules, d)), `the install is production-only, yet holds the devDependency ${d}`);
    }
  });

  test('onnxruntime-node (imported by name at run time) loads from the production install', () => {
    const probe = "const ort = await import('onnxruntime-node'); process.stdout.write(typeof ort.InferenceSession.create);";
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { cwd: appDir, encoding: 'utf8', timeout: 60_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'function');
  });

  test('the demo project opens in Chromium from the bundled back end', async () => {
    await page.goto(url);
    await page.getByTestId('project-summary').waitFor({ timeout: 120_000 });
    assert.notEqual(await page.getByTestId('project-name').textContent(), 'none open');
    assert.ok(Number((await page.getByTestId('total-samples').textContent())?.replace(/[^0-9]/g, '')) > 0);
  });

  test('a tiny model trains to the end through the bundled worker', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByTestId('view-training').waitFor();
    await page.getByTestId('kind-dbn').check({ force: true });
    const opts: Record<string, string> = { hiddenUnits: '16', pretrainEpochs: '1', epochs: '2', batchSize: '32', maxSamples: '160' };
    for (const [k, v] of Object.entries(opts)) await page.getByTestId(`opt-${k}`).fill(v);
    await page.getByTestId('start-training').click();
    const monitor = page.getByTestId('run-monitor');
    await monitor.waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => {
      const s = document.querySelector('[data-testid=run-monitor]')?.getAttribute('data-status');
      return (s && s !== 'running') || document.querySelector('[data-testid=toast-error]');
    }, null, { timeout: 300_000 });
    assert.equal(await page.getByTestId('toast-error').count(), 0, `the app reported: ${await page.getByTestId('toast-error').first().textContent().catch(() => '')}`);
    assert.equal(await monitor.getAttribute('data-status'), 'done', (await monitor.textContent()) ?? '');
    assert.ok((await monitor.locator('path.line').count()) >= 1, 'curves are drawn');
  });

  test('a face is relabelled by keyboard in Review', async () => {
    await page.keyboard.press('Alt+4');
    await page.getByTestId('view-review').waitFor();
    await page.getByTestId('face-detail').waitFor({ timeout: 30_000 });
    const id = await page.getByTestId('face-detail').getAttribute('data-sample-id');
    const current = CLASS_NAMES.indexOf(((await page.locator('[data-testid=current-label] strong').textContent()) ?? '').trim().toLowerCase() as ClassName);
    assert.ok(current >= 0, 'the current label is a class name');
    const target = (current + 1) % CLASS_NAMES.length;
    await page.getByTestId('face-grid').focus();
    await page.keyboard.press(String(target + 1));
    await page.waitForFunction(() => document.querySelector('[data-testid=review-counter]')?.getAttribute('data-reviewed') === '1', null, { timeout: 20_000 });
    // The queue moved on; back to the relabelled face, which now shows its new label.
    await page.keyboard.press('k');
    await page.waitForFunction((want) => document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id') === want, id, { timeout: 10_000 });
    await page.waitForFunction(() => /relabel/.test(document.querySelector('[data-testid=review-status]')?.textContent ?? ''), null, { timeout: 10_000 });
    assert.equal(((await page.locator('[data-testid=current-label] strong').textContent()) ?? '').trim().toLowerCase(), CLASS_NAMES[target]);
  });

  test('the log (in the user data folder) records the run and its backend, and the UI shows it', async () => {
    await page.getByTestId('open-log').click();
    const text = page.getByTestId('log-text');
    await text.waitFor({ timeout: 10_000 });
    const log = (await text.textContent()) ?? '';
    assert.match(log, /training\.start \{"modelKind":"dbn"/);
    // ONNX Runtime's CPU build ships inside its npm package: the run proves its native binding loads from the production install.
    assert.match(log, /training run \d+ ended: done, model \d+, runtime onnxruntime-cpu \(\d+ threads?\)/);
    assert.equal(await page.getByTestId('log-path').textContent(), join(userDir, 'data', 'logs', 'affect-relearn.log'));
  });

  test('nothing resolved to a TypeScript file, tsx, a devDependency or a file outside the app', async () => {
    server!.kill('SIGTERM');
    await new Promise((r) => (server!.exitCode !== null ? r(null) : server!.once('exit', r)));
    const lines = readFileSync(resolveLog, 'utf8').split('\n').filter(Boolean);
    assert.ok(lines.includes('# thread worker'), 'the recorder ran in the worker threads too');
    const files = lines.filter((l) => l.startsWith('file:')).map((l) => fileURLToPath(l));
    const appReal = realpathSync(appDir);
    assert.ok(files.some((f) => f.endsWith(join('dist', 'training-worker.mjs'))), 'the training ran in dist/training-worker.mjs');
    assert.ok(files.some((f) => f.endsWith(join('dist', 'project-op-worker.mjs'))), 'the demo was made in dist/project-op-worker.mjs');
    assert.ok(files.some((f) => f.includes(join('node_modules', 'better-sqlite3'))), 'packages resolved from the production install');
    const bad = forbidden(files, [join(appDir, 'dist'), join(appReal, 'dist'), installedModules]);
    assert.deepEqual(bad, [], `modules that must not be loaded in the packaged app:\n${bad.join('\n')}`);
    assert.ok(files.length > 20, `${files.length} files resolved`);
  });
});
