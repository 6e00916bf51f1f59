// Shared pieces of the end-to-end tests: a fresh renderer build, the real service and
// browser-mode server on a temp directory, Debian's Chromium through playwright-core, a page
// that records every console error, page error and CSP violation, and screenshots that must
// not be blank. A test logs its page in by opening `server.url` (the one-time launch URL) once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import sharp from 'sharp';
import { startServer, type RunningServer } from '../../electron/server/start-server.ts';
import { AppService } from '../../electron/service/app-service.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUTPUT_DIR = join(ROOT, 'test-output', 'e2e');
const DIST_INDEX = join(ROOT, 'dist', 'renderer', 'index.html');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Builds the renderer when dist/ is missing or older than any source (npm test builds it first). */
export function ensureRendererBuilt(): void {
  const sources = Math.max(newestMtime(join(ROOT, 'renderer')), newestMtime(join(ROOT, 'vite.config.ts')), newestMtime(join(ROOT, 'api')));
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  const r = spawnSync(join(ROOT, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.status, 0, `vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export interface Harness {
  dir: string;
  service: AppService;
  server: RunningServer;
  browser: Browser;
  page: Page;
  /** Console errors, page errors and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  ensureRendererBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'affect-relearn-e2e-'));
  const service = new AppService({ transport: 'browser', configDir: join(dir, 'config'), demoPath: join(dir, 'demo.arproj'), logFile: join(dir, 'logs', 'affect-relearn.log') });
  const server = await startServer({ service, port: 0, host: '127.0.0.1' });
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  assert.ok(existsSync(executablePath), `Chromium not found at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()} for ${new URL(r.url()).pathname}`);
  });
  mkdirSync(OUTPUT_DIR, { recursive: true });
  return {
    dir,
    service,
    server,
    browser,
    page,
    problems,
    async close() {
      await browser.close().catch(() => {});
      await server.close().catch(() => {});
      await service.dispose().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Saves a screenshot under test-output/e2e/ and fails when it is blank: a page that did not
 * render is one flat colour, so require real variation in luminance and enough distinct tones.
 */
export async function screenshotNotBlank(page: Page, name: string): Promise<{ path: string; stdev: number }> {
  const path = join(OUTPUT_DIR, `${name}.png`);
  const png = await page.screenshot({ path, fullPage: false });
  const { channels } = await sharp(png).stats();
  const stdev = Math.max(...channels.slice(0, 3).map((c) => c.stdev));
  assert.ok(stdev > 12, `${name}.png looks blank (max channel stdev ${stdev.toFixed(1)})`);
  const { data } = await sharp(png).greyscale().resize(320, 200, { fit: 'fill' }).raw().toBuffer({ resolveWithObject: true });
  const tones = new Set<number>();
  for (const v of data) tones.add(v >> 3);
  assert.ok(tones.size >= 6, `${name}.png has only ${tones.size} tone levels`);
  return { path, stdev };
}

/**
 * Writes a tiny class-folder dataset: `<root>/<split>/<class>/*.png`, plus `corrupt` undecodable
 * files (enough to make the report's table virtualise) and one unknown class folder.
 */
export async function writeClassFolderFixture(root: string, perClass: Record<string, number>, corrupt: number): Promise<{ good: number }> {
  let good = 0;
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32);
  for (const [split, n] of [['train', 1], ['test', 0.5]] as const) {
    for (const [cls, count] of Object.entries(perClass)) {
      const dir = join(root, split, cls);
      mkdirSync(dir, { recursive: true });
      for (let i = 0; i < Math.max(1, Math.round(count * n)); i++) {
        const px = Buffer.alloc(48 * 48);
        const bright = 60 + 40 * Object.keys(perClass).indexOf(cls);
        for (let k = 0; k < px.length; k++) px[k] = Math.min(255, Math.max(0, bright + Math.round((rand() - 0.5) * 80)));
        await sharp(px, { raw: { width: 48, height: 48, channels: 1 } }).png().toFile(join(dir, `${cls}-${i}.png`));
        good++;
      }
    }
  }
  for (let i = 0; i < corrupt; i++) {
    writeFileSync(join(root, 'train', Object.keys(perClass)[0], `corrupt-${String(i).padStart(3, '0')}.png`), Buffer.from('this is not a png'));
  }
  const unknown = join(root, 'train', 'bewildered');
  mkdirSync(unknown, { recursive: true });
  await sharp(Buffer.alloc(48 * 48, 128), { raw: { width: 48, height: 48, channels: 1 } }).png().toFile(join(unknown, 'x.png'));
  return { good };
}
