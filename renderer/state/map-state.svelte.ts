// The Map view's state, kept across view switches: which map (the pixels' or a model's), the
// loaded points, the colouring, the running map job (from map:progress / map:done) and the
// selection. Returning from Review re-reads the current labels, so relabels recolour the map
// without reloading its points.
import type { FaceMap, MapInfo, MapScore, ModelInfo } from '../../api/contract.ts';
import type { ModelId, SampleId } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import type { ColorBy } from '../lib/map-points.ts';
import { openReviewWith } from './annotators-review-link.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export interface MapJob {
  jobId: string;
  modelId: ModelId | null;
  message: string;
  done: number;
  total: number | null;
}

/** The most faces one hand-over to Review may carry (the contract's list limit). */
export const MAX_REVIEW_FACES = 50_000;

export class MapState {
  models = $state<ModelInfo[]>([]);
  maps = $state<MapInfo[]>([]);
  /** Whose map is shown: a model's (UMAP of its features) or null for the pixels (PCA). */
  source = $state<ModelId | null>(null);
  map = $state.raw<FaceMap | null>(null);
  colorBy = $state<ColorBy>('current');
  score = $state<MapScore>('kl_annotator');
  job = $state<MapJob | null>(null);
  /** Indices into map.ids of the lassoed or boxed faces. */
  selected = $state.raw<number[]>([]);
  loading = $state(false);
  #started = false;

  start(): void {
    if (!this.#started) {
      this.#started = true;
      on('project:changed', () => {
        this.map = null;
        this.selected = [];
        this.source = null;
        void this.refresh();
      });
      on('training:done', () => void this.refreshLists());
      on('map:progress', (p) => (this.job = { jobId: p.jobId, modelId: p.modelId, message: p.message, done: p.done, total: p.total }));
      on('map:done', (d) => {
        if (this.job?.jobId === d.jobId || this.job === null) this.job = null;
        if (d.status === 'failed') toasts.push('error', 'Face map', d.error ?? 'the map could not be computed');
        if (d.status === 'done') {
          toasts.push('info', 'Face map', `computed in ${d.seconds.toFixed(1)} s`);
          if (d.modelId === this.source) void this.loadMap();
          void this.refreshLists();
        }
      });
      void this.refresh();
    } else if (this.map) {
      // Back from another view (Review): labels may have changed since the points were read.
      void this.refreshLabels();
    } else void this.refresh();
  }

  async refresh(): Promise<void> {
    await this.refreshLists();
    await this.loadMap();
  }

  async refreshLists(): Promise<void> {
    try {
      const [models, maps] = await Promise.all([call('models.list', {}), call('map.list', {})]);
      this.models = models;
      this.maps = maps;
    } catch (e) {
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Face map', e);
    }
  }

  async loadMap(): Promise<void> {
    this.loading = true;
    try {
      const needScore = this.colorBy === 'score' && this.source !== null;
      this.map = await call('map.get', { modelId: this.source, ...(needScore ? { score: this.score } : {}) });
      this.selected = [];
    } catch (e) {
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Loading the face map', e);
      this.map = null;
    } finally {
      this.loading = false;
    }
  }

  async refreshLabels(): Promise<void> {
    const map = this.map;
    if (!map) return;
    try {
      const { ids, current } = await call('map.currentLabels', {});
      const byId = new Map<number, number | null>();
      ids.forEach((id, i) => byId.set(id, current[i]));
      this.map = { ...map, current: map.ids.map((id) => byId.get(id) ?? null) };
    } catch (e) {
      toasts.error('Refreshing the labels of the map', e);
    }
  }

  setSource(source: ModelId | null): void {
    this.source = source;
    void this.loadMap();
  }

  setColor(by: ColorBy, score?: MapScore): void {
    this.colorBy = by;
    if (score) this.score = score;
    if (by === 'score') void this.loadMap();
  }

  async compute(): Promise<void> {
    try {
      const { jobId } = await call('map.start', { modelId: this.source });
      this.job = { jobId, modelId: this.source, message: 'starting', done: 0, total: null };
    } catch (e) {
      toasts.error('Computing the face map', e);
    }
  }

  async cancel(): Promise<void> {
    if (this.job) await call('map.cancel', { jobId: this.job.jobId });
  }

  /** Opens exactly the selected faces in Review. */
  reviewSelection(): void {
    const map = this.map;
    if (!map || this.selected.length === 0) return;
    if (this.selected.length > MAX_REVIEW_FACES) {
      toasts.push('error', 'Too many faces', `Select at most ${MAX_REVIEW_FACES.toLocaleString()} faces to review at once (${this.selected.length.toLocaleString()} are selected).`);
      return;
    }
    const sampleIds = this.selected.map((i) => map.ids[i] as SampleId);
    const what = this.source === null ? 'the pixel map' : `the map of model #${this.source}`;
    openReviewWith({ title: `${sampleIds.length} faces selected on ${what}`, sampleIds, modelId: this.source });
  }
}

export const faceMap = new MapState();
