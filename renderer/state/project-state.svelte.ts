// The Project view's state: the open project's summary, recent projects, and the import in
// progress with its live counts and final report (rejected rows with file, line and field).
import type { ImportProgressEvent, ImportReport, ProjectSummary, RecentProject } from '../../api/contract.ts';
import type { DatasetKind } from '../../api/domain.ts';
import { call, on } from '../lib/api.ts';
import { app } from './app-state.svelte.ts';
import { toasts } from './toasts.svelte.ts';

/** The import kinds a user can pick, in the order shown. */
export const IMPORT_KINDS: readonly { kind: DatasetKind; label: string; hint: string }[] = [
  { kind: 'affectnet', label: 'AffectNet', hint: 'folder with the annotation CSV and the image folders' },
  { kind: 'fer2013', label: 'FER2013 CSV', hint: 'fer2013.csv (emotion, pixels, Usage)' },
  { kind: 'ferplus', label: 'FER+ folders', hint: 'FER2013Train/Valid/Test folders with label.csv vote files' },
  { kind: 'folder', label: 'Class folders', hint: 'one sub-folder per class (optionally under train/valid/test)' },
  { kind: 'multi', label: 'Multi-annotator CSV', hint: 'CSV with image, annotator, label columns' },
];

export class ProjectState {
  summary = $state<ProjectSummary | null>(null);
  recent = $state<RecentProject[]>([]);
  busy = $state<string | null>(null);
  importJobId = $state<string | null>(null);
  importProgress = $state<ImportProgressEvent | null>(null);
  report = $state<ImportReport | null>(null);
  #started = false;

  /** Subscribes once; every later call (the view shown again) reads the summary afresh. */
  start(): void {
    if (this.#started) {
      void this.refresh();
      return;
    }
    this.#started = true;
    on('project:changed', () => void this.refresh());
    on('import:progress', (p) => {
      if (this.importJobId === null || p.jobId === this.importJobId) {
        this.importJobId = p.jobId;
        this.importProgress = p;
      }
    });
    on('import:done', (r) => {
      if (this.importJobId !== null && r.jobId !== this.importJobId) return;
      this.report = r;
      this.importJobId = null;
      if (r.status === 'failed') toasts.push('error', 'Import failed', r.error ?? 'no reason given');
      else toasts.push('success', 'Import finished', `${r.accepted} faces accepted, ${r.rejected} rejected`);
      void this.refresh();
    });
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.recent = await call('projects.recent', {});
      const current = await call('projects.current', {});
      app.project = current;
      this.summary = current ? await call('projects.summary', {}) : null;
    } catch (e) {
      toasts.error('Loading the project', e);
    }
  }

  async #run(what: string, fn: () => Promise<unknown>): Promise<boolean> {
    this.busy = what;
    try {
      await fn();
      return true;
    } catch (e) {
      toasts.error(what, e);
      return false;
    } finally {
      this.busy = null;
    }
  }

  open(path: string): Promise<boolean> {
    return this.#run('Open project', async () => {
      app.project = await call('projects.open', { path });
      await this.refresh();
    });
  }

  create(path: string, name: string): Promise<boolean> {
    return this.#run('Create project', async () => {
      app.project = await call('projects.create', name ? { path, name } : { path });
      await this.refresh();
    });
  }

  createDemo(path: string): Promise<boolean> {
    return this.#run('Open demo project', async () => {
      app.project = await call('projects.createDemo', path ? { path } : {});
      await this.refresh();
    });
  }

  startImport(kind: DatasetKind, path: string, strict: boolean): Promise<boolean> {
    return this.#run('Start import', async () => {
      this.report = null;
      this.importProgress = { jobId: '', done: 0, total: null, accepted: 0, rejected: 0, skippedExisting: 0 };
      const { jobId } = await call('imports.start', { kind, path, options: { strict } });
      // Events may have arrived before the reply: the import may even be over already.
      if (this.#reportIs(jobId)) return;
      this.importJobId = jobId;
      // A tiny import may have finished between the reply and our subscription: ask.
      const r = await call('imports.report', { jobId });
      if (r.status !== 'running' && !this.#reportIs(jobId)) {
        this.report = r;
        this.importJobId = null;
        await this.refresh();
      }
    });
  }

  /** Whether the report shown is that job's (an event may have set it during an await). */
  #reportIs(jobId: string): boolean {
    return this.report !== null && this.report.jobId === jobId;
  }

  cancelImport(): Promise<boolean> {
    const jobId = this.importJobId;
    if (!jobId) return Promise.resolve(false);
    return this.#run('Cancel import', () => call('imports.cancel', { jobId }));
  }
}

export const projectState = new ProjectState();
