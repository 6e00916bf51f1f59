// `serve`: browser mode for a remote GPU box or a machine without Electron. Prints the full
// one-time login URL on stdout and serves until Ctrl+C.
import { resolve } from 'node:path';
import { serveProject } from '../../electron/server/serve-project.ts';
import { CliError } from '../cli-error.ts';
import type { Command } from '../command.ts';

export const serveCommand: Command = {
  summary: 'serve the app in browser mode on 127.0.0.1 (prints a one-time login URL)',
  usage: `affect-relearn serve --project <file> [--port N]

Listens on 127.0.0.1 only. The printed URL logs one browser in, once (it sets a session cookie and
drops the code from the address bar); restart for a new one. To use it from another machine,
forward the port over SSH (ssh -L 8080:127.0.0.1:8080 gpu-box) and open the URL.`,
  options: { project: { type: 'string' }, port: { type: 'string' }, demo: { type: 'boolean', default: false } },
  async run(values) {
    const port = values.port === undefined ? 0 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port must be an integer 0..65535, got ${String(values.port)}`, 2);
    const project = typeof values.project === 'string' ? resolve(values.project) : null;
    if (!project && !values.demo) throw new CliError(`serve needs --project <file> or --demo\n\n${this.usage}`, 2);
    const running = await serveProject(project, { port, demo: Boolean(values.demo) });
    await new Promise<void>((done) => {
      const stop = () => void running.close().then(done, done);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return { json: { url: running.url, stopped: true }, text: 'stopped' };
  },
};
