/** Exports: the cleaned labels, the audit trail, an AffectNet-style CSV, a model, a report, Label Studio tasks. */
import * as v from 'valibot';
import { filePath, modelId, obj, oneOf } from './fields.ts';

export const EXPORT_KINDS = ['labels', 'audit', 'affectnet', 'model', 'report', 'labelstudio'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const MODEL_EXPORT_FORMATS = ['tfjs', 'onnx'] as const;
export type ModelExportFormat = (typeof MODEL_EXPORT_FORMATS)[number];

export const ExportParamsSchema = obj({
  kind: oneOf(EXPORT_KINDS),
  /** Where to write: relative to the project's folder (or absolute inside it). */
  out: filePath(),
  /** For 'model' and 'report'; for 'labelstudio' the model whose classes become predictions (optional). */
  modelId: v.optional(modelId()),
  /** For 'model': a tfjs layers-model (default) or an ONNX inference graph. */
  format: v.optional(oneOf(MODEL_EXPORT_FORMATS)),
});
export type ExportParams = v.InferOutput<typeof ExportParamsSchema>;

export const ExportResultSchema = v.object({
  kind: v.picklist(EXPORT_KINDS),
  /** Absolute paths of the files written. */
  files: v.array(v.string()),
  /** Data rows written (CSV kinds), null otherwise. */
  rows: v.nullable(v.number()),
  /** What the export holds or leaves out (e.g. the format a model was exported in). */
  notes: v.array(v.string()),
});
export type ExportResult = v.InferOutput<typeof ExportResultSchema>;

export const exportRequests = {
  'export.run': { params: ExportParamsSchema, result: ExportResultSchema },
};
