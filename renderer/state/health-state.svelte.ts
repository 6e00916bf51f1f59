// The Project view's dataset-health state: the latest stored report, computing a new one, and
// opening the faces behind one finding in Review (through the same hand-over as the Annotators view).
import type { HealthFinding, HealthProgressEvent, HealthReport } from '../../api/contract.ts';
import { call, on } from '../lib/api.ts';
import { openReviewWith } from './annotators-review-link.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export const FINDING_TITLES: Record<HealthFinding, string> = {
  exactDuplicates: 'Exact duplicates (each group together)',
  crossSplitDuplicates: 'Exact duplicates across splits',
  nearDuplicates: 'Near-duplicates (pairs together)',
  blank: 'Blank faces',
  lowContrast: 'Low-contrast faces',
  dark: 'Very dark faces',
  outliers: 'Most outlying faces',
};

export class HealthState {
  report = $state<HealthReport | null>(null);
  computing = $state(false);
  /** The latest progress of the computation under way. */
  progress = $state<HealthProgressEvent | null>(null);
  #started = false;

  start(): void {
    if (!this.#started) {
      this.#started = true;
      on('project:changed', () => {
        this.report = null;
        void this.refresh();
      });
      on('import:done', () => void this.refresh());
      on('health:progress', (p) => {
        if (this.computing) this.progress = p;
      });
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.report = await call('health.latest', {});
    } catch (e) {
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Dataset health', e);
      this.report = null;
    }
  }

  async compute(nearThreshold?: number): Promise<void> {
    this.computing = true;
    this.progress = null;
    try {
      this.report = await call('health.compute', nearThreshold === undefined ? {} : { nearThreshold });
    } catch (e) {
      toasts.error('Checking dataset health', e);
    } finally {
      this.computing = false;
      this.progress = null;
    }
  }

  async open(finding: HealthFinding): Promise<void> {
    try {
      const { sampleIds } = await call('health.faces', { finding });
      if (sampleIds.length === 0) {
        toasts.push('info', 'No faces', `${FINDING_TITLES[finding]}: none in this project.`);
        return;
      }
      openReviewWith({ title: FINDING_TITLES[finding], sampleIds });
    } catch (e) {
      toasts.error('Listing the faces of the finding', e);
    }
  }
}

export const health = new HealthState();
