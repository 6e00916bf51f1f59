// "Analyse this model" in Review: the parent models without scores yet (so the queue cannot use
// them), each with the estimated duration of a default k-fold analysis, the one the reviewer
// picked (waiting for confirmation), and the start of its analysis. When an analysis finishes
// the queue's model list is re-read, so the new scores are offered without a reload.
import type { AnalysableModel } from '../../api/contract.ts';
import { call, on } from '../lib/api.ts';
import { estimateText } from '../lib/analysis-choice.ts';
import { app } from './app-state.svelte.ts';
import { review } from './review-queue.svelte.ts';
import { toasts } from './toasts.svelte.ts';

class ReviewAnalysis {
  /** Parent models with no scores in the queue's options. */
  unscored = $state<AnalysableModel[]>([]);
  /** The model chosen in the menu, shown with its estimate until started or dismissed. */
  pending = $state<AnalysableModel | null>(null);
  /** Jobs started here that have not finished. */
  running = $state<Record<string, number>>({});
  #listening = false;

  async refresh(): Promise<void> {
    if (!this.#listening) {
      this.#listening = true;
      on('analysis:done', (d) => {
        if (!(d.jobId in this.running)) return;
        const { [d.jobId]: _done, ...rest } = this.running;
        this.running = rest;
        if (d.status === 'done') {
          toasts.push('success', 'Analysis finished', `Model #${d.modelId} now has scores: choose it in the Model menu.`);
          void this.reloadOptions();
        }
      });
    }
    try {
      const all = await call('analysis.models', {});
      const scored = new Set((review.options?.models ?? []).map((m) => m.id));
      this.unscored = all.filter((m) => !scored.has(m.modelId));
    } catch {
      this.unscored = [];
    }
  }

  private async reloadOptions(): Promise<void> {
    try {
      review.options = await call('faces.reviewOptions', {});
    } catch (e) {
      toasts.error('Reading the scored models', e);
    }
    await this.refresh();
  }

  choose(modelId: number): void {
    this.pending = this.unscored.find((m) => m.modelId === modelId) ?? null;
  }

  async start(): Promise<void> {
    const m = this.pending;
    if (!m) return;
    this.pending = null;
    try {
      const { jobId } = await call('analysis.start', { modelId: m.modelId, folds: m.estimate.folds });
      this.running = { ...this.running, [jobId]: m.modelId };
      app.setJob({ key: `analysis-${jobId}`, label: 'Analysis', done: 0, total: m.estimate.folds });
      toasts.push('info', 'Analysis started', `Model #${m.modelId}, ${m.estimate.folds} folds: ${estimateText(m.estimate)}. Review offers its scores when it finishes.`);
    } catch (e) {
      toasts.error('Starting the analysis', e);
    }
  }
}

export const reviewAnalysis = new ReviewAnalysis();
