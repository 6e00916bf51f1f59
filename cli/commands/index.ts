import type { Command } from '../command.ts';
import { demoCommand, importCommand, infoCommand } from './project-commands.ts';
import { exportCommand } from './export-commands.ts';
import { healthCommand } from './health-command.ts';
import { relabelCommand } from './relabel-command.ts';
import { serveCommand } from './serve-command.ts';
import { evaluateCommand, modelsCommand, trainCommand } from './training-commands.ts';
import { analyzeCommand, relearnCommand, reportCommand } from './analysis-commands.ts';

export const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  import: importCommand,
  info: infoCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  models: modelsCommand,
  analyze: analyzeCommand,
  relabel: relabelCommand,
  relearn: relearnCommand,
  report: reportCommand,
  export: exportCommand,
  health: healthCommand,
  serve: serveCommand,
};
