// Builds what the Electron window runs from the repository (scripts/start.mjs calls this before
// opening it): the shell and the bundled service and workers, i.e. the Node side of
// `npm run build` (scripts/build.mjs), without the renderer.
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { buildNode, ROOT } from './build.mjs';

export const OUT_DIR = join(ROOT, 'dist', 'electron');

export async function buildElectron({ quiet = false } = {}) {
  await buildNode({ quiet });
  return { main: join(OUT_DIR, 'main.cjs'), preload: join(OUT_DIR, 'preload.cjs') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildElectron();
  process.stderr.write(`built ${out.main}, ${out.preload} and the service bundles\n`);
}
