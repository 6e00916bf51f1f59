// The Re-learn view's state (METHOD.md 6): the parent model, its latest analysis (k-fold
// out-of-sample confusion groups) or the running analysis job, the groups picked for child
// models, the running re-learning job, the before/after report, the faces the children
// changed, and the adopt / discard decision.
import type { AnalysisEstimate, AnalysisSummary, ChangeKind, ChangedFace, CombineRule, ModelInfo, RelearnReport } from '../../api/contract.ts';
import type { ModelId } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import { estimateText, latestAnalysedModel } from '../lib/analysis-choice.ts';
import { app } from './app-state.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export interface JobProgress {
  jobId: string;
  stage: string;
  message: string;
  done: number;
  total: number | null;
}

export const CHANGED_PAGE = 48;

export class RelearnState {
  parents = $state<ModelInfo[]>([]);
  parentId = $state<ModelId | null>(null);
  analysis = $state<AnalysisSummary | null>(null);
  analysisJob = $state<JobProgress | null>(null);
  folds = $state(5);
  nMin = $state(30);
  /** Names of the confusion groups picked for children ("disgust>anger"). */
  picked = $state<string[]>([]);
  childEpochs = $state(10);
  /** Child learning rate / parent's (METHOD.md 6.4: 0.1). */
  childLrScale = $state(0.1);
  /** Correct faces of a pair's two classes replayed per case. */
  replayRatio = $state(1);
  /** How parent and children answer together; every rule is measured either way. */
  combine = $state<CombineRule>('kl-argmax');
  relearnJob = $state<JobProgress | null>(null);
  report = $state<RelearnReport | null>(null);
  changeSplit = $state<'valid' | 'test'>('valid');
  change = $state<ChangeKind>('wrong-to-right');
  changed = $state<{ total: number; items: ChangedFace[] } | null>(null);
  busy = $state(false);
  /** How long an analysis of the parent with `folds` folds would take. */
  estimate = $state<AnalysisEstimate | null>(null);
  #started = false;

  start(): void {
    if (!this.#started) {
      this.#started = true;
      on('project:changed', () => {
        this.parentId = null;
        this.analysis = this.report = this.changed = null;
        this.analysisJob = this.relearnJob = null;
        void this.refresh();
      });
      on('training:done', () => void this.refresh());
      on('analysis:progress', (p) => {
        if (this.analysisJob?.jobId === p.jobId) this.analysisJob = { jobId: p.jobId, stage: p.stage, message: p.message, done: p.done, total: p.total };
      });
      on('analysis:done', (d) => {
        if (this.analysisJob?.jobId !== d.jobId) return;
        this.analysisJob = null;
        if (d.status === 'done') toasts.push('success', 'Analysis finished', `Model #${d.modelId}: out-of-sample predictions and confusion groups are ready.`);
        else if (d.status === 'cancelled') toasts.push('info', 'Analysis cancelled', `Model #${d.modelId}: the previous analysis, if any, still stands.`);
        void this.loadParent();
      });
      on('relearn:progress', (p) => {
        if (this.relearnJob?.jobId === p.jobId) this.relearnJob = { jobId: p.jobId, stage: p.stage, message: p.message, done: p.done, total: p.total };
      });
      on('relearn:done', (d) => {
        if (this.relearnJob?.jobId !== d.jobId) return;
        this.relearnJob = null;
        if (d.status === 'done') toasts.push('success', 'Re-learning finished', 'Children trained; parent and parent + children evaluated on valid and test.');
        else if (d.status === 'cancelled') toasts.push('info', 'Re-learning cancelled', 'No child of this run is used.');
        void this.refresh();
      });
    }
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.parents = (await call('relearn.parents', {})).sort((a, b) => b.id - a.id);
      if (this.parentId === null || !this.parents.some((m) => m.id === this.parentId)) {
        // Open on the model with the latest analysis: that is where the work continues.
        const analysed = latestAnalysedModel(await call('analysis.models', {}));
        this.parentId = analysed !== null && this.parents.some((m) => m.id === analysed) ? analysed : (this.parents[0]?.id ?? null);
      }
      await this.attachRunningJobs();
      await this.loadParent();
    } catch (e) {
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Listing parent models', e);
      this.parents = [];
    }
  }

  /** Follows the jobs already running (e.g. after a reload of the page): their parent is shown. */
  async attachRunningJobs(): Promise<void> {
    const jobs = await call('analysis.jobs', {});
    for (const j of jobs) {
      const progress = { jobId: j.jobId, stage: j.stage, message: j.message, done: j.done, total: j.total };
      if (j.kind === 'analysis' && !this.analysisJob) {
        this.analysisJob = progress;
        // An analysis reports folds as its total: show the k it runs with.
        if (j.total !== null) this.folds = j.total;
      }
      if (j.kind === 'relearn' && !this.relearnJob) this.relearnJob = progress;
      if (this.parents.some((m) => m.id === j.modelId)) this.parentId = j.modelId;
    }
  }

  async selectParent(id: ModelId | null): Promise<void> {
    this.parentId = id;
    this.analysis = this.report = this.changed = null;
    await this.loadParent();
  }

  /** Reads the parent's latest analysis and re-learning. */
  async loadParent(): Promise<void> {
    const id = this.parentId;
    if (id === null) return;
    try {
      const [analysis, report] = await Promise.all([call('analysis.latest', { modelId: id }), call('relearn.latest', { parentModelId: id })]);
      if (id !== this.parentId) return;
      this.analysis = analysis;
      if (analysis) {
        this.nMin = analysis.groups.nMin;
        const names = analysis.groups.groups.map((g) => g.name);
        const still = this.picked.filter((n) => names.includes(n));
        this.picked = still.length ? still : analysis.groups.groups.filter((g) => g.kept).map((g) => g.name);
      }
      this.report = report;
      this.changed = null;
      if (report) await this.loadChanged();
    } catch (e) {
      toasts.error('Reading the analysis', e);
    }
  }

  /** Reads the estimate for the parent and k shown (they change while the form is edited). */
  async loadEstimate(): Promise<void> {
    const modelId = this.parentId;
    const folds = this.folds;
    if (modelId === null || !Number.isInteger(folds) || folds < 1 || folds > 20) {
      this.estimate = null;
      return;
    }
    try {
      const e = await call('analysis.estimate', { modelId, folds });
      if (modelId === this.parentId && folds === this.folds) this.estimate = e;
    } catch {
      this.estimate = null;
    }
  }

  async startAnalysis(): Promise<void> {
    if (this.parentId === null) return;
    try {
      const { jobId } = await call('analysis.start', { modelId: this.parentId, folds: this.folds, nMin: this.nMin });
      if (this.estimate && this.estimate.modelId === this.parentId && this.estimate.folds === this.folds) {
        toasts.push('info', 'Analysis started', `Model #${this.parentId}, ${this.folds} folds: ${estimateText(this.estimate)}.`);
      }
      this.analysisJob = { jobId, stage: 'start', message: 'starting', done: 0, total: this.folds };
      // In the header from the start, not from the first fold's first epoch.
      app.setJob({ key: `analysis-${jobId}`, label: 'Analysis', done: 0, total: this.folds });
    } catch (e) {
      toasts.error('Starting the analysis', e);
    }
  }

  toggle(name: string): void {
    this.picked = this.picked.includes(name) ? this.picked.filter((n) => n !== name) : [...this.picked, name];
  }

  async startRelearn(): Promise<void> {
    if (this.parentId === null || !this.analysis) return;
    const groups = this.analysis.groups.groups.filter((g) => this.picked.includes(g.name)).map((g) => ({ given: g.given, predicted: g.predicted }));
    if (groups.length === 0) return;
    try {
      const { jobId } = await call('relearn.start', { parentModelId: this.parentId, groups, nMin: this.nMin, epochs: this.childEpochs, learningRateScale: this.childLrScale, replayRatio: this.replayRatio, combine: this.combine });
      this.relearnJob = { jobId, stage: 'start', message: 'starting', done: 0, total: groups.length };
      app.setJob({ key: `relearn-${jobId}`, label: 'Re-learning', done: 0, total: groups.length });
    } catch (e) {
      toasts.error('Starting the re-learning', e);
    }
  }

  /** Asks the running analysis or re-learning job to stop. */
  async cancel(which: 'analysis' | 'relearn'): Promise<void> {
    const job = which === 'analysis' ? this.analysisJob : this.relearnJob;
    if (!job) return;
    try {
      await call('analysis.cancel', { jobId: job.jobId });
      job.message = 'stopping after the current batch…';
    } catch (e) {
      toasts.error('Cancelling', e);
    }
  }

  async loadChanged(offset = 0): Promise<void> {
    if (!this.report) return;
    try {
      const page = await call('relearn.changedFaces', { runId: this.report.runId, split: this.changeSplit, change: this.change, offset, limit: CHANGED_PAGE });
      this.changed = offset === 0 || !this.changed ? page : { total: page.total, items: [...this.changed.items, ...page.items] };
    } catch (e) {
      toasts.error('Listing the changed faces', e);
    }
  }

  async decide(decision: 'adopted' | 'discarded', acceptWorse = false): Promise<void> {
    if (!this.report) return;
    this.busy = true;
    try {
      this.report = await call('relearn.decide', { runId: this.report.runId, decision, ...(acceptWorse ? { acceptWorse } : {}) });
      toasts.push('success', decision === 'adopted' ? 'Children adopted' : 'Children discarded', `${this.report.children.length} child model(s) of #${this.report.parentModelId} are now ${decision}.`);
    } catch (e) {
      toasts.error('Recording the decision', e);
    } finally {
      this.busy = false;
    }
  }
}

export const relearn = new RelearnState();
