// Brings a fresh clone to a runnable state using only Node's built-ins: installs the npm
// dependencies when they are missing or older than the lock file, and (for browser tests and
// the browser-mode window) Debian's Chromium when running as root. Used by `npm test` and
// `npm start` so that each works by itself on a fresh machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function log(msg) {
  process.stderr.write(`[setup] ${msg}\n`);
}

export function ensureDependencies() {
  const marker = join(ROOT, 'node_modules', '.package-lock.json');
  const lock = join(ROOT, 'package-lock.json');
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs + 1000);
  if (!stale) return;
  const cmd = existsSync(lock) ? 'ci' : 'install';
  log(`installing npm dependencies (npm ${cmd}); optional Electron and libtensorflow downloads may fail offline, which is fine`);
  const r = spawnSync('npm', [cmd, '--no-audit', '--no-fund'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm ${cmd} failed with exit code ${r.status}`);
}

const CHROMIUM_CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

export function findChromium() {
  if (process.env.CHROMIUM_PATH && existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p)) ?? null;
}

/** Returns the Chromium path, installing Debian's package when root; null when impossible. */
export function ensureChromium({ required }) {
  let found = findChromium();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let hasApt = false;
  try {
    execFileSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' });
    hasApt = true;
  } catch {}
  if (isRoot && hasApt) {
    log('installing Chromium (apt-get install -y chromium) for the browser tests / browser mode');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update'], { stdio: 'inherit', env });
    const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
    if (r.status !== 0) log('apt-get install chromium failed');
    found = findChromium();
    if (found) return found;
  }
  const how = 'install Chromium (Debian/Ubuntu: `sudo apt-get install -y chromium`) or set CHROMIUM_PATH';
  if (required) throw new Error(`Chromium is needed for the browser tests but was not found: ${how}`);
  log(`Chromium not found: ${how}`);
  return null;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  ensureDependencies();
  if (process.argv.includes('--chromium')) ensureChromium({ required: true });
}
