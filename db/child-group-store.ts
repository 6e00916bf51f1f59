/**
 * Child groups of a re-learning run (METHOD.md 6): the parent's misclassified training cases
 * grouped by confusion pair (given class -> predicted class), the child model trained for the
 * group, and the routing threshold tau chosen on the validation split.
 */
import type { ChildGroupId, ClassId, ModelId, RunId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export type ChildGroupStatus = 'candidate' | 'selected' | 'training' | 'trained' | 'failed' | 'adopted' | 'discarded';

export interface ChildGroup {
  id: ChildGroupId;
  relearnRunId: RunId | null;
  parentModelId: ModelId;
  givenLabel: ClassId;
  predictedLabel: ClassId;
  nCases: number;
  childModelId: ModelId | null;
  tau: number | null;
  status: ChildGroupStatus;
  createdAt: string;
}

interface ChildGroupRow {
  id: number;
  relearn_run_id: number | null;
  parent_model_id: number;
  given_label: number;
  predicted_label: number;
  n_cases: number;
  child_model_id: number | null;
  tau: number | null;
  status: ChildGroupStatus;
  created_at: string;
}

function toGroup(r: ChildGroupRow): ChildGroup {
  return {
    id: r.id as ChildGroupId,
    relearnRunId: r.relearn_run_id as RunId | null,
    parentModelId: r.parent_model_id as ModelId,
    givenLabel: r.given_label,
    predictedLabel: r.predicted_label,
    nCases: r.n_cases,
    childModelId: r.child_model_id as ModelId | null,
    tau: r.tau,
    status: r.status,
    createdAt: r.created_at,
  };
}

export function createChildGroup(
  db: ProjectDb,
  g: { relearnRunId?: RunId | number | null; parentModelId: ModelId | number; givenLabel: ClassId; predictedLabel: ClassId; nCases: number; status?: ChildGroupStatus },
): ChildGroupId {
  const info = db
    .stmt('INSERT INTO child_groups (relearn_run_id, parent_model_id, given_label, predicted_label, n_cases, status) VALUES (?, ?, ?, ?, ?, ?)')
    .run(g.relearnRunId ?? null, g.parentModelId, g.givenLabel, g.predictedLabel, g.nCases, g.status ?? 'candidate');
  return Number(info.lastInsertRowid) as ChildGroupId;
}

export function updateChildGroup(db: ProjectDb, id: ChildGroupId | number, patch: { status?: ChildGroupStatus; childModelId?: ModelId | number | null; tau?: number | null; nCases?: number }): void {
  const info = db
    .stmt(`UPDATE child_groups SET status = COALESCE(?, status), n_cases = COALESCE(?, n_cases),
           child_model_id = CASE WHEN ? THEN ? ELSE child_model_id END,
           tau = CASE WHEN ? THEN ? ELSE tau END WHERE id = ?`)
    .run(
      patch.status ?? null, patch.nCases ?? null,
      patch.childModelId !== undefined ? 1 : 0, patch.childModelId ?? null,
      patch.tau !== undefined ? 1 : 0, patch.tau ?? null, id,
    );
  if (info.changes === 0) throw new Error(`child group ${id} does not exist`);
}

export function getChildGroup(db: ProjectDb, id: ChildGroupId | number): ChildGroup | null {
  const r = db.stmt<[number], ChildGroupRow>('SELECT * FROM child_groups WHERE id = ?').get(id);
  return r ? toGroup(r) : null;
}

export function listChildGroups(db: ProjectDb, filter: { parentModelId?: ModelId | number; relearnRunId?: RunId | number } = {}): ChildGroup[] {
  return db
    .stmt<[Record<string, unknown>], ChildGroupRow>(
      'SELECT * FROM child_groups WHERE (@parent IS NULL OR parent_model_id = @parent) AND (@run IS NULL OR relearn_run_id = @run) ORDER BY n_cases DESC, id',
    )
    .all({ parent: filter.parentModelId ?? null, run: filter.relearnRunId ?? null })
    .map(toGroup);
}
