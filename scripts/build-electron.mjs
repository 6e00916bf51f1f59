// Bundles the Electron shell with esbuild: electron/shell/main.ts -> dist/electron/main.cjs and
// preload.ts -> dist/electron/preload.cjs (CommonJS: a sandboxed preload cannot load ESM).
// Only the shell and the pure api/ modules are bundled; the service, db/ and core/ are loaded at
// run time from their TypeScript sources through tsx (see electron/shell/load-service.ts), so
// their files found by import.meta.url (migrations, ops, wasm) stay where they are.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist', 'electron');

export async function buildElectron({ quiet = false } = {}) {
  const common = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: quiet ? 'error' : 'warning',
    absWorkingDir: ROOT,
  };
  await build({ ...common, entryPoints: [join(ROOT, 'electron/shell/main.ts')], outfile: join(OUT_DIR, 'main.cjs'), external: ['electron', 'tsx', 'tsx/*'] });
  // The preload is sandboxed: it may require('electron') and nothing else.
  await build({ ...common, entryPoints: [join(ROOT, 'electron/shell/preload.ts')], outfile: join(OUT_DIR, 'preload.cjs'), external: ['electron'] });
  return { main: join(OUT_DIR, 'main.cjs'), preload: join(OUT_DIR, 'preload.cjs') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await buildElectron();
  process.stderr.write(`built ${out.main} and ${out.preload}\n`);
}
