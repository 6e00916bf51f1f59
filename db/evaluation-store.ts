/**
 * Evaluations of a model on a split: the result JSON (accuracy, per-class figures, confusion
 * matrix, how many faces were evaluated and how many left out) under a label such as
 * 'parent' or 'parent+children', so the two can be compared side by side.
 */
import type { ModelId, RunId, Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export interface EvaluationResult {
  accuracy: number;
  per_class?: unknown;
  confusion?: number[][];
  n_evaluated: number;
  n_excluded: number;
  [key: string]: unknown;
}

export interface Evaluation {
  id: number;
  modelId: ModelId;
  runId: RunId | null;
  split: Split;
  label: string;
  result: EvaluationResult;
  createdAt: string;
}

interface EvaluationRow {
  id: number;
  model_id: number;
  run_id: number | null;
  split: Split;
  label: string;
  result: string;
  created_at: string;
}

const toEvaluation = (r: EvaluationRow): Evaluation => ({
  id: r.id,
  modelId: r.model_id as ModelId,
  runId: r.run_id as RunId | null,
  split: r.split,
  label: r.label,
  result: JSON.parse(r.result),
  createdAt: r.created_at,
});

export function addEvaluation(db: ProjectDb, e: { modelId: ModelId | number; runId?: RunId | number | null; split: Split; label: string; result: EvaluationResult }): number {
  const info = db
    .stmt('INSERT INTO evaluations (model_id, run_id, split, label, result) VALUES (?, ?, ?, ?, ?)')
    .run(e.modelId, e.runId ?? null, e.split, e.label, JSON.stringify(e.result));
  return Number(info.lastInsertRowid);
}

/** Evaluations, oldest first, optionally of one model and/or split. */
export function listEvaluations(db: ProjectDb, filter: { modelId?: ModelId | number; split?: Split } = {}): Evaluation[] {
  return db
    .stmt<[Record<string, unknown>], EvaluationRow>('SELECT * FROM evaluations WHERE (@model IS NULL OR model_id = @model) AND (@split IS NULL OR split = @split) ORDER BY id')
    .all({ model: filter.modelId ?? null, split: filter.split ?? null })
    .map(toEvaluation);
}

/** The latest evaluation of a model on a split under a label, or null. */
export function latestEvaluation(db: ProjectDb, modelId: ModelId | number, split: Split, label: string): Evaluation | null {
  const r = db
    .stmt<[number, string, string], EvaluationRow>('SELECT * FROM evaluations WHERE model_id = ? AND split = ? AND label = ? ORDER BY id DESC LIMIT 1')
    .get(modelId, split, label);
  return r ? toEvaluation(r) : null;
}
