/**
 * The one-row project meta: name, model input size, creation time and free-form schema notes.
 */
import type { ProjectDb, InputSize } from './connection.ts';
import { schemaVersion } from './migrate.ts';

export interface ProjectInfo {
  name: string;
  inputSize: InputSize;
  createdAt: string;
  schemaNotes: string;
  schemaVersion: number;
}

interface ProjectRow {
  name: string;
  input_height: number;
  input_width: number;
  created_at: string;
  schema_notes: string;
}

export function getProjectInfo(db: ProjectDb): ProjectInfo {
  const row = db.stmt<[], ProjectRow>('SELECT name, input_height, input_width, created_at, schema_notes FROM project WHERE id = 1').get();
  if (!row) throw new Error(`${db.path}: the project row is missing`);
  return {
    name: row.name,
    inputSize: { height: row.input_height, width: row.input_width },
    createdAt: row.created_at,
    schemaNotes: row.schema_notes,
    schemaVersion: schemaVersion(db.sqlite),
  };
}

export function renameProject(db: ProjectDb, name: string): void {
  if (!name.trim()) throw new Error('project name must not be empty');
  db.stmt('UPDATE project SET name = ? WHERE id = 1').run(name);
}

export function setSchemaNotes(db: ProjectDb, notes: string): void {
  db.stmt('UPDATE project SET schema_notes = ? WHERE id = 1').run(notes);
}
