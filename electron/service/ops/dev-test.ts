/**
 * Carving a seeded dev-test out of the train split, for measurements on faces that no
 * trainer, confusion group, tau choice or gate fitting ever reads (the shared FER+ copy has no
 * test split, and valid is where choices are made). Stratified by current label; recorded in
 * one transaction; refused once a model exists (db/dev-test-store.ts).
 */
import type { EvaluationFigures, EvaluationLabels } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { drawDevTestRows } from '../../../core/relearn/dev-test-carve.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { devTestIds, insertDevTestCarve, type DevTestCarve } from '../../../db/dev-test-store.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { evaluatePredictions, referenceLabels, type ReferenceLabels } from './evaluation.ts';

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

/** The train split's reference labels restricted to the dev-test faces. */
function devTestReference(db: ProjectDb, labels: EvaluationLabels, dev: Set<number>): ReferenceLabels {
  const all = referenceLabels(db, 'train', labels);
  const rows: number[] = [];
  all.ids.forEach((id, i) => dev.has(id) && rows.push(i));
  const out = Int32Array.from(rows, (r) => all.labels[r]);
  const left = out.filter((l) => l < 0).length;
  return { ids: Int32Array.from(rows, (r) => all.ids[r]), labels: out, excludedByReason: left ? { 'no class label': left } : {} };
}

export interface DevTestEvaluation extends EvaluationFigures {
  current: EvaluationFigures;
  n_label_changes: number;
}

/**
 * A model on the dev-test faces, against published and current labels like `evaluate`. Not
 * stored: the evaluations table knows train, valid and test only.
 */
export function evaluateDevTest(db: ProjectDb, modelId: ModelId | number): DevTestEvaluation {
  if (!getModel(db, modelId)) throw new Error(`no model ${modelId} in ${db.path}`);
  const dev = new Set(devTestIds(db));
  if (dev.size === 0) throw new Error(`${db.path}: the project has no dev-test carve (carve-dev-test, before training)`);
  const preds = readPredictions(db, modelId, 'train');
  const have = preds.ids.filter((id) => dev.has(id)).length;
  if (have < dev.size) throw new Error(`model ${modelId} has predictions for ${have} of the ${dev.size} dev-test faces (it was trained before the carve or by an older version); train it again`);
  const published = devTestReference(db, 'published', dev);
  const current = devTestReference(db, 'current', dev);
  let changes = 0;
  for (let i = 0; i < published.labels.length; i++) if (published.labels[i] !== current.labels[i]) changes++;
  return { ...evaluatePredictions(published, preds.ids, preds.probs), current: evaluatePredictions(current, preds.ids, preds.probs), n_label_changes: changes };
}
