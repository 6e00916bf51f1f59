/**
 * `affect-relearn serve --project F`: opens a project and serves it in browser mode, printing
 * the full URL (token included) on stdout so a script or a person can open it. Resolves with
 * the running server; the caller keeps the process alive and calls close() on exit.
 */
import { AppService } from '../service/app-service.ts';
import { startServer, type RunningServer } from './start-server.ts';

export interface ServeOptions {
  port?: number;
  /** Create the demo project at projectPath when it does not exist. */
  demo?: boolean;
  /** Where the URL line goes (default stdout). */
  out?: NodeJS.WritableStream;
}

export async function serveProject(projectPath: string | null, options: ServeOptions = {}): Promise<RunningServer & { service: AppService }> {
  const service = new AppService({ transport: 'browser' });
  try {
    if (options.demo) await service.openDemo(projectPath ?? undefined);
    else if (projectPath) await service.openProject(projectPath);
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
