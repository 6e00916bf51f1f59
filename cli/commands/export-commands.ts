// `export`: the current labels and their audit trail (CSV), AffectNet's list format, a trained
// model (tfjs layers-model + metadata) and the HTML
// report, written where --out says (the app's export button writes inside the project folder).
import { resolve } from 'node:path';
import { EXPORT_KINDS, MODEL_EXPORT_FORMATS, type ExportKind, type ModelExportFormat } from '../../api/contract.ts';
import { openProject } from '../../db/connection.ts';
import { runExport } from '../../electron/service/ops/export.ts';
import { CliError } from '../cli-error.ts';
import { requireString, type Command } from '../command.ts';

export const exportCommand: Command = {
  summary: 'export labels | audit | affectnet | model | report | labelstudio',
  usage: `affect-relearn export <labels|audit|affectnet|model|report|labelstudio> --project <file> [--model ID] [--format tfjs|onnx] --out <path> [--json]

  labels     CSV, one row per face: source ref, split, given and current label, last decision, reviewer, time
  audit      CSV, one row per review decision (undos included)
  affectnet  folder with training.csv (train + valid) and validation.csv (test), expression = current label
  model      folder: model.json + weights.bin (tfjs layers-model: Dense for DBN kinds, Conv2D/MaxPooling2D/Dense for the CNN) and metadata.json;
             with --format onnx: model.onnx (the model's ONNX inference graph, opset 17) and metadata.json
  report     HTML report of a parent model's analysis and re-learning
  labelstudio  Label Studio tasks (JSON): each face as a PNG data URI, its current label as the annotation,
             with --model that model's class and probability as the prediction; plus <out>.label-config.xml

With --json: {kind, files, rows, notes}.`,
  options: {
    project: { type: 'string' },
    model: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string', default: 'tfjs' },
  },
  async run(values, positionals) {
    const kind = positionals[0];
    if (!(EXPORT_KINDS as readonly string[]).includes(kind ?? '')) throw new CliError(`export needs one of ${EXPORT_KINDS.join(', ')}, got ${kind ?? 'nothing'}\n\n${this.usage}`, 2);
    const path = resolve(requireString(values, 'project', this.usage));
    const out = resolve(requireString(values, 'out', this.usage));
    let modelId: number | undefined;
    if (values.model !== undefined) {
      modelId = Number(values.model);
      if (!Number.isInteger(modelId) || modelId < 1) throw new CliError(`--model must be a model id (integer >= 1), got ${String(values.model)}`, 2);
    }
    if ((kind === 'model' || kind === 'report') && modelId === undefined) throw new CliError(`export ${kind} needs --model ID (see: affect-relearn models --project ${path})`, 2);
    const format = values.format;
    if (!(MODEL_EXPORT_FORMATS as readonly unknown[]).includes(format)) throw new CliError(`--format must be one of ${MODEL_EXPORT_FORMATS.join(', ')}, got ${String(format)}`, 2);
    if (format !== 'tfjs' && kind !== 'model') throw new CliError(`--format applies to export model only`, 2);
    const db = openProject(path);
    try {
      const r = await runExport(db, kind as ExportKind, out, modelId, format as ModelExportFormat);
      const lines = [`${kind}: ${r.files.join(', ')}${r.rows === null ? '' : ` (${r.rows} rows)`}`, ...r.notes.map((n) => `  ${n}`)];
      return { json: r, text: lines.join('\n') };
    } catch (e) {
      if (e instanceof CliError) throw e;
      throw new CliError(e instanceof Error ? e.message : String(e));
    } finally {
      db.close();
    }
  },
};
