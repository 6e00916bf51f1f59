/**
 * The service: implements the contract (api/contract.ts) once, for every transport (Electron
 * IPC, the browser-mode WebSocket, the CLI, tests). `call(method, params)` validates the params
 * and dispatches; events go to every subscriber. It holds the open project and delegates the
 * real work to the operations in ./ops/, which run long jobs in worker threads so that this
 * object keeps answering while they run.
 */
import { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  ApiError,
  type AppInfo,
  type EventName,
  type Events,
  type ParamsOf,
  type ProjectInfo,
  type RequestName,
  type ResultOf,
  type TransportKind,
  checkResult,
  payloadBreach,
  validateParams,
} from '../../api/contract.ts';
import { openProject, ProjectError, type ProjectDb } from '../../db/connection.ts';
import { getProjectInfo } from '../../db/project-store.ts';
import { AppLog } from './app-log.ts';
import { DownloadStore, saveRequest, type ChooseSaveTarget } from './downloads/download-store.ts';
import { appRootOf } from './app-root.ts';
import { ImportJobs } from './import-jobs.ts';
import * as review from './ops/review.ts';
import * as reviewTools from './ops/review-tools.ts';
import { loadOp, type Emit, type TrainingJobsLike } from './ops-loader.ts';
import type { FaceMapJobs } from './ops/face-map-jobs.ts';
import type { RelearnJobs } from './ops/relearn-jobs.ts';
import { RecentProjects } from './recent-projects.ts';
import { jobEndLine, logRequestOutcome, logStartup } from './service-log.ts';
import { defaultDemoPath, userConfigDir, userDataDir } from './user-dirs.ts';

export interface AppServiceOptions {
  transport: TransportKind;
  /** Where recent-projects.json lives (default: the user's config dir). */
  configDir?: string;
  /** Default demo project path (default: the user's data dir). */
  demoPath?: string;
  /** The log file; default logs/affect-relearn.log in the user data dir, except for transport 'test' (no log). null: no log. */
  logFile?: string | null;
  /** Returns the engine runtime in use; default: core/runtime's choice, made on first ask. */
  backend?: () => Promise<{ name: string; reason: string } | null>;
  /**
   * Also check every result and event payload against its schema in the contract (tests turn
   * this on): a result that breaks it fails its call; a payload that does is kept in
   * `contractBreaches`, since an event has no caller to fail.
   */
  checkContract?: boolean;
  /** The desktop window's save dialog (Electron main); without it `export.save` is not available. */
  chooseSaveTarget?: ChooseSaveTarget;
}

type Handlers = { [M in RequestName]: (params: ParamsOf<M>) => Promise<ResultOf<M>> | ResultOf<M> };
type AnyListener = (name: EventName, payload: Events[EventName]) => void;

function readVersion(): string {
  try {
    // Found from the app's root, not by a relative path: this code may run bundled in dist/.
    const pkg = JSON.parse(readFileSync(join(appRootOf(import.meta.url), 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

async function defaultBackend(): Promise<{ name: string; reason: string } | null> {
  const { chooseRuntime } = await import('./ops/engine-runtime.ts');
  return chooseRuntime();
}

export class AppService {
  readonly transport: TransportKind;
  readonly recent: RecentProjects;
  readonly demoPath: string;
  readonly log: AppLog;
  /** Browser mode's one-time export downloads, served by electron/server. */
  readonly downloads = new DownloadStore();
  private readonly chooseSaveTarget: ChooseSaveTarget | null;
  private readonly events = new EventEmitter();
  private readonly backend: () => Promise<{ name: string; reason: string } | null>;
  private backendInfo: Promise<{ name: string; reason: string } | null> | null = null;
  private db: ProjectDb | null = null;
  private imports: ImportJobs;
  private training: TrainingJobsLike | null = null;
  private relearnJobs: RelearnJobs | null = null;
  private mapJobs: FaceMapJobs | null = null;
  private readonly version = readVersion();
  private readonly handlers: Handlers;
  private readonly checkContract: boolean;
  /** Event payloads that broke the contract (with `checkContract`; tests assert it stays empty). */
  readonly contractBreaches: string[] = [];

  constructor(options: AppServiceOptions) {
    this.transport = options.transport;
    this.chooseSaveTarget = options.chooseSaveTarget ?? null;
    this.recent = new RecentProjects(options.configDir ?? userConfigDir());
    this.demoPath = options.demoPath ?? defaultDemoPath();
    this.backend = options.backend ?? defaultBackend;
    this.checkContract = options.checkContract ?? false;
    this.events.setMaxListeners(100);
    this.imports = new ImportJobs(this.emit);
    this.handlers = this.createHandlers();
    this.log = new AppLog(options.logFile !== undefined ? options.logFile : this.transport === 'test' ? null : join(userDataDir(), 'logs', 'affect-relearn.log'));
    logStartup(this.log, this.transport, this.version);
    this.onEvent((name, payload) => {
      const backendOf = async (runId: number) => (await this.call('training.get', { runId })).backend;
      void jobEndLine(name, payload, backendOf).then((line) => line && (name === 'job:error' ? this.log.error(line) : this.log.info(line)));
    });
  }

  /** Validates params against the contract and runs the request. Errors are ApiErrors (code + message). */
  async call<M extends RequestName>(method: M, params: unknown): Promise<ResultOf<M>>;
  async call(method: string, params: unknown): Promise<unknown>;
  async call(method: string, params: unknown): Promise<unknown> {
    const valid = validateParams(method, params);
    const handler = this.handlers[method as RequestName] as (p: unknown) => unknown;
    let result: unknown;
    try {
      result = await handler(valid);
      logRequestOutcome(this.log, method, valid, { result });
    } catch (e) {
      const error = toApiError(method, e);
      logRequestOutcome(this.log, method, valid, { error });
      throw error;
    }
    if (this.checkContract) checkResult(method as RequestName, result);
    return result;
  }

  /** Pushes an event to every subscriber (transports forward it to their windows/sockets). */
  readonly emit: Emit = (name, payload) => {
    const breach = this.checkContract ? payloadBreach(name, payload) : null;
    if (breach) this.contractBreaches.push(breach);
    this.events.emit('event', name, payload);
  };

  /** Subscribes to every event; returns the unsubscribe function. */
  onEvent(listener: AnyListener): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  get project(): ProjectDb | null {
    return this.db;
  }

  /** Opens a project file (closing the previous one) and remembers it in the recent list. */
  async openProject(path: string, options: { create?: boolean; name?: string } = {}): Promise<ProjectInfo> {
    const abs = resolve(path);
    const next = openProject(abs, { create: options.create, name: options.name });
    await this.closeProject();
    this.db = next;
    const info = this.projectInfo(next);
    this.recent.remember(abs, info.name);
    this.emit('project:changed', { project: info });
    return info;
  }

  async closeProject(): Promise<void> {
    await this.imports.stopAll();
    this.imports = new ImportJobs(this.emit);
    if (this.training?.dispose) await this.training.dispose();
    this.training = null;
    await this.relearnJobs?.dispose();
    this.relearnJobs = null;
    await this.mapJobs?.dispose();
    this.mapJobs = null;
    if (this.db) {
      this.db.close();
      this.db = null;
      this.emit('project:changed', { project: null });
    }
  }

  /** Creates the demo project at `path` (default: the user's data dir) unless it exists, then opens it. */
  async openDemo(path: string = this.demoPath): Promise<ProjectInfo> {
    const abs = resolve(path);
    if (!existsSync(abs)) {
      const createDemoProject = await loadOp('project-op-jobs.ts', 'createDemoProjectInWorker', 'creating the demo project');
      mkdirSync(dirname(abs), { recursive: true });
      await createDemoProject(abs, { onProgress: (p) => this.emit('project:progress', p) });
    }
    return this.openProject(abs);
  }

  async dispose(): Promise<void> {
    await this.closeProject();
    this.downloads.dispose();
    this.events.removeAllListeners();
  }

  private projectInfo(db: ProjectDb): ProjectInfo {
    const info = getProjectInfo(db);
    return { path: db.path, name: info.name, inputSize: info.inputSize };
  }

  private requireProject(method: string): ProjectDb {
    if (!this.db) throw new ApiError('no_project', `${method}: no project is open (open or create one first)`);
    return this.db;
  }

  private async trainingJobs(method: string): Promise<TrainingJobsLike> {
    const db = this.requireProject(method);
    if (!this.training) {
      const TrainingJobs = await loadOp('training.ts', 'TrainingJobs', 'training');
      this.training = new TrainingJobs(db, this.emit);
    }
    return this.training;
  }

  /** Analysis and re-learning jobs (worker threads) of the open project. */
  private async analysisJobs(method: string): Promise<RelearnJobs> {
    const db = this.requireProject(method);
    if (!this.relearnJobs) {
      const { RelearnJobs } = await import('./ops/relearn-jobs.ts');
      this.relearnJobs = new RelearnJobs(db, this.emit);
    }
    return this.relearnJobs;
  }

  /** The face-map job (a worker thread) of the open project. */
  private async faceMapJobs(method: string): Promise<FaceMapJobs> {
    const db = this.requireProject(method);
    if (!this.mapJobs) {
      const { FaceMapJobs } = await import('./ops/face-map-jobs.ts');
      this.mapJobs = new FaceMapJobs(db, this.emit);
    }
    return this.mapJobs;
  }

  private appInfo(): Promise<AppInfo> {
    this.backendInfo ??= this.backend()
      .catch((e: unknown) => ({ name: 'unavailable', reason: e instanceof Error ? e.message : String(e) }))
      .then((b) => {
        if (b) this.log.info(`engine runtime of the app's own thread: ${b.name} (${b.reason})`);
        return b;
      });
    return this.backendInfo.then((backend) => ({
      version: this.version,
      backend,
      transport: this.transport,
      projectPath: this.db?.path ?? null,
      node: process.versions.node,
      platform: process.platform,
    }));
  }

  private createHandlers(): Handlers {
    return {
      'app.info': () => this.appInfo(),
      'app.log': () => ({ path: this.log.file, text: this.log.tail() }),

      'projects.current': () => (this.db ? this.projectInfo(this.db) : null),
      'projects.open': ({ path }) => this.openProject(path),
      'projects.create': ({ path, name }) => {
        if (existsSync(resolve(path))) throw new ApiError('conflict', `projects.create: ${resolve(path)} already exists (open it instead)`);
        return this.openProject(path, { create: true, name });
      },
      'projects.createDemo': ({ path }) => this.openDemo(path),
      'projects.recent': () => this.recent.list(),
      'projects.summary': async () => {
        const db = this.requireProject('projects.summary');
        const projectSummary = await loadOp('project.ts', 'projectSummary', 'the project summary');
        return projectSummary(db);
      },

      'imports.start': (p) => this.imports.start(this.requireProject('imports.start'), p),
      'imports.report': ({ jobId }) => this.imports.report(jobId),
      'imports.list': () => this.imports.list(),
      'imports.cancel': ({ jobId }) => this.imports.cancel(jobId),

      'training.start': async (p) => (await this.trainingJobs('training.start')).start(p),
      'training.cancel': async ({ runId }) => {
        const r = await (await this.trainingJobs('training.cancel')).cancel(runId);
        return { cancelled: r !== false };
      },
      'training.resume': async ({ runId }) => (await this.trainingJobs('training.resume')).resume(runId),
      'training.list': async () => (await this.trainingJobs('training.list')).list(),
      'training.get': async ({ runId }) => {
        const run = await (await this.trainingJobs('training.get')).get(runId);
        if (!run) throw new ApiError('not_found', `training.get: no run ${runId} in this project`);
        return run;
      },

      'models.list': async () => {
        const db = this.requireProject('models.list');
        return (await loadOp('models.ts', 'listModels', 'listing models'))(db);
      },

      'models.importPredictions': async (p) => {
        const db = this.requireProject('models.importPredictions');
        const ops = await import('./ops/import-predictions.ts');
        try {
          return await ops.importPredictions(db, p);
        } catch (e) {
          // A file that cannot be read or has no usable row is the caller's input, named in the message.
          if (e instanceof ops.PredictionFileError) throw new ApiError('invalid_params', `models.importPredictions: ${e.message}`);
          throw e;
        }
      },

      'evaluation.run': async ({ modelId, split }) => {
        const db = this.requireProject('evaluation.run');
        return (await loadOp('evaluation.ts', 'evaluateModel', 'evaluation'))(db, modelId, split);
      },
      'evaluation.list': async ({ modelId }) => {
        const db = this.requireProject('evaluation.list');
        return (await loadOp('evaluation.ts', 'listEvaluations', 'listing evaluations'))(db, modelId);
      },

      'evaluation.cellFaces': async (p) => ({ sampleIds: (await import('./ops/evaluation-pairs.ts')).cellFaces(this.requireProject('evaluation.cellFaces'), p) }),
      'evaluation.compare': async (p) => (await import('./ops/evaluation-pairs.ts')).compareModels(this.requireProject('evaluation.compare'), p),

      'faces.reviewOptions': () => review.reviewOptions(this.requireProject('faces.reviewOptions')),
      'faces.listForReview': (p) => review.listForReview(this.requireProject('faces.listForReview'), p),
      'faces.get': ({ id, modelId }) => review.faceDetail(this.requireProject('faces.get'), id, modelId),
      'faces.getQueueState': ({ reviewer }) => review.getQueueState(this.requireProject('faces.getQueueState'), reviewer),
      'faces.saveQueueState': (p) => review.saveQueueState(this.requireProject('faces.saveQueueState'), p),
      'labels.relabel': (p) => review.decide(this.requireProject('labels.relabel'), p),
      'labels.undo': (p) => review.undo(this.requireProject('labels.undo'), p),
      'labels.acceptSuggestions': (p) => reviewTools.acceptSuggestions(this.requireProject('labels.acceptSuggestions'), p),
      'faces.addTag': ({ sampleIds, tag }) => reviewTools.addFaceTag(this.requireProject('faces.addTag'), sampleIds, tag),
      'faces.removeTag': ({ sampleIds, tag }) => reviewTools.removeFaceTag(this.requireProject('faces.removeTag'), sampleIds, tag),
      'faces.tags': () => reviewTools.faceTags(this.requireProject('faces.tags')),
      'views.list': () => reviewTools.listViews(this.requireProject('views.list')),
      'views.save': (p) => reviewTools.saveView(this.requireProject('views.save'), p),
      'views.delete': ({ name }) => reviewTools.deleteView(this.requireProject('views.delete'), name),
      'annotators.stats': async () => (await import('./ops/annotators.ts')).projectAnnotatorStats(this.requireProject('annotators.stats')),
      'annotators.faces': async (p) => ({ sampleIds: (await import('./ops/annotators.ts')).annotatorCellFaces(this.requireProject('annotators.faces'), p) }),
      'analysis.start': async (p) => (await this.analysisJobs('analysis.start')).startAnalysis(p),
      'analysis.latest': async ({ modelId }) => (await import('./ops/relearn-jobs.ts')).latestAnalysis(this.requireProject('analysis.latest'), modelId),
      'analysis.estimate': async ({ modelId, folds }) => (await import('./ops/analysis-estimate.ts')).estimateAnalysis(this.requireProject('analysis.estimate'), modelId, folds),
      'analysis.models': async () => (await import('./ops/analysis-estimate.ts')).analysableModels(this.requireProject('analysis.models')),
      'analysis.cancel': async ({ jobId }) => ({ cancelled: (await this.analysisJobs('analysis.cancel')).cancel(jobId) }),
      'analysis.jobs': async () => (this.db ? (await this.analysisJobs('analysis.jobs')).running() : []),
      'relearn.parents': async () => {
        const db = this.requireProject('relearn.parents');
        const ids = new Set<number>((await import('./ops/relearn-jobs.ts')).parentModels(db));
        return (await loadOp('models.ts', 'listModels', 'listing models'))(db).filter((m) => ids.has(m.id));
      },
      'relearn.start': async (p) => (await this.analysisJobs('relearn.start')).startRelearn(p),
      'relearn.latest': async ({ parentModelId }) => (await import('./ops/relearn-jobs.ts')).latestRelearn(this.requireProject('relearn.latest'), parentModelId),
      'relearn.changedFaces': async (p) => (await import('./ops/relearn-jobs.ts')).changedFaces(this.requireProject('relearn.changedFaces'), p),
      'relearn.cleaningCurves': async ({ parentModelId }) => (await import('./ops/cleaning-curves.ts')).listCleaningCurves(this.requireProject('relearn.cleaningCurves').modelsDir, parentModelId),
      'relearn.decide': async ({ runId, decision, acceptWorse }) => (await import('./ops/relearn-jobs.ts')).decideChildren(this.requireProject('relearn.decide'), runId, decision, acceptWorse),
      'map.start': async (p) => (await this.faceMapJobs('map.start')).start(p),
      'map.cancel': async ({ jobId }) => ({ cancelled: (await this.faceMapJobs('map.cancel')).cancel(jobId) }),
      'map.list': async () => (await import('./ops/face-map.ts')).listMaps(this.requireProject('map.list')),
      'map.get': async (p) => (await import('./ops/face-map.ts')).getMap(this.requireProject('map.get'), p),
      'map.currentLabels': async () => (await import('./ops/face-map.ts')).currentLabels(this.requireProject('map.currentLabels')),
      'health.compute': async ({ nearThreshold, modelId }) => (await import('./ops/health.ts')).computeHealth(this.requireProject('health.compute'), { nearThreshold, modelId, onProgress: (p) => this.emit('health:progress', p) }),
      'health.latest': async () => (await import('./ops/health.ts')).latestHealth(this.requireProject('health.latest')),
      'health.twins': async ({ sampleId }) => ({ twins: await (await import('./ops/health-decisions.ts')).exactTwins(this.requireProject('health.twins'), sampleId, { fill: false }) }),
      'health.keepOne': async (p) => (await import('./ops/health-decisions.ts')).keepOne(this.requireProject('health.keepOne'), p),
      'health.faces': async ({ finding }) => ({ sampleIds: (await import('./ops/health.ts')).healthFaces(this.requireProject('health.faces'), finding) }),
      'export.run': async ({ kind, out, modelId, format }) => {
        const db = this.requireProject('export.run');
        const { resolveInsideProject, runExport } = await import('./ops/export.ts');
        return runExport(db, kind, resolveInsideProject(db, out), modelId, format);
      },
      'export.download': async (p) => {
        const db = this.requireProject('export.download');
        const { prepareDownload } = await import('./downloads/prepare-download.ts');
        return prepareDownload(this.downloads, db, p);
      },
      'export.save': async (p) => {
        const db = this.requireProject('export.save');
        if (!this.chooseSaveTarget) throw new ApiError('not_available', 'export.save: the save dialog exists in the desktop window only (in browser mode exports download through the browser: export.download)');
        const target = await this.chooseSaveTarget(saveRequest(getProjectInfo(db).name, p));
        if (target === null) return { cancelled: true, result: null };
        const { runExport } = await import('./ops/export.ts');
        return { cancelled: false, result: await runExport(db, p.kind, target, p.modelId, p.format) };
      },
    };
  }
}

function notYet(method: string, what: string): never {
  throw new ApiError('not_available', `${method}: ${what} is not available yet (reserved in the contract for the review work)`);
}

/** Maps any thrown value to an ApiError whose message starts with the request name. */
export function toApiError(method: string, e: unknown): ApiError {
  if (e instanceof ApiError) return e.message.startsWith(`${method}:`) ? e : new ApiError(e.code, `${method}: ${e.message}`);
  if (e instanceof ProjectError) return new ApiError(/no such/.test(e.message) ? 'not_found' : 'invalid_params', `${method}: ${e.message}`);
  const message = e instanceof Error ? e.message : String(e);
  return new ApiError('internal', `${method}: ${message}`);
}
