// The Evaluation view's state: the trained models, the chosen model and split, its result,
// and a second model for side-by-side comparison on the same split.
import type { EvaluationLabels, EvaluationResult, ImportPredictionsResult, ModelComparison, ModelInfo } from '../../api/contract.ts';
import { CLASS_NAMES, type ModelId, type Split } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import { openReviewWith } from './annotators-review-link.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export class EvaluationState {
  models = $state<ModelInfo[]>([]);
  modelId = $state<ModelId | null>(null);
  compareId = $state<ModelId | null>(null);
  split = $state<Split>('test');
  result = $state<EvaluationResult | null>(null);
  compare = $state<EvaluationResult | null>(null);
  /** The two models paired face by face, against `comparisonLabels`. */
  comparison = $state<ModelComparison | null>(null);
  comparisonLabels = $state<EvaluationLabels>('published');
  busy = $state(false);
  /** Another model's predictions being imported (a CSV on the back-end machine), and the last result. */
  importing = $state(false);
  imported = $state<ImportPredictionsResult | null>(null);
  #started = false;

  start(): void {
    if (this.#started) return;
    this.#started = true;
    on('training:done', () => void this.refresh());
    on('project:changed', () => {
      this.modelId = this.compareId = null;
      this.result = this.compare = null;
      this.imported = null;
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
      this.comparison = null;
      if (b) await this.loadComparison(this.comparisonLabels);
    } catch (e) {
      toasts.error('Evaluation', e);
    } finally {
      this.busy = false;
    }
  }

  /**
   * Imports another model's class probabilities as a model of the project (evaluated and scored
   * by the service), then picks it here so it can be evaluated and compared at once.
   */
  async importPredictions(path: string, name: string, outOfSample: boolean): Promise<void> {
    if (this.importing) return;
    this.importing = true;
    try {
      const r = await call('models.importPredictions', { path, ...(name ? { name } : {}), trainPredictions: outOfSample ? 'out-of-sample' : 'in-sample' });
      this.imported = r;
      await this.refresh();
      this.modelId = r.modelId;
      if (r.evaluations.some((e) => e.split === this.split) === false && r.evaluations.length) this.split = r.evaluations[0].split;
      toasts.push('success', 'Predictions imported', `#${r.modelId} ${r.name}: ${r.rows} faces${r.rejected ? `, ${r.rejected} ${r.rejected === 1 ? 'row' : 'rows'} rejected` : ''}. Review can now sort by it (Model menu).`);
    } catch (e) {
      toasts.error("Importing the model's predictions", e);
    } finally {
      this.importing = false;
    }
  }

  /** Pairs the two evaluated models on the same faces (McNemar's test) against `labels`. */
  async loadComparison(labels: EvaluationLabels): Promise<void> {
    const a = this.result;
    const b = this.compare;
    if (!a || !b) return;
    this.comparisonLabels = labels;
    try {
      const c = await call('evaluation.compare', { modelId: a.modelId, otherModelId: b.modelId, split: a.split, labels });
      if (this.result === a && this.compare === b && this.comparisonLabels === labels) this.comparison = c;
    } catch (e) {
      toasts.error('Comparing the models', e);
    }
  }

  /** Opens the faces of one confusion-matrix cell in Review, with the model's scores beside them. */
  async openCell(result: EvaluationResult, labels: EvaluationLabels, truth: number, predicted: number): Promise<void> {
    const p = { modelId: result.modelId, split: result.split, labels, truth, predicted };
    const where = `${this.modelName(result.modelId)}: ${CLASS_NAMES[truth]} → ${CLASS_NAMES[predicted]} (true → predicted, ${labels} labels, ${result.split})`;
    try {
      const { sampleIds } = await call('evaluation.cellFaces', p);
      if (sampleIds.length === 0) {
        toasts.push('info', 'No faces', `${where}: none.`);
        return;
      }
      openReviewWith({ title: where, sampleIds, modelId: result.modelId });
    } catch (e) {
      toasts.error('Listing the faces of the cell', e);
    }
  }

  modelName(id: ModelId | null): string {
    const m = this.models.find((x) => x.id === id);
    return m ? `#${m.id} ${m.name}` : '–';
  }
}

export const evaluation = new EvaluationState();
