import type { Command } from '../command.ts';
import { demoCommand, importCommand, infoCommand } from './project-commands.ts';
import { exportCommand } from './export-commands.ts';
import { healthCommand } from './health-command.ts';
import { relabelCommand } from './relabel-command.ts';
import { serveCommand } from './serve-command.ts';
import { evaluateCommand, modelsCommand, trainCommand } from './training-commands.ts';
import { analyzeCommand, relearnCommand, reportCommand } from './analysis-commands.ts';
import { carveDevTestCommand } from './dev-test-command.ts';
import { simulateReviewCommand } from './simulate-command.ts';
import { importPredictionsCommand } from './import-predictions-command.ts';

export const COMMANDS: Record<string, Command> = {
  demo: demoCommand,
  import: importCommand,
  info: infoCommand,
  'carve-dev-test': carveDevTestCommand,
  train: trainCommand,
  evaluate: evaluateCommand,
  models: modelsCommand,
  'import-predictions': importPredictionsCommand,
  analyze: analyzeCommand,
  relabel: relabelCommand,
  relearn: relearnCommand,
  'simulate-review': simulateReviewCommand,
  report: reportCommand,
  export: exportCommand,
  health: healthCommand,
  serve: serveCommand,
};
