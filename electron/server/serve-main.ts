// Process entry for browser mode, started by scripts/start.mjs as
// `node --import tsx electron/server/serve-main.ts [--project F | --demo] [--port N]`.
// Prints the URL as its first stdout line and serves until SIGINT/SIGTERM.
import { serveProject } from './serve-project.ts';

function arg(name: string): string | null {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : null;
}

const portText = arg('--port');
const port = portText === null ? 0 : Number(portText);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port must be an integer 0..65535, got ${JSON.stringify(portText)}\n`);
  process.exit(2);
}

try {
  const running = await serveProject(arg('--project'), { port, demo: process.argv.includes('--demo') });
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (e) {
  process.stderr.write(`affect-relearn: cannot start browser mode: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}
