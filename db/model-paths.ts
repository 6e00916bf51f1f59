/**
 * Model weight and checkpoint files live in the project's models directory (modelsDirFor);
 * the DB stores paths relative to it, with '/' separators, so a project folder can be moved
 * or copied to another machine as a whole.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ProjectDb } from './connection.ts';

/** The stored form of a path: relative to the models dir. Refuses a path outside it. */
export function toModelsRelative(db: ProjectDb, path: string): string {
  const abs = isAbsolute(path) ? path : resolve(db.modelsDir, path);
  const rel = relative(db.modelsDir, abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) throw new Error(`${path}: model files must be inside the project's models directory ${db.modelsDir}`);
  return rel.split(sep).join('/');
}

/** The absolute path of a stored (relative) model path. */
export function resolveModelPath(db: ProjectDb, stored: string): string {
  return resolve(db.modelsDir, ...stored.split('/'));
}
