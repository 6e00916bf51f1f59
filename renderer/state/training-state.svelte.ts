// The Training view's state: the form per model kind, the runs (past and live), and the live
// progress of running ones. Live runs are kept current from training:* events, and re-read
// with training.get when they end, so what is shown is what the database holds.
import type { EpochRecord, ModelKind, StructureEvent, TrainingProgressEvent, TrainingRunInfo } from '../../api/contract.ts';
import type { RunId } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import { KIND_SPECS, parseTrainingForm, type FormValues, type MethodValues } from '../lib/training-form.ts';
import { app } from './app-state.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export class TrainingState {
  runs = $state<TrainingRunInfo[]>([]);
  selectedId = $state<RunId | null>(null);
  progress = $state<Record<number, TrainingProgressEvent>>({});
  /** Runs asked to stop whose worker has not ended yet: shown as "cancelling" from the click on. */
  cancelling = $state<Record<number, true>>({});
  kind = $state<ModelKind>('adbn');
  values = $state<Record<ModelKind, FormValues>>(
    Object.fromEntries(KIND_SPECS.map((s) => [s.kind, { ...s.defaults }])) as Record<ModelKind, FormValues>,
  );
  /** The METHOD constants per kind, prefilled with their defaults. */
  methodValues = $state<Record<ModelKind, MethodValues>>(
    Object.fromEntries(KIND_SPECS.map((s) => [s.kind, { ...s.methodDefaults }])) as Record<ModelKind, MethodValues>,
  );
  formError = $state<{ field: string; message: string } | null>(null);
  busy = $state(false);
  selected = $derived(this.runs.find((r) => r.id === this.selectedId) ?? null);
  #started = false;
  #reloaded = new Set<number>();

  start(): void {
    if (this.#started) return;
    this.#started = true;
    on('training:progress', (p) => {
      this.progress[p.runId] = p;
      const run = this.runs.find((r) => r.id === p.runId);
      // Unknown run (started elsewhere), or one read before its worker chose a backend.
      if ((!run || !run.backend) && !this.#reloaded.has(p.runId)) {
        this.#reloaded.add(p.runId);
        void this.load(p.runId);
      }
    });
    on('training:epoch', ({ runId, epoch }) => this.#withRun(runId, (r) => addEpoch(r, epoch)));
    on('training:structure', ({ runId, event }) => this.#withRun(runId, (r) => addEvent(r, event)));
    on('training:done', ({ runId, status, error }) => {
      delete this.progress[runId];
      // The event's status at once (the re-read below follows), so "cancelling" turns into
      // "cancelled" and never back into "running" for a moment.
      const known = this.runs.find((x) => x.id === runId);
      if (known) known.status = status;
      delete this.cancelling[runId];
      if (status === 'failed') toasts.push('error', `Training #${runId} failed`, error ?? 'no reason given');
      else toasts.push(status === 'done' ? 'success' : 'info', `Training #${runId} ${status}`, '');
      void this.load(runId).then(() => {
        // The event is the word on how the job ended; a run that failed before it started
        // may still read as running in the database.
        const r = this.runs.find((x) => x.id === runId);
        if (r && r.status === 'running') {
          r.status = status;
          r.error ??= error;
        }
      });
    });
    // Analyses and re-learning are runs too: list them when they end.
    on('analysis:done', () => void this.refresh());
    on('relearn:done', () => void this.refresh());
    on('project:changed', () => {
      this.selectedId = null;
      void this.refresh();
    });
    void this.refresh();
  }

  #withRun(runId: RunId, fn: (r: TrainingRunInfo) => void): void {
    const r = this.runs.find((x) => x.id === runId);
    if (r) fn(r);
    else void this.load(runId);
  }

  async refresh(): Promise<void> {
    try {
      const runs = await call('training.list', {});
      this.runs = runs.sort((a, b) => b.id - a.id);
      if (this.selectedId === null && this.runs.length) this.selectedId = this.runs[0].id;
    } catch (e) {
      // Without a project there are no runs; that is not an error worth a message.
      if ((e as { code?: string }).code !== 'no_project') toasts.error('Listing training runs', e);
      this.runs = [];
    }
  }

  async load(runId: RunId): Promise<void> {
    try {
      const run = await call('training.get', { runId });
      const i = this.runs.findIndex((r) => r.id === runId);
      if (i === -1) this.runs = [run, ...this.runs].sort((a, b) => b.id - a.id);
      else this.runs[i] = run;
    } catch (e) {
      toasts.error(`Reading training run #${runId}`, e);
    }
  }

  async startRun(): Promise<void> {
    const parsed = parseTrainingForm(this.kind, this.values[this.kind], this.methodValues[this.kind]);
    if (!parsed.ok) {
      this.formError = { field: parsed.field, message: parsed.message };
      return;
    }
    this.formError = null;
    this.busy = true;
    try {
      const { runId } = await call('training.start', { modelKind: this.kind, options: parsed.options });
      announce(runId);
      this.selectedId = runId;
      await this.load(runId);
    } catch (e) {
      toasts.error('Start training', e);
    } finally {
      this.busy = false;
    }
  }

  async cancel(runId: RunId): Promise<void> {
    this.cancelling[runId] = true;
    try {
      // false: no worker to stop (it ended meanwhile); training:done or a re-read says how.
      if (!(await call('training.cancel', { runId })).cancelled) {
        delete this.cancelling[runId];
        await this.load(runId);
      }
    } catch (e) {
      delete this.cancelling[runId];
      toasts.error(`Cancel training #${runId}`, e);
    }
  }

  async resume(runId: RunId): Promise<void> {
    try {
      await call('training.resume', { runId });
      announce(runId);
      this.selectedId = runId;
      await this.load(runId);
    } catch (e) {
      toasts.error(`Resume training #${runId}`, e);
    }
  }

  resetForm(): void {
    const spec = KIND_SPECS.find((s) => s.kind === this.kind);
    if (spec) {
      this.values[this.kind] = { ...spec.defaults };
      this.methodValues[this.kind] = { ...spec.methodDefaults };
    }
    this.formError = null;
  }
}

/** Puts a run in the header's job list at once; its progress events replace this, training:done removes it. */
function announce(runId: RunId): void {
  app.setJob({ key: `run-${runId}`, label: `Training #${runId} · starting`, done: 0, total: null });
}

/** Adds or replaces an epoch (a resumed run may repeat the epoch it stopped in). */
export function addEpoch(run: TrainingRunInfo, epoch: EpochRecord): void {
  const i = run.epochs.findIndex((e) => e.epoch === epoch.epoch);
  if (i === -1) run.epochs.push(epoch);
  else run.epochs[i] = epoch;
}

export function addEvent(run: TrainingRunInfo, event: StructureEvent): void {
  const dup = run.structureEvents.some((e) => e.epoch === event.epoch && e.layer === event.layer && e.kind === event.kind);
  if (!dup) run.structureEvents.push(event);
}

export const training = new TrainingState();
