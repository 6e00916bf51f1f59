// The shell's state: which view is shown, what the back end says about itself (version,
// engine runtime, open project), the connection, and the jobs running now (for the header's
// job indicator). Fed by `app.info`/`projects.current` and by the contract's events.
import type { AppInfo, ProjectInfo } from '../../api/contract.ts';
import { call, on, onConnection, type ConnectionState } from '../lib/api.ts';
import { loadLastView } from '../lib/last-view.ts';
import type { ViewId } from '../lib/shortcuts.ts';
import { toasts } from './toasts.svelte.ts';

export interface ActiveJob {
  key: string;
  label: string;
  done: number;
  total: number | null;
}

export class AppState {
  /** The view shown; a reload returns to the last one (lib/last-view.ts). */
  view = $state<ViewId>(loadLastView());
  info = $state<AppInfo | null>(null);
  project = $state<ProjectInfo | null>(null);
  connection = $state<ConnectionState>('connecting');
  helpOpen = $state(false);
  jobs = $state<ActiveJob[]>([]);
  #started = false;

  /** Subscribes to events and loads the first state; safe to call more than once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    onConnection((s) => {
      const wasClosed = this.connection === 'closed';
      this.connection = s;
      if (s === 'open' && wasClosed) void this.refresh();
    });
    on('project:changed', ({ project }) => {
      this.project = project;
      void this.refreshInfo();
    });
    on('project:progress', (p) => this.setJob({ key: 'project', label: p.stage, done: p.done, total: p.total }));
    on('import:progress', (p) => this.setJob({ key: `import-${p.jobId}`, label: 'Import', done: p.done, total: p.total }));
    on('import:done', (r) => this.endJob(`import-${r.jobId}`));
    on('training:progress', (p) =>
      // Progress of the whole run (epochs done and this one's share), not of the epoch in progress.
      this.setJob({ key: `run-${p.runId}`, label: `Training #${p.runId} · ${p.phase} · epoch ${p.epoch}/${p.plannedEpochs}`, done: p.epoch - 1 + (p.batches > 0 ? p.batch / p.batches : 0), total: p.plannedEpochs }),
    );
    on('training:done', (d) => {
      this.endJob(`run-${d.runId}`);
      // The first job chooses the engine runtime: the header should now name it.
      void this.refreshInfo();
    });
    on('analysis:progress', (p) => this.setJob({ key: `analysis-${p.jobId}`, label: 'Analysis', done: p.done, total: p.total }));
    on('analysis:done', (d) => this.endJob(`analysis-${d.jobId}`));
    on('relearn:progress', (p) => this.setJob({ key: `relearn-${p.jobId}`, label: 'Re-learning', done: p.done, total: p.total }));
    on('relearn:done', (d) => this.endJob(`relearn-${d.jobId}`));
    on('job:error', (e) => toasts.push('error', `${e.kind} job failed`, e.message));
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.refreshInfo(), this.refreshProject()]);
  }

  async refreshInfo(): Promise<void> {
    try {
      this.info = await call('app.info', {});
    } catch (e) {
      toasts.error('Reading the app info', e);
    }
  }

  async refreshProject(): Promise<void> {
    try {
      this.project = await call('projects.current', {});
    } catch (e) {
      toasts.error('Reading the open project', e);
    }
  }

  setJob(job: ActiveJob): void {
    const i = this.jobs.findIndex((j) => j.key === job.key);
    if (i === -1) this.jobs.push(job);
    else this.jobs[i] = job;
    if (job.key === 'project' && job.total !== null && job.done >= job.total) this.endJob('project');
  }

  endJob(key: string): void {
    this.jobs = this.jobs.filter((j) => j.key !== key);
  }
}

export const app = new AppState();
