/**
 * Which project a launch opens, and why (the launcher prints the reason): an explicit
 * `--project`, the demo when `--demo` is given, else the last project that still exists, else
 * the demo project in the user's data dir (created on first use).
 */
import type { ProjectInfo } from '../../api/contract.ts';
import type { AppService } from './app-service.ts';

export interface StartupChoice {
  project?: string | null;
  demo?: boolean;
}

export async function openStartupProject(service: AppService, choice: StartupChoice): Promise<{ info: ProjectInfo; why: string }> {
  if (choice.project) return { info: await service.openProject(choice.project), why: 'the project given on the command line' };
  if (choice.demo) return { info: await service.openDemo(), why: '--demo' };
  const last = service.recent.last();
  if (last) {
    try {
      return { info: await service.openProject(last.path), why: 'the last project opened' };
    } catch (e) {
      process.stderr.write(`could not reopen ${last.path}: ${(e as Error).message}; opening the demo project instead\n`);
    }
  }
  return { info: await service.openDemo(), why: 'no earlier project: the demo project' };
}
