/**
 * Loads the service into Electron's main process from its TypeScript sources through tsx (a
 * runtime dependency, as for the CLI). The service, db/ and core/ find their migrations, ops and
 * wasm files relative to their own source files (import.meta.url), which bundling into
 * main.cjs would break; loading them in place keeps one code path for CLI, browser mode and
 * Electron. No Electron import here, so the build test can run this in plain Node.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AppService, AppServiceOptions } from '../service/app-service.ts';
import type { openStartupProject } from '../service/startup-project.ts';
import type { parseImageSize, parseSampleId, renderSamplePng } from '../service/sample-image.ts';

export interface ServiceModules {
  AppService: new (options: AppServiceOptions) => AppService;
  openStartupProject: typeof openStartupProject;
  renderSamplePng: typeof renderSamplePng;
  parseSampleId: typeof parseSampleId;
  parseImageSize: typeof parseImageSize;
}

/** `appRoot` is the folder holding package.json (the repository, or the app's resources). */
export async function loadServiceModules(appRoot: string): Promise<ServiceModules> {
  // The ESM flavour of tsx's API: its CommonJS flavour fails to register its loader on Node 20
  // (ERR_MODULE_NOT_FOUND .../tsx/dist/esm/api/esm/index.mjs). esbuild keeps this import() as is.
  const { tsImport } = await import('tsx/esm/api');
  const parent = pathToFileURL(join(appRoot, 'package.json')).href;
  const load = (rel: string): Promise<Record<string, unknown>> => tsImport(pathToFileURL(join(appRoot, rel)).href, parent);
  const [service, startup, image] = await Promise.all([
    load('electron/service/app-service.ts'),
    load('electron/service/startup-project.ts'),
    load('electron/service/sample-image.ts'),
  ]);
  return {
    AppService: service.AppService as ServiceModules['AppService'],
    openStartupProject: startup.openStartupProject as ServiceModules['openStartupProject'],
    renderSamplePng: image.renderSamplePng as ServiceModules['renderSamplePng'],
    parseSampleId: image.parseSampleId as ServiceModules['parseSampleId'],
    parseImageSize: image.parseImageSize as ServiceModules['parseImageSize'],
  };
}
