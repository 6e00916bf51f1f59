import type { Command } from '../command.ts';
import { demoCommand, importCommand, infoCommand } from './project-commands.ts';
import { exportCommand } from './export-commands.ts';
import { serveCommand } from './serve-command.ts';
import { evaluateCommand, modelsCommand, trainCommand } from './training-commands.ts';

export const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  import: importCommand,
  info: infoCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  models: modelsCommand,
  export: exportCommand,
  serve: serveCommand,
};
