// The Evaluation view's state: the trained models, the chosen model and split, its result,
// and a second model for side-by-side comparison on the same split.
import type { EvaluationResult, ModelInfo } from '../../api/contract.ts';
import type { ModelId, Split } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import { toasts } from './toasts.svelte.ts';

export class EvaluationState {
  models = $state<ModelInfo[]>([]);
  modelId = $state<ModelId | null>(null);
  compareId = $state<ModelId | null>(null);
  split = $state<Split>('test');
  result = $state<EvaluationResult | null>(null);
  compare = $state<EvaluationResult | null>(null);
  busy = $state(false);
  #started = false;

  start(): void {
    if (this.#started) return;
    this.#started = true;
    on('training:done', () => void this.refresh());
    on('project:changed', () => {
      this.modelId = this.compareId = null;
      this.result = this.compare = null;
      void this.refresh();
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.models = (await call('models.list', {})).sort((a, b) => b.id - a.id);
      if (this.modelId === null || !this.models.some((m) => m.id === this.modelId)) this.modelId = this.models[0]?.id ?? null;
    } catch (e) {
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Listing models', e);
      this.models = [];
    }
  }

  /** Evaluates the chosen model (and the comparison model, if any) on the chosen split. */
  async run(): Promise<void> {
    if (this.modelId === null) return;
    this.busy = true;
    const split = this.split;
    try {
      const [a, b] = await Promise.all([
        call('evaluation.run', { modelId: this.modelId, split }),
        this.compareId !== null && this.compareId !== this.modelId ? call('evaluation.run', { modelId: this.compareId, split }) : Promise.resolve(null),
      ]);
      this.result = a;
      this.compare = b;
    } catch (e) {
      toasts.error('Evaluation', e);
    } finally {
      this.busy = false;
    }
  }

  modelName(id: ModelId | null): string {
    const m = this.models.find((x) => x.id === id);
    return m ? `#${m.id} ${m.name}` : '–';
  }
}

export const evaluation = new EvaluationState();
