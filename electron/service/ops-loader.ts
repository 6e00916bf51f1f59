/**
 * Finds the operations in ./ops/ (written alongside the service) at run time. Until a module or
 * one of its exports exists, the call that needs it fails with a clear `not_available` error
 * naming the missing piece; it never answers with made-up data. Loaded by a computed URL so
 * the service type-checks and runs before every op has landed.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
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

const cache = new Map<string, Record<string, unknown>>();

/** Returns the named export of ./ops/<file>, or throws ApiError('not_available') saying what is missing. */
export async function loadOp<F extends OpFile, N extends keyof OpSignatures[F] & string>(file: F, name: N, purpose: string): Promise<OpSignatures[F][N]> {
  let mod = cache.get(file);
  if (!mod) {
    const url = new URL(`./ops/${file}`, import.meta.url);
    if (!existsSync(fileURLToPath(url))) {
      throw new ApiError('not_available', `${purpose} is not available yet: electron/service/ops/${file} has not been written`);
    }
    mod = (await import(url.href)) as Record<string, unknown>;
    cache.set(file, mod);
  }
  const value = mod[name];
  if (value === undefined) {
    throw new ApiError('not_available', `${purpose} is not available yet: electron/service/ops/${file} does not export ${name}`);
  }
  return value as OpSignatures[F][N];
}
