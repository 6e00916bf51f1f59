// A newcomer's first command: `npm run demo` (scripts/start.mjs --demo) on a fresh clone, with
// no display, must build the user interface itself, print a URL, and that URL must log a browser
// in to the working app (not the "not built yet" page). The login is checked the way a browser
// sees it: the launch code leaves the address bar, no later request or image URL carries a
// secret, the page's script cannot read the cookie, and the printed URL does not work twice.
// The launcher page start.mjs hands Chromium instead of the URL logs a window in the same way.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { startServer } from '../../electron/server/start-server.ts';
import { AppService } from '../../electron/service/app-service.ts';
import { writeLauncherPage } from '../../scripts/launcher-page.mjs';
import { CHROMIUM_ARGS, ROOT, screenshotNotBlank } from './harness.ts';

let dir: string;
let clone: string;
let child: ChildProcess | null = null;
let browser: Browser | null = null;
let stderr = '';

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'affect-relearn-fresh-'));
  clone = join(dir, 'clone');
});
after(async () => {
  await browser?.close().catch(() => {});
  // start.mjs stops its server on SIGTERM; the group kill also reaches the server if it did not.
  if (child?.pid && child.exitCode === null) {
    process.kill(-child.pid, 'SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  rmSync(dir, { recursive: true, force: true });
});

/** Starts `node scripts/start.mjs --demo` in the clone without a display; resolves with the first printed URL. */
function startDemo(): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, AFFECT_RELEARN_CONFIG_DIR: join(dir, 'config'), AFFECT_RELEARN_DATA_DIR: join(dir, 'data') };
  delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  const c = spawn(process.execPath, ['scripts/start.mjs', '--demo'], { cwd: clone, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child = c;
  c.stderr!.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed within 300 s; stderr:\n${stderr}`)), 300_000);
    c.once('exit', (code) => reject(new Error(`start.mjs exited (${code}) before printing a URL; stderr:\n${stderr}`)));
    createInterface({ input: c.stdout! }).on('line', (line) => {
      if (!line.startsWith('http://')) return;
      clearTimeout(timer);
      resolve(line.trim());
    });
  });
}

test('npm run demo on a fresh clone builds the UI, prints a one-time URL and that URL opens the working app', { timeout: 600_000 }, async (t) => {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return t.skip(`Chromium not found at ${executablePath}`);
  const cloned = spawnSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { encoding: 'utf8' });
  if (cloned.status !== 0) return t.skip(`git clone of the repository failed: ${cloned.stderr}`);
  assert.ok(!existsSync(join(clone, 'dist')), 'a fresh clone has no build');
  // The dependencies come from this checkout's install. A clone's lock file is newer than that
  // install, which would make start.mjs reinstall them (through the link, into the shared
  // folder): date the lock file as installed, as it is after `npm ci` in a real clone.
  const modules = realpathSync(join(ROOT, 'node_modules'));
  symlinkSync(modules, join(clone, 'node_modules'));
  const installed = statSync(join(modules, '.package-lock.json')).mtime;
  utimesSync(join(clone, 'package-lock.json'), installed, new Date(installed.getTime() - 10_000));

  const url = await startDemo();
  assert.match(stderr, /building the user interface \(dist\/renderer is missing\)/);
  assert.match(stderr, /there is no display/);
  assert.ok(existsSync(join(clone, 'dist', 'renderer', 'index.html')), 'start.mjs built the renderer in the clone');
  const launch = new URL(url);
  assert.equal(launch.pathname, '/login');

  browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const requests: string[] = [];
  const failedResponses: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('response', (r) => r.status() >= 400 && failedResponses.push(`${r.status()} ${new URL(r.url()).pathname}`));
  await page.goto(url);
  assert.equal(page.url(), `${launch.origin}/`, 'the launch code is gone from the address bar');
  await page.getByTestId('view-project').waitFor({ timeout: 120_000 });
  await page.getByTestId('project-summary').waitFor({ timeout: 120_000 });
  assert.match((await page.getByTestId('project-name').textContent()) ?? '', /demo/i);
  assert.doesNotMatch(await page.content(), /not built yet/);
  await screenshotNotBlank(page, 'fresh-clone-demo');

  const code = launch.searchParams.get('code')!;
  const cookies = await context.cookies();
  assert.equal(cookies.length, 1);
  const [cookie] = cookies;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(await page.evaluate(() => document.cookie), '', 'the page script cannot read the session cookie');
  // Face images of the review queue: real requests, none with a secret in its URL.
  await page.keyboard.press('Alt+4');
  await page.locator('img').first().waitFor({ timeout: 60_000 });
  const imgSrcs = await page.locator('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).src));
  assert.ok(imgSrcs.some((u) => u.includes('/img/sample/')), `face images shown: ${imgSrcs.join(' ')}`);
  // The cookie alone authenticated them: the first face image decoded.
  await page.waitForFunction(() => [...document.images].some((i) => i.src.includes('/img/sample/') && i.complete && i.naturalWidth > 0), null, { timeout: 30_000 });
  assert.deepEqual(failedResponses, [], 'every request after the login was answered');
  const later = requests.slice(1);
  assert.ok(later.length > 0);
  for (const u of [...later, ...imgSrcs]) {
    assert.ok(!u.includes(code) && !u.includes(cookie.value), `a secret in ${u}`);
    assert.doesNotMatch(u, /[?&](code|token)=/, u);
  }

  // The printed URL worked once; a second browser (or whoever read it) is refused.
  const other = await browser.newContext();
  const second = await other.newPage();
  const refused = await second.goto(url);
  assert.equal(refused?.status(), 403);
  assert.match(await second.content(), /already used/);
  assert.deepEqual(await other.cookies(), []);
});

test('the launcher page that start.mjs gives Chromium logs the window in, with no code on the command line', { timeout: 120_000 }, async (t) => {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) return t.skip(`Chromium not found at ${executablePath}`);
  const root = join(dir, 'launcher');
  mkdirSync(join(root, 'renderer'), { recursive: true });
  writeFileSync(join(root, 'renderer', 'index.html'), '<!doctype html><title>app</title><p>app</p>');
  const service = new AppService({ transport: 'browser', configDir: join(root, 'config') });
  const server = await startServer({ service, port: 0, rendererDir: join(root, 'renderer') });
  try {
    const code = new URL(server.url).searchParams.get('code')!;
    const profile = mkdtempSync(join(root, 'profile-'));
    const launcher = writeLauncherPage(profile, server.url);
    assert.ok(launcher.startsWith('file://') && !launcher.includes(code), `the command line would show ${launcher}`);
    assert.equal(statSync(fileURLToPath(launcher)).mode & 0o077, 0, 'only this user can read the launcher page');
    browser ??= await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(launcher);
    await page.waitForURL(`http://127.0.0.1:${server.port}/`, { timeout: 30_000 });
    assert.equal(await page.title(), 'app');
    const cookies = await context.cookies();
    assert.deepEqual(cookies.map((c) => [c.name, c.httpOnly, c.sameSite]), [[server.cookieName, true, 'Strict']]);
    await context.close();
  } finally {
    await server.close();
    await service.dispose();
  }
});
