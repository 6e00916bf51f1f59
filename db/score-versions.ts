/**
 * Which labels a model's per-face scores were computed from: the label version and the
 * out-of-fold set (table score_versions, migration 0004). Written after the scores, so a
 * stamp never claims scores that were not written.
 */
import type { ModelId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export interface ScoreVersion {
  labelVersion: number;
  oofModelId: ModelId | null;
  computedAt: string;
}

export function stampScores(db: ProjectDb, modelId: ModelId | number, labelVersion: number, oofModelId: ModelId | number | null): void {
  db.stmt(
    `INSERT INTO score_versions (model_id, label_version, oof_model_id) VALUES (?, ?, ?)
     ON CONFLICT (model_id) DO UPDATE SET label_version = excluded.label_version, oof_model_id = excluded.oof_model_id,
       computed_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(modelId, labelVersion, oofModelId);
}

/** The stamp of a model's scores, or null when they were never stamped. */
export function scoreVersion(db: ProjectDb, modelId: ModelId | number): ScoreVersion | null {
  const r = db
    .stmt<[number], { label_version: number; oof_model_id: number | null; computed_at: string }>('SELECT label_version, oof_model_id, computed_at FROM score_versions WHERE model_id = ?')
    .get(modelId);
  return r ? { labelVersion: r.label_version, oofModelId: r.oof_model_id as ModelId | null, computedAt: r.computed_at } : null;
}
