// The page Chromium opens in browser mode instead of the launch URL itself, so that the one-time
// launch code never appears on a command line (readable by any local user with ps).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A page, readable by this user only (mkdtemp makes its folder 0700), that forwards to the
 * launch URL: Chromium's command line then names a file, not the code.
 */
export function writeLauncherPage(dir, url) {
  const file = join(dir, 'open-affect-relearn.html');
  const href = url.replaceAll('&', '&amp;').replaceAll('"', '&quot;');
  writeFileSync(file, `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${href}"><title>affect-relearn</title><a href="${href}">Open affect-relearn</a>\n`, { mode: 0o600 });
  return pathToFileURL(file).href;
}
