/**
 * `affect-relearn serve --project F` (and `npm start` in browser mode): opens a project and
 * serves it in browser mode, printing the full URL (token included) as one line on stdout so a
 * script or a person can open it; which project and why goes to stderr. Resolves with the
 * running server; the caller keeps the process alive and calls close() on exit.
 */
import { AppService } from '../service/app-service.ts';
import { openStartupProject } from '../service/startup-project.ts';
import { startServer, type RunningServer } from './start-server.ts';

export interface ServeOptions {
  port?: number;
  /** Open (creating on first use) the demo project instead. */
  demo?: boolean;
  /** Where the URL line goes (default stdout). */
  out?: NodeJS.WritableStream;
  /** Where the "opened X because Y" line goes (default stderr). */
  log?: NodeJS.WritableStream;
}

/**
 * With a path: that project. Without: the demo when `demo`, else the last project opened, else
 * the demo project in the user's data dir.
 */
export async function serveProject(projectPath: string | null, options: ServeOptions = {}): Promise<RunningServer & { service: AppService }> {
  const service = new AppService({ transport: 'browser' });
  try {
    const { info, why } = await openStartupProject(service, { project: projectPath, demo: options.demo });
    (options.log ?? process.stderr).write(`affect-relearn: opened ${info.path} (${why})\n`);
    const server = await startServer({ service, port: options.port ?? 0 });
    (options.out ?? process.stdout).write(`${server.url}\n`);
    return {
      ...server,
      service,
      close: async () => {
        await server.close();
        await service.dispose();
      },
    };
  } catch (e) {
    await service.dispose();
    throw e;
  }
}
