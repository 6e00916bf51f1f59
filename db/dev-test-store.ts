/**
 * The dev-test carve (migration dev_test): which train faces are held out for measurement.
 * db/training-matrix.ts leaves these faces out of every train load; evaluation asks for them
 * here by id. One carve per project, refused once any model exists, since a model trained
 * before the carve has seen the faces it would be measured on.
 */
import type { ProjectDb } from './connection.ts';

export interface DevTestCarve {
  id: number;
  fraction: number;
  seed: number;
  faces: number;
  createdAt: string;
}

export function getDevTestCarve(db: ProjectDb): DevTestCarve | null {
  const r = db.stmt<[], { id: number; fraction: number; seed: number; faces: number; created_at: string }>('SELECT * FROM dev_test_carves ORDER BY id LIMIT 1').get();
  return r ? { id: r.id, fraction: r.fraction, seed: r.seed, faces: r.faces, createdAt: r.created_at } : null;
}

/** The dev-test faces, ascending (empty when the project has no carve). */
export function devTestIds(db: ProjectDb): Int32Array {
  return Int32Array.from(db.stmt<[], number>('SELECT sample_id FROM dev_test_samples ORDER BY sample_id', 'pluck').all());
}

/** Records a carve in one transaction; refuses a second carve and a project that already has models. */
export function insertDevTestCarve(db: ProjectDb, carve: { fraction: number; seed: number; sampleIds: ArrayLike<number> }): DevTestCarve {
  return db.write(() => {
    const existing = getDevTestCarve(db);
    if (existing) throw new Error(`${db.path}: the project already has a dev-test carve (${existing.faces} faces, fraction ${existing.fraction}, seed ${existing.seed}); a second one would mix faces earlier models measured on`);
    const models = db.stmt<[], number>('SELECT COUNT(*) FROM models', 'pluck').get() ?? 0;
    if (models > 0) throw new Error(`${db.path}: the project has ${models} model(s) trained on the whole train split; carve the dev-test before training (e.g. on a fresh import)`);
    const info = db.stmt('INSERT INTO dev_test_carves (fraction, seed, faces) VALUES (?, ?, ?)').run(carve.fraction, carve.seed, carve.sampleIds.length);
    const id = Number(info.lastInsertRowid);
    const ins = db.stmt('INSERT INTO dev_test_samples (sample_id, carve_id) VALUES (?, ?)');
    for (let i = 0; i < carve.sampleIds.length; i++) ins.run(carve.sampleIds[i], id);
    return getDevTestCarve(db)!;
  });
}
