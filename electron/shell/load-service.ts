/**
 * Loads the service into Electron's main process from the bundle dist/service.mjs (made by
 * scripts/build.mjs), the same bundled code browser mode runs (dist/serve.mjs): no tsx and no
 * TypeScript sources at run time. The service is ESM (it finds its migrations and workers
 * through import.meta.url) while main.cjs is CommonJS, hence the import() by file URL, which
 * esbuild leaves as is. No Electron import here, so a test can run this in plain Node.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export type ServiceModules = typeof import('../service/service-entry.ts');

/** The bundled service under an app root (the repository after a build, or the packaged app). */
export function serviceBundlePath(appRoot: string): string {
  return join(appRoot, 'dist', 'service.mjs');
}

/** `appRoot` is the folder holding package.json and dist/ (the repository, or the app's resources). */
export async function loadServiceModules(appRoot: string): Promise<ServiceModules> {
  const file = serviceBundlePath(appRoot);
  if (!existsSync(file)) throw new Error(`${file} is missing: build the app first (npm run build)`);
  return (await import(pathToFileURL(file).href)) as ServiceModules;
}
