/**
 * The app's root folder: the nearest folder above a module that holds package.json. From the
 * TypeScript sources that is the repository; from the bundle (dist/*.mjs) it is the folder that
 * holds dist/ (the repository, an installed copy, or the packaged app's resources). Files the
 * app reads at run time (dist/renderer, package.json) are found from here, so the same code
 * works whether a module runs from electron/... or was bundled into dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function appRootOf(moduleUrl: string): string {
  const start = dirname(fileURLToPath(moduleUrl));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}: cannot find the app's root folder`);
  }
}
