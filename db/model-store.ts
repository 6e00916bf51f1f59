/**
 * Models: the trained networks of a project. The weights are files in the models directory;
 * a row holds their relative path, the input size, a JSON description of the structure
 * (layers and units), the parent of a child model and the child group it was trained for.
 */
import type { ChildGroupId, ModelId, RunId } from '../api/domain.ts';
import type { InputSize, ProjectDb } from './connection.ts';
import { resolveModelPath, toModelsRelative } from './model-paths.ts';
import type { StoredModelKind, TrainedModelKind } from './run-store.ts';

export type ModelStatus = 'active' | 'adopted' | 'discarded';

export interface ModelInput {
  runId?: RunId | number | null;
  kind: StoredModelKind;
  name: string;
  /** Weight file, absolute (inside the models dir) or relative to it; ignored ('' stored) for imported predictions. */
  filePath: string;
  inputSize: InputSize;
  structure?: Record<string, unknown>;
  parentModelId?: ModelId | number | null;
  childGroupId?: ChildGroupId | number | null;
  status?: ModelStatus;
}

export interface StoredModel {
  id: ModelId;
  runId: RunId | null;
  kind: StoredModelKind;
  name: string;
  /** As stored: relative to the models dir. */
  filePath: string;
  /** Absolute path of the weight file. */
  absolutePath: string;
  inputSize: InputSize;
  structure: Record<string, unknown>;
  parentModelId: ModelId | null;
  childGroupId: ChildGroupId | null;
  status: ModelStatus;
  /** Label version (db/relabel-store.ts labelVersion) of an out-of-fold set, stamped once its predictions are all written; null otherwise. */
  labelVersion: number | null;
  createdAt: string;
}

interface ModelRow {
  id: number;
  run_id: number | null;
  kind: StoredModelKind;
  name: string;
  file_path: string;
  input_height: number;
  input_width: number;
  structure: string;
  parent_model_id: number | null;
  child_group_id: number | null;
  status: ModelStatus;
  label_version: number | null;
  created_at: string;
}

export function createModel(db: ProjectDb, m: ModelInput): ModelId {
  const info = db
    .stmt(`INSERT INTO models (run_id, kind, name, file_path, input_height, input_width, structure, parent_model_id, child_group_id, status)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(
      m.runId ?? null, m.kind, m.name, m.kind === 'imported' ? '' : toModelsRelative(db, m.filePath), m.inputSize.height, m.inputSize.width,
      JSON.stringify(m.structure ?? {}), m.parentModelId ?? null, m.childGroupId ?? null, m.status ?? 'active',
    );
  return Number(info.lastInsertRowid) as ModelId;
}

function toModel(db: ProjectDb, r: ModelRow): StoredModel {
  return {
    id: r.id as ModelId,
    runId: r.run_id as RunId | null,
    kind: r.kind,
    name: r.name,
    filePath: r.file_path,
    absolutePath: resolveModelPath(db, r.file_path),
    inputSize: { height: r.input_height, width: r.input_width },
    structure: JSON.parse(r.structure),
    parentModelId: r.parent_model_id as ModelId | null,
    childGroupId: r.child_group_id as ChildGroupId | null,
    status: r.status,
    labelVersion: r.label_version,
    createdAt: r.created_at,
  };
}

/**
 * The weight file of a trained network, for the operations that run one (re-learning its
 * children, the face map's features, outlier scores, export). Imported predictions have no
 * network: those operations refuse them here, with the model and what was asked in the message.
 */
export function requireNetwork(model: StoredModel, purpose: string): StoredModel & { kind: TrainedModelKind } {
  if (model.kind === 'imported') {
    const from = typeof model.structure.sourceFile === 'string' ? ` from ${model.structure.sourceFile}` : '';
    throw new Error(`model ${model.id} (${model.name}) holds predictions imported${from}, not a network this app can run: it cannot be used to ${purpose}; it can be evaluated, compared, analysed (scores) and reviewed against`);
  }
  return model as StoredModel & { kind: TrainedModelKind };
}

/** The weight file of a trained network (requireNetwork). */
export function networkPath(model: StoredModel, purpose: string): string {
  return requireNetwork(model, purpose).absolutePath;
}

export function getModel(db: ProjectDb, id: ModelId | number): StoredModel | null {
  const r = db.stmt<[number], ModelRow>('SELECT * FROM models WHERE id = ?').get(id);
  return r ? toModel(db, r) : null;
}

/**
 * The latest complete out-of-fold model row of a parent, or null. Rows without a label-version
 * stamp are skipped: their predictions were cut short by a crash (or predate the stamp), so
 * they must neither be used nor block a new analysis.
 */
export function findOutOfFoldModel(db: ProjectDb, parentId: ModelId | number): StoredModel | null {
  const all = listModels(db).filter((m) => m.structure.role === 'out-of-fold' && m.structure.ofModel === Number(parentId) && m.labelVersion !== null);
  return all.length ? all[all.length - 1] : null;
}

/** Models, oldest first; filter by parent (null: only root models) or status. */
export function listModels(db: ProjectDb, filter: { parentModelId?: ModelId | number | null; status?: ModelStatus } = {}): StoredModel[] {
  const parent = filter.parentModelId;
  const rows = db
    .stmt<[Record<string, unknown>], ModelRow>(
      'SELECT * FROM models WHERE (@by_parent = 0 OR parent_model_id IS @parent) AND (@status IS NULL OR status = @status) ORDER BY id',
    )
    .all({ by_parent: parent === undefined ? 0 : 1, parent: parent ?? null, status: filter.status ?? null });
  return rows.map((r) => toModel(db, r));
}

export function updateModel(db: ProjectDb, id: ModelId | number, patch: { status?: ModelStatus; name?: string; structure?: Record<string, unknown>; childGroupId?: ChildGroupId | number | null }): void {
  const info = db
    .stmt(`UPDATE models SET status = COALESCE(?, status), name = COALESCE(?, name), structure = COALESCE(?, structure),
           child_group_id = CASE WHEN ? THEN ? ELSE child_group_id END WHERE id = ?`)
    .run(
      patch.status ?? null, patch.name ?? null, patch.structure ? JSON.stringify(patch.structure) : null,
      patch.childGroupId !== undefined ? 1 : 0, patch.childGroupId ?? null, id,
    );
  if (info.changes === 0) throw new Error(`model ${id} does not exist`);
}

/**
 * Stamps a model row with the label version its predictions were computed on. Called as the
 * last write of an out-of-fold set, so a row without a stamp is one whose predictions may be
 * incomplete.
 */
export function stampLabelVersion(db: ProjectDb, id: ModelId | number, version: number): void {
  if (!Number.isInteger(version) || version < 0) throw new Error(`model ${id}: label version must be an integer >= 0, got ${version}`);
  const info = db.stmt('UPDATE models SET label_version = ? WHERE id = ?').run(version, id);
  if (info.changes === 0) throw new Error(`model ${id} does not exist`);
}

/**
 * Deletes the model rows of a run that has not finished (with their predictions, scores and
 * evaluations, by cascade): what a crash while the run was saving its model left behind.
 * Returns how many.
 */
export function deleteUnfinishedRunModels(db: ProjectDb, runId: RunId | number): number {
  return db.write(() => db.stmt("DELETE FROM models WHERE run_id = ? AND (SELECT status FROM runs WHERE id = ?) IS NOT 'done'").run(runId, runId).changes);
}
