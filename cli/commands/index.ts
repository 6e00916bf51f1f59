import type { Command } from '../command.ts';
import { demoCommand, importCommand, infoCommand } from './project-commands.ts';

export const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  import: importCommand,
  info: infoCommand,
};
