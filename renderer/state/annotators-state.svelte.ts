// The Annotators view's state: the project's annotator statistics (identified annotators and
// FER+ vote counts), the annotator whose confusion matrix is shown, and opening the faces of
// one matrix cell in the review queue.
import type { AnnotatorStatsResult } from '../../api/contract.ts';
import { CLASS_NAMES, type ClassId } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import { openReviewWith } from './annotators-review-link.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export class AnnotatorsState {
  stats = $state<AnnotatorStatsResult | null>(null);
  selected = $state<string | null>(null);
  loading = $state(false);
  #started = false;

  start(): void {
    if (!this.#started) {
      this.#started = true;
      on('project:changed', () => {
        this.stats = null;
        this.selected = null;
        void this.refresh();
      });
      on('import:done', () => void this.refresh());
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    this.loading = true;
    try {
      this.stats = await call('annotators.stats', {});
      const names = this.stats.identified?.annotators.map((a) => a.name) ?? [];
      if (this.selected === null || !names.includes(this.selected)) this.selected = names[0] ?? null;
    } catch (e) {
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Annotator statistics', e);
      this.stats = null;
    } finally {
      this.loading = false;
    }
  }

  get current() {
    return this.stats?.identified?.annotators.find((a) => a.name === this.selected) ?? null;
  }

  /** Lists the faces where `annotator` said `label` while the other annotators' consensus was `consensus`. */
  async openCell(annotator: string, consensus: ClassId, label: ClassId): Promise<void> {
    try {
      const { sampleIds } = await call('annotators.faces', { annotator, consensus, label });
      if (sampleIds.length === 0) {
        toasts.push('info', 'No faces', `${annotator} never said ${CLASS_NAMES[label]} where the others said ${CLASS_NAMES[consensus]}.`);
        return;
      }
      openReviewWith({ title: `${annotator} said ${CLASS_NAMES[label]} where the others said ${CLASS_NAMES[consensus]}`, sampleIds });
    } catch (e) {
      toasts.error('Listing the faces of the cell', e);
    }
  }
}

export const annotators = new AnnotatorsState();
