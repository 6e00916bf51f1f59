// Which model an analysis view opens on, and an analysis estimate in words.
import type { AnalysableModel, AnalysisEstimate } from '../../api/contract.ts';
import type { ModelId } from '../../api/domain.ts';
import { formatDuration } from './format.ts';

/** The model whose analysis finished last (the work a person most likely continues); null when none was analysed. */
export function latestAnalysedModel(models: readonly AnalysableModel[]): ModelId | null {
  let best: AnalysableModel | null = null;
  for (const m of models) {
    if (!m.latest) continue;
    if (!best || m.latest.runId > best.latest!.runId) best = m;
  }
  return best ? best.modelId : null;
}

/** "about 4 min 10 s (5 folds, …)", or "unknown (why)". */
export function estimateText(e: AnalysisEstimate | null): string {
  if (!e) return '';
  if (e.seconds === null) return `unknown (${e.basis})`;
  if (e.seconds === 0) return 'a few seconds (in-sample: no model is trained)';
  return `about ${formatDuration(e.seconds)} (${e.basis})`;
}

/** "~4 min": the short form for a menu entry. */
export function estimateShort(e: AnalysisEstimate): string {
  if (e.seconds === null) return 'duration unknown';
  return `~${formatDuration(Math.max(e.seconds, 1))}`;
}
