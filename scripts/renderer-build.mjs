// Builds the renderer (vite, ~3 s) when dist/renderer is missing or older than its sources, so
// that `npm run demo` on a fresh clone opens the app instead of a "not built yet" page.
// Only the renderer: the Electron shell is bundled by build-electron.mjs when Electron runs.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './setup.mjs';

export const RENDERER_INDEX = join(ROOT, 'dist', 'renderer', 'index.html');
// What the bundle is made of: the UI, the contract it imports, and the build's own config.
const SOURCES = ['renderer', 'api', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

/** Why the renderer needs building, or null when dist/renderer is up to date. */
export function rendererStale() {
  if (!existsSync(RENDERER_INDEX)) return 'dist/renderer is missing';
  const built = statSync(RENDERER_INDEX).mtimeMs;
  const newer = SOURCES.find((s) => newestMtime(join(ROOT, s)) > built);
  return newer ? `${newer} changed since the last build` : null;
}

/** Runs `vite build` when needed; throws with vite's output when it fails. */
export function ensureRendererBuilt(say = (msg) => process.stderr.write(`[build] ${msg}\n`)) {
  const why = rendererStale();
  if (!why) return false;
  say(`building the user interface (${why}): vite build`);
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return true;
}
