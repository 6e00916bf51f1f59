// The real built renderer (dist/renderer) in real Chromium through browser mode: it must run
// under the server's strict CSP with no violation and no page error, and reach the service
// over the token-protected WebSocket. Skips when the renderer is not built or Chromium is absent.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../electron/server/start-server.ts';
import { AppService } from '../../electron/service/app-service.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const rendererIndex = join(ROOT, 'dist', 'renderer', 'index.html');
const chromiumPath = process.env.CHROMIUM_PATH || ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const skip = !existsSync(rendererIndex) ? 'dist/renderer is not built (npx vite build)' : !chromiumPath ? 'Chromium not found (set CHROMIUM_PATH)' : false;

test('the built renderer runs under the CSP and talks to the service', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-csp-'));
  const service = new AppService({ transport: 'browser', configDir: join(dir, 'config'), logFile: null, backend: async () => ({ name: 'cpu', reason: 'test' }) });
  await service.call('projects.create', { path: join(dir, 'csp.arproj'), name: 'CspProbe' });
  const methods: string[] = [];
  const call = service.call.bind(service) as (m: string, p: unknown) => Promise<unknown>;
  (service as unknown as { call: typeof call }).call = (m, p) => (methods.push(m), call(m, p));
  const server = await startServer({ service });
  const browser = await chromium.launch({
    executablePath: chromiumPath as string,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
    });
    await page.goto(server.url);
    await page.waitForFunction(() => document.querySelector('#app')?.children.length, null, { timeout: 15_000 });
    for (let i = 0; i < 50 && methods.length === 0; i++) await page.waitForTimeout(100);
    assert.deepEqual(problems, []);
    assert.ok(methods.length > 0, 'the renderer made no call over the WebSocket');
    const csp = (await page.request.get(server.url)).headers()['content-security-policy'];
    assert.doesNotMatch(csp, /unsafe-eval/);
  } finally {
    await browser.close();
    await server.close();
    await service.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
});
