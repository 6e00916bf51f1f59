// `import-predictions`: another tool's class probabilities as a model of the project.
import { resolve } from 'node:path';
import { CLASS_NAMES } from '../../api/domain.ts';
import { TRAIN_PREDICTION_KINDS, type ImportPredictionsResult } from '../../api/contract.ts';
import { FACE_COLUMNS, importPredictions, PredictionFileError } from '../../electron/service/ops/import-predictions.ts';
import { openProject } from '../../db/connection.ts';
import { CliError } from '../cli-error.ts';
import { requireString, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';

export const importPredictionsCommand: Command = {
  summary: "import another model's predictions (CSV) to evaluate, compare, score and review against",
  usage: `affect-relearn import-predictions --project <file> --csv <file> [--name NAME]
                                  [--train-predictions in-sample|out-of-sample] [--json]

The CSV has a header, one row per face: a face column (${FACE_COLUMNS.join(', ')}) and one
column per class (${CLASS_NAMES.join(', ')}; FER+ and AffectNet spellings such as
happiness or angry work too) holding probabilities that sum to 1 (within 0.01; each row is
renormalised). Other columns are ignored. A path matches a face's imported file exactly or by
its end ("FER2013Train/fer0000001.png"). Rows that cannot be used are reported with line, field
and reason and skipped.

The predictions become a model (kind "imported") that is evaluated on every split the file
covers and scored like a trained model, so Review can sort by it and Evaluation can compare it.
--train-predictions out-of-sample says its train rows come from models that did not train on
those faces (cross-validation, as cleanlab expects); the default, in-sample, scores train with a
warning. It has no network: re-learning, the face map and model export refuse it.`,
  options: { project: { type: 'string' }, csv: { type: 'string' }, name: { type: 'string' }, 'train-predictions': { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const csv = resolve(requireString(values, 'csv', this.usage));
    const train = values['train-predictions'];
    if (train !== undefined && !(TRAIN_PREDICTION_KINDS as readonly unknown[]).includes(train)) throw new CliError(`--train-predictions must be one of ${TRAIN_PREDICTION_KINDS.join(', ')}, got ${String(train)}`, 2);
    const db = openProject(path);
    try {
      const progress = createProgress('import-predictions');
      const r = await importPredictions(db, { path: csv, name: typeof values.name === 'string' ? values.name : undefined, trainPredictions: train as ImportPredictionsResult['trainPredictions'] | undefined }, {
        onProgress: (p) => progress.update(p.done, p.total, p.stage),
      });
      progress.done(`model ${r.modelId} (${r.rows} faces)`);
      return { json: r, text: formatResult(r) };
    } catch (e) {
      if (e instanceof PredictionFileError) throw new CliError(e.message, 1);
      throw e;
    } finally {
      db.close();
    }
  },
};

function formatResult(r: ImportPredictionsResult): string {
  const lines = [
    `model ${r.modelId} "${r.name}" (imported from ${r.sourceFile}, faces by ${r.faceColumn}): ${r.rows} faces (train ${r.perSplit.train}, valid ${r.perSplit.valid}, test ${r.perSplit.test}), ${r.rejected} rows rejected`,
    ...r.evaluations.map((e) => `  ${e.split.padEnd(5)} accuracy ${(100 * e.accuracy).toFixed(1)}% on ${e.evaluated} faces (published labels)`),
    `  scored every face (analysis run ${r.analysisRunId}); train predictions: ${r.trainPredictions}`,
  ];
  if (r.ignoredColumns.length) lines.push(`  ignored columns: ${r.ignoredColumns.join(', ')}`);
  for (const i of r.issues.slice(0, 20)) lines.push(`  rejected ${i.file}:${i.line}${i.field ? ` (${i.field})` : ''}: ${i.message}`);
  if (r.rejected > 20) lines.push(`  ... ${r.rejected - 20} more rejected rows (--json lists up to ${r.issues.length})`);
  for (const w of r.warnings) lines.push(w);
  return lines.join('\n');
}
