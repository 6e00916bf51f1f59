/**
 * The operations in ./ops/ the service reaches lazily (loaded on first use, so starting the app
 * does not load the trainers). Each is a literal import() so that the bundler includes it
 * (a computed URL would not survive bundling into dist/). A module lacking the export the
 * service needs fails with a clear `not_available` error naming it, never with made-up data.
 */
import { ApiError, type EventName, type Events, type EvaluationResult, type ImportProgressEvent, type ImportReport, type ImportStartParams, type ModelInfo, type ProjectProgress, type ProjectSummary, type TrainingRunInfo, type TrainingStartParams } from '../../api/contract.ts';
import type { ModelId, RunId, Split } from '../../api/domain.ts';
import type { ProjectDb } from '../../db/connection.ts';

export type Emit = <E extends EventName>(name: E, payload: Events[E]) => void;

export interface TrainingJobsLike {
  start(spec: TrainingStartParams & { parentModelId?: ModelId }): { runId: RunId } | Promise<{ runId: RunId }>;
  cancel(runId: RunId): boolean | void | Promise<boolean | void>;
  resume(runId: RunId): { runId: RunId } | Promise<{ runId: RunId }>;
  list(): TrainingRunInfo[] | Promise<TrainingRunInfo[]>;
  get(runId: RunId): TrainingRunInfo | null | Promise<TrainingRunInfo | null>;
  dispose?(): void | Promise<void>;
}

/** The signatures the service expects of each op (the coordinator's modules in ./ops/). */
export interface OpSignatures {
  'project.ts': {
    createDemoProject(path: string, opts: { onProgress?: (p: ProjectProgress) => void }): Promise<void>;
    projectSummary(db: ProjectDb): ProjectSummary;
  };
  'project-op-jobs.ts': {
    createDemoProjectInWorker(path: string, opts: { onProgress?: (p: ProjectProgress) => void }): Promise<void>;
    importDatasetInWorker(
      db: ProjectDb,
      req: ImportStartParams,
      ctx: { onProgress: (p: Partial<ImportProgressEvent>) => void; signal: AbortSignal },
    ): Promise<Omit<ImportReport, 'jobId'> & { jobId?: string }>;
  };
  'training.ts': {
    TrainingJobs: new (db: ProjectDb, emit: Emit) => TrainingJobsLike;
  };
  'evaluation.ts': {
    evaluateModel(db: ProjectDb, modelId: ModelId, split: Split): Promise<EvaluationResult>;
    listEvaluations(db: ProjectDb, modelId?: ModelId): EvaluationResult[];
  };
  'models.ts': {
    listModels(db: ProjectDb): ModelInfo[];
  };
}
export type OpFile = keyof OpSignatures;

const LOADERS: { [F in OpFile]: () => Promise<unknown> } = {
  'project.ts': () => import('./ops/project.ts'),
  'project-op-jobs.ts': () => import('./ops/project-op-jobs.ts'),
  'training.ts': () => import('./ops/training.ts'),
  'evaluation.ts': () => import('./ops/evaluation.ts'),
  'models.ts': () => import('./ops/models.ts'),
};

/** Returns the named export of ./ops/<file>, or throws ApiError('not_available') saying what is missing. */
export async function loadOp<F extends OpFile, N extends keyof OpSignatures[F] & string>(file: F, name: N, purpose: string): Promise<OpSignatures[F][N]> {
  const mod = (await LOADERS[file]()) as Record<string, unknown>;
  const value = mod[name];
  if (value === undefined) {
    throw new ApiError('not_available', `${purpose} is not available yet: electron/service/ops/${file} does not export ${name}`);
  }
  return value as OpSignatures[F][N];
}
