// `npm start` / `npm run demo`: brings the clone to a runnable state, then opens the app the
// best way this machine allows, and says which and why:
//   1. Electron installed          -> build the shell and open the desktop window;
//   2. else a display and Chromium -> browser mode in a Chromium --app window (fresh profile);
//   3. else                        -> browser mode, printing the URL to open (e.g. via an SSH tunnel).
// The project: --project F, or --demo, else the last one opened, else the demo project in the
// user's data dir (created on first use). The user interface is built first when it is missing
// or older than its sources. Runs until Ctrl+C.
// Browser mode's URL carries a one-time launch code. It is never put on Chromium's command line
// (any local user can read that with ps): Chromium opens a launcher page in its private profile
// folder, which forwards to the URL; the code is spent by that first load.
// Usage: node scripts/start.mjs [--demo] [--project F] [--port N] [--browser] [--no-window]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { writeLauncherPage } from './launcher-page.mjs';
import { ensureRendererBuilt } from './renderer-build.mjs';
import { ROOT, ensureDependencies, findChromium } from './setup.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const value = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : null;
};
const say = (msg) => process.stderr.write(`[start] ${msg}\n`);

const projectArgs = [];
if (value('--project')) projectArgs.push('--project', value('--project'));
if (flag('--demo')) projectArgs.push('--demo');

const children = new Set();
let profileDir = null;
function track(child) {
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}
function shutdown(code) {
  for (const child of children) child.kill('SIGTERM');
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  setTimeout(() => process.exit(code), 300).unref();
}
process.on('SIGINT', () => {
  say('stopping (Ctrl+C)');
  shutdown(0);
});
process.on('SIGTERM', () => shutdown(0));

async function runElectron() {
  const { buildElectron } = await import('./build-electron.mjs');
  await buildElectron({ quiet: true });
  const electronBinary = createRequire(import.meta.url)('electron');
  say('Electron is installed: opening the desktop window');
  const child = track(spawn(electronBinary, [ROOT, ...projectArgs], { cwd: ROOT, stdio: 'inherit' }));
  child.on('exit', (code) => {
    say(`Electron exited (${code ?? 'signal'})`);
    shutdown(code ?? 0);
  });
}

function startBrowserMode(reason) {
  const port = value('--port');
  const args = ['--import', 'tsx', join(ROOT, 'electron', 'server', 'serve-main.ts'), ...projectArgs, ...(port ? ['--port', port] : [])];
  const server = track(spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }));
  server.on('exit', (code) => {
    say(`the browser-mode server stopped (${code ?? 'signal'})`);
    shutdown(code ?? 1);
  });
  const lines = createInterface({ input: server.stdout });
  let opened = false;
  lines.on('line', (line) => {
    if (opened || !line.startsWith('http://')) {
      process.stdout.write(`${line}\n`);
      return;
    }
    opened = true;
    openWindow(line.trim(), reason);
  });
}

function openWindow(url, reason) {
  const hasDisplay = Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY) || process.platform === 'darwin' || process.platform === 'win32';
  const chromium = findChromium();
  if (flag('--no-window') || !hasDisplay || !chromium) {
    const why = flag('--no-window') ? '--no-window was given' : !hasDisplay ? 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' : 'Chromium was not found (set CHROMIUM_PATH)';
    say(`${reason}: serving browser mode; ${why}, so open this URL in a browser on this machine (or through an SSH tunnel to 127.0.0.1):`);
    process.stdout.write(`${url}\n`);
    say('running until Ctrl+C');
    return;
  }
  say(`${reason}: opening browser mode in Chromium (${chromium})`);
  profileDir = mkdtempSync(join(tmpdir(), 'affect-relearn-chromium-'));
  const launcher = writeLauncherPage(profileDir, url);
  const browser = track(
    spawn(chromium, [`--app=${launcher}`, `--user-data-dir=${profileDir}`, '--no-first-run', '--no-default-browser-check', '--disable-sync', '--disable-background-networking'], {
      stdio: 'ignore',
    }),
  );
  const origin = new URL(url).origin;
  browser.on('exit', () => say(`the Chromium window closed; the server keeps running at ${origin} until Ctrl+C (restart for a new launch URL)`));
  process.stdout.write(`${origin}/ (logged in through a one-time launch code)\n`);
}

ensureDependencies();
try {
  ensureRendererBuilt((msg) => say(msg));
} catch (e) {
  say(`cannot build the user interface: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
const electronInstalled = existsSync(join(ROOT, 'node_modules', 'electron', 'dist')) || existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));
if (electronInstalled && !flag('--browser')) {
  runElectron().catch((e) => {
    say(`Electron failed to start (${e instanceof Error ? e.message : String(e)}): falling back to browser mode`);
    startBrowserMode('Electron could not start');
  });
} else if (flag('--browser')) {
  startBrowserMode('--browser was given');
} else {
  startBrowserMode('Electron is not installed (its download needs the internet)');
}
