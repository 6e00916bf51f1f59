// What the Electron main process needs of the service, as one module: scripts/build.mjs bundles
// it to dist/service.mjs (ESM, so that import.meta.url still finds the migrations and workers
// next to it) and dist/electron/main.cjs loads that file (electron/shell/load-service.ts).
export { AppService, type AppServiceOptions } from './app-service.ts';
export { openStartupProject } from './startup-project.ts';
export { parseImageSize, parseSampleId, renderSamplePng } from './sample-image.ts';
