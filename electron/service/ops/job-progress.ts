/**
 * Progress of the analysis and re-learning jobs as the UI shows it: a stage, a message, and
 * done / total in whole steps (folds, children) so the percentage is of the whole job. Fold and
 * child indices arrive 0-based; `done` counts the steps finished before the current one.
 */
import type { AnalyzeProgress } from './analysis.ts';
import type { RelearnProgress } from './relearn.ts';

export interface Progress {
  stage: string;
  message: string;
  done: number;
  total: number | null;
}

export function analyzeProgress(p: AnalyzeProgress): Progress {
  // `fold` is 0-based: fold 0 has none finished (subtracting one showed -20%).
  if (p.stage === 'fold' && p.phase === 'reused') return { stage: 'fold', message: `fold ${p.fold + 1}/${p.folds} · finished by an interrupted analysis, reused`, done: p.fold, total: p.folds };
  if (p.stage === 'fold') return { stage: 'fold', message: `fold ${p.fold + 1}/${p.folds} · ${p.phase} · epoch ${p.epoch}`, done: p.fold, total: p.folds };
  if (p.stage === 'backend') return { stage: 'backend', message: `runtime ${p.name}`, done: 0, total: null };
  return { stage: p.stage, message: p.message, done: 0, total: null };
}

export function relearnProgress(p: RelearnProgress): Progress {
  if (p.stage === 'analyze') {
    const a = analyzeProgress(p.progress);
    return { ...a, stage: 'analyze', message: `analysis first: ${a.message}` };
  }
  if (p.stage === 'child') return { stage: 'child', message: `child ${p.group} (${p.index + 1}/${p.groups}) · epoch ${p.epoch}`, done: p.index, total: p.groups };
  return { stage: p.stage, message: p.message, done: 0, total: null };
}
