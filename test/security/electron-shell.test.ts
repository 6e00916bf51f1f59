// The Electron shell, checked without Electron (its binary cannot be downloaded here): the
// preload's exposed API is exactly the contract, the sender/URL policy, the esbuild bundles,
// the service bundle main.cjs loads, and the window's security settings in main.ts.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { EVENT_NAMES, REQUEST_NAMES } from '../../api/contract.ts';
import { EXPOSED_CALL_NAMES, createExposedApi, type IpcLike } from '../../electron/shell/preload-api.ts';
import { WORKER_NAMES, workerEntry } from '../../electron/workers/spawn-worker.ts';
import { ELECTRON_CSP, appUrlToRelativePath, isAppUrl, parseFaceUrl } from '../../electron/shell/shell-policy.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'ar-shell-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** Records what the preload asks of ipcRenderer. */
function recordingIpc() {
  const invoked: [string, unknown][] = [];
  const listeners = new Map<string, Set<(e: unknown, p: unknown) => void>>();
  const ipc: IpcLike = {
    invoke: async (channel, arg) => (invoked.push([channel, arg]), { ok: true, result: channel }),
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
  };
  return { ipc, invoked, listeners };
}

test('the preload exposes one function per contract request, and nothing else', async () => {
  assert.deepEqual([...EXPOSED_CALL_NAMES].sort(), [...REQUEST_NAMES].sort());
  const { ipc, invoked } = recordingIpc();
  const api = createExposedApi(ipc);
  assert.deepEqual(Object.keys(api).sort(), ['calls', 'faceUrl', 'on', 'transport']);
  assert.deepEqual(Object.keys(api.calls).sort(), [...REQUEST_NAMES].sort());
  assert.ok(Object.isFrozen(api.calls));
  const result = await api.calls['training.start']({ modelKind: 'cnn', options: { epochs: 2 } });
  assert.deepEqual(result, { ok: true, result: 'api:training.start' });
  await api.calls['app.info']({});
  assert.deepEqual(invoked, [
    ['api:training.start', { modelKind: 'cnn', options: { epochs: 2 } }],
    ['api:app.info', {}],
  ]);
});

test('on() accepts only contract events and unsubscribes the same listener', () => {
  const { ipc, listeners } = recordingIpc();
  const api = createExposedApi(ipc);
  const got: unknown[] = [];
  const off = api.on('training:epoch', (p) => got.push(p));
  assert.equal(listeners.get('event:training:epoch')?.size, 1);
  for (const l of listeners.get('event:training:epoch')!) l({}, { runId: 1 });
  assert.deepEqual(got, [{ runId: 1 }]);
  off();
  assert.equal(listeners.get('event:training:epoch')?.size, 0);
  assert.throws(() => api.on('ipc:anything' as never, () => {}), /"ipc:anything" is not an event of the contract/);
  assert.ok(EVENT_NAMES.length >= 7);
  assert.equal(api.faceUrl(12, 128), 'face://sample/12.png?size=128');
  assert.throws(() => api.faceUrl(-1), /id must be a positive integer/);
});

test('only our renderer origin counts as a sender; renderer paths cannot escape', () => {
  assert.ok(isAppUrl('app://renderer/index.html'));
  for (const bad of ['app://evil/index.html', 'http://127.0.0.1:5000/', 'file:///etc/passwd', 'app://renderer:81/', 'app://x@renderer/', 'about:blank', '', null]) {
    assert.equal(isAppUrl(bad), false, String(bad));
  }
  assert.equal(appUrlToRelativePath('app://renderer/'), 'index.html');
  assert.equal(appUrlToRelativePath('app://renderer/assets/a.js'), 'assets/a.js');
  // The URL parser resolves encoded dot segments itself, so they cannot climb above the root.
  assert.equal(appUrlToRelativePath('app://renderer/assets/%2e%2e/%2e%2e/x'), 'x');
  assert.equal(appUrlToRelativePath('app://renderer/a%5c..%5cb'), null);
  assert.deepEqual(parseFaceUrl('face://sample/7.png?size=64'), { file: '7.png', size: '64' });
  assert.equal(parseFaceUrl('face://other/7.png'), null);
  assert.doesNotMatch(ELECTRON_CSP, /unsafe-eval/);
  assert.doesNotMatch(ELECTRON_CSP, /script-src[^;]*unsafe-inline/);
});

test('main.ts sets the window up locked down (read from source: Electron cannot run here)', () => {
  const main = readFileSync(join(ROOT, 'electron/shell/main.ts'), 'utf8');
  for (const line of ['contextIsolation: true', 'sandbox: true', 'nodeIntegration: false', 'webSecurity: true', 'webviewTag: false', 'app.enableSandbox()']) {
    assert.ok(main.includes(line), `main.ts lacks ${line}`);
  }
  assert.match(main, /setWindowOpenHandler\(\(\) => \(\{ action: 'deny' \}\)\)/);
  assert.match(main, /setPermissionRequestHandler\(\(_wc, _permission, callback\) => callback\(false\)\)/);
  assert.match(main, /'will-navigate'/);
  // One handler registration, inside the loop over the contract's names, each checking its sender and validating.
  assert.equal(main.match(/ipcMain\.handle\(/g)?.length, 1);
  assert.match(main, /for \(const name of REQUEST_NAMES[^)]*\) \{\s*ipcMain\.handle\(requestChannel\(name\)/);
  assert.match(main, /if \(!senderAllowed\(event\)\)/);
  assert.match(main, /validateParams\(name, params\)/);
  const preload = readFileSync(join(ROOT, 'electron/shell/preload.ts'), 'utf8');
  assert.equal(preload.match(/exposeInMainWorld/g)?.length, 1);
  assert.match(preload, /exposeInMainWorld\(EXPOSED_GLOBAL, createExposedApi\(ipcRenderer\)\)/);
});

// One real `scripts/build.mjs` run (Node side) into a folder under node_modules, so that the
// bundles' external packages resolve as they do from dist/ in the repository.
const probeRoot = mkdtempSync(join(ROOT, 'node_modules', '.cache-affect-relearn-probe-'));
after(() => rmSync(probeRoot, { recursive: true, force: true }));
let built = false;
function buildProbe(): void {
  if (built) return;
  copyFileSync(join(ROOT, 'package.json'), join(probeRoot, 'package.json'));
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--no-renderer', '--out', join(probeRoot, 'dist')], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  built = true;
}

test('the shell bundles with esbuild; the preload requires nothing but electron, main.cjs holds no service code', () => {
  buildProbe();
  const requires = (file: string) => [...new Set([...readFileSync(file, 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]))];
  assert.deepEqual(requires(join(probeRoot, 'dist', 'electron', 'preload.cjs')), ['electron']);
  const mainFile = join(probeRoot, 'dist', 'electron', 'main.cjs');
  assert.deepEqual(requires(mainFile).filter((r) => !r.startsWith('node:')), ['electron']);
  assert.ok(!/better-sqlite3|@tensorflow|tsx/.test(readFileSync(mainFile, 'utf8')), 'main.cjs loads the service bundle; it bundles no db/ or core/ and needs no tsx');
});

test('a CommonJS bundle loads the bundled service (dist/service.mjs), as main.cjs does', async () => {
  buildProbe();
  const entry = join(tmp, 'probe.ts');
  writeFileSync(
    entry,
    `import { loadServiceModules } from ${JSON.stringify(join(ROOT, 'electron/shell/load-service.ts'))};
     (async () => {
       const mods = await loadServiceModules(${JSON.stringify(probeRoot)});
       const s = new mods.AppService({ transport: 'electron', configDir: ${JSON.stringify(join(tmp, 'cfg'))}, demoPath: ${JSON.stringify(join(tmp, 'demo.arproj'))}, logFile: ${JSON.stringify(join(tmp, 'probe.log'))}, backend: async () => null });
       const p = await s.call('projects.create', { path: ${JSON.stringify(join(tmp, 'p.arproj'))}, name: 'Probe' });
       const bad = await s.call('training.get', { runId: 'x' }).catch((e) => e.code + ' ' + e.message);
       // projects.summary reaches an op through the service's lazy loader (a dynamic import inside the bundle).
       const summary = await s.call('projects.summary', {}).then((r) => r.totalSamples, (e) => e.code);
       const info = await s.call('app.info', {});
       process.stdout.write(JSON.stringify({ name: p.name, bad, size: mods.parseImageSize('64'), summary, version: info.version }));
       await s.dispose();
     })();`,
  );
  const out = join(probeRoot, 'probe.cjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: out, logLevel: 'error' });
  const r = spawnSync(process.execPath, [out], { cwd: probeRoot, encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  assert.deepEqual(JSON.parse(r.stdout), { name: 'Probe', bad: 'invalid_params training.get: runId must be an integer >= 1, got "x"', size: 64, summary: 0, version });
});

test('every worker entry is bundled, and workerEntry picks the bundle beside bundled code and the source beside sources', () => {
  buildProbe();
  for (const name of WORKER_NAMES) {
    const bundled = workerEntry(name, pathToFileURL(join(probeRoot, 'dist', 'service.mjs')).href);
    assert.equal(fileURLToPath(bundled), join(probeRoot, 'dist', `${name}.mjs`));
    assert.ok(existsSync(fileURLToPath(bundled)), `${name}.mjs was not built`);
    const source = workerEntry(name, pathToFileURL(join(ROOT, 'electron', 'workers', 'spawn-worker.ts')).href);
    assert.ok(existsSync(fileURLToPath(source)) && source.pathname.endsWith(`/electron/workers/${name}.ts`));
  }
  // No other `new Worker(` entry hides elsewhere in the bundled code.
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(d, e.name)] : []));
  const spawners = ['electron', 'core', 'db'].flatMap((d) => walk(join(ROOT, d))).filter((f) => /new Worker\(/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(spawners.map((f) => f.slice(ROOT.length + 1).split(sep).join('/')), ['electron/workers/spawn-worker.ts']);
});

test('the bundled re-learning worker runs its job code (here: reports a missing project)', async () => {
  buildProbe();
  const { Worker } = await import('node:worker_threads');
  const missing = join(tmp, 'missing.arproj');
  const worker = new Worker(workerEntry('relearn-worker', pathToFileURL(join(probeRoot, 'dist', 'service.mjs')).href), {
    workerData: { role: 'relearn-job', job: 'analysis', projectPath: missing, analysis: { modelId: 1 }, cancelFlag: new SharedArrayBuffer(4) },
  });
  const message = await new Promise<unknown>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.deepEqual(message, { type: 'result', runId: null, error: `${missing}: no such project file (use create to make a new project)` });
});

test('without a build, loading the service says what to run', async () => {
  const { loadServiceModules } = await import('../../electron/shell/load-service.ts');
  await assert.rejects(loadServiceModules(tmp), /dist[/\\]service\.mjs is missing: build the app first \(npm run build\)/);
});
