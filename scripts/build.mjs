// `npm run build`: everything the app runs, in dist/, with no TypeScript, tsx or devDependency
// needed at run time:
//   dist/serve.mjs               browser mode's back end (node dist/serve.mjs [--demo | --project P] [--port N])
//   dist/service.mjs             the service, loaded by the Electron main process
//   dist/<worker>.mjs            one bundle per worker entry (electron/workers/*.ts)
//   dist/migrations/*.sql        the schema, found next to the bundles by db/migrate.ts
//   dist/electron/main.cjs, preload.cjs   the Electron shell (CommonJS: a sandboxed preload cannot load ESM)
//   dist/renderer/               the UI (vite)
// The node-side bundles are ESM and sit in one folder, so import.meta.url-relative lookups
// (migrations, worker files) resolve alike from each of them. Every npm package stays external
// and is loaded from node_modules: the native ones (better-sqlite3, sharp, onnxruntime-node,
// tfjs-node) cannot be bundled, the tfjs backends must share one tfjs-core instance and the
// wasm backend loads its .wasm files from its own package folder.
// Usage: node scripts/build.mjs [--no-renderer] [--out DIR]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Must list every name of WORKER_NAMES in electron/workers/spawn-worker.ts (test/build.test.ts checks). */
export const WORKER_ENTRIES = ['training-worker', 'project-op-worker', 'relearn-worker', 'face-map-worker'];

// ESM output has no `require`; a bundled module that calls it (createRequire aside) gets Node's.
const ESM_BANNER = "import { createRequire as __arCreateRequire } from 'node:module'; const require = __arCreateRequire(import.meta.url);";

/** Bundles the Node side (service, browser-mode server, workers, Electron shell) into `outDir`. */
export async function buildNode({ outDir = join(ROOT, 'dist'), quiet = false } = {}) {
  const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: quiet ? 'error' : 'warning', absWorkingDir: ROOT };
  const esm = { ...common, format: 'esm', packages: 'external', banner: { js: ESM_BANNER }, outExtension: { '.js': '.mjs' }, outdir: outDir };
  const entryPoints = {
    serve: join(ROOT, 'electron/server/serve-main.ts'),
    service: join(ROOT, 'electron/service/service-entry.ts'),
    ...Object.fromEntries(WORKER_ENTRIES.map((name) => [name, join(ROOT, 'electron/workers', `${name}.ts`)])),
  };
  await build({ ...esm, entryPoints });
  // The main process bundles api/ (and valibot) whole: it must not need an ESM-only package through require().
  await build({ ...common, format: 'cjs', entryPoints: [join(ROOT, 'electron/shell/main.ts')], outfile: join(outDir, 'electron', 'main.cjs'), external: ['electron'] });
  // The preload is sandboxed: it may require('electron') and nothing else.
  await build({ ...common, format: 'cjs', entryPoints: [join(ROOT, 'electron/shell/preload.ts')], outfile: join(outDir, 'electron', 'preload.cjs'), external: ['electron'] });
  const migrations = join(outDir, 'migrations');
  rmSync(migrations, { recursive: true, force: true });
  mkdirSync(migrations, { recursive: true });
  for (const f of readdirSync(join(ROOT, 'db', 'migrations'))) if (f.endsWith('.sql')) copyFileSync(join(ROOT, 'db', 'migrations', f), join(migrations, f));
  return { outDir, entries: Object.keys(entryPoints).map((n) => join(outDir, `${n}.mjs`)) };
}

/** The renderer, with vite, into dist/renderer (vite.config.ts fixes the folder). */
export function buildRenderer() {
  const r = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`vite build failed (exit ${r.status})`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const i = argv.indexOf('--out');
  const outDir = i >= 0 ? resolve(argv[i + 1]) : join(ROOT, 'dist');
  if (!argv.includes('--no-renderer')) buildRenderer();
  const out = await buildNode({ outDir });
  process.stderr.write(`built ${out.entries.length} bundles, the Electron shell and the migrations in ${outDir}\n`);
}
