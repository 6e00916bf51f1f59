/**
 * Carving a seeded dev-test out of the train split, for measurements on faces that no
 * trainer, confusion group, tau choice or gate fitting ever reads (the shared FER+ copy has no
 * test split, and valid is where choices are made). Stratified by current label; recorded in
 * one transaction; refused once a model exists (db/dev-test-store.ts).
 */
import { drawDevTestRows } from '../../../core/relearn/dev-test-carve.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { insertDevTestCarve, type DevTestCarve } from '../../../db/dev-test-store.ts';

export interface DevTestCarveResult extends DevTestCarve {
  trainFaces: number;
}

export function carveDevTest(dbOrPath: ProjectDb | string, opts: { fraction: number; seed: number }): DevTestCarveResult {
  const db = typeof dbOrPath === 'string' ? openProject(dbOrPath) : dbOrPath;
  try {
    const rows = db.stmt<[], [number, number | null]>("SELECT sample_id, current_label FROM sample_labels WHERE split = 'train' ORDER BY sample_id", 'raw').all();
    if (rows.length === 0) throw new Error(`${db.path}: the train split is empty; import a dataset before carving a dev-test`);
    const chosen = drawDevTestRows(Int32Array.from(rows, (r) => r[1] ?? -1), opts.fraction, opts.seed);
    const carve = insertDevTestCarve(db, { fraction: opts.fraction, seed: opts.seed, sampleIds: Int32Array.from(chosen, (r) => rows[r][0]) });
    return { ...carve, trainFaces: rows.length };
  } finally {
    if (typeof dbOrPath === 'string') db.close();
  }
}
