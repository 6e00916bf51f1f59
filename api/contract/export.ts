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

/** What to export, without where: the browser download and the desktop save dialog choose the place. */
export const ExportWhatSchema = obj({
  kind: oneOf(EXPORT_KINDS),
  /** For 'model' and 'report'. */
  modelId: v.optional(modelId()),
  /** For 'model': a tfjs layers-model (default) or an ONNX inference graph. */
  format: v.optional(oneOf(MODEL_EXPORT_FORMATS)),
});
export type ExportWhat = v.InferOutput<typeof ExportWhatSchema>;

/** An export ready to download once (browser mode): folders (model, AffectNet lists) come as one .zip. */
export const DownloadTicketSchema = v.object({
  /** Same-origin path of the one-time download; it answers only with the session cookie. */
  url: v.string(),
  fileName: v.string(),
  bytes: v.number(),
  rows: v.nullable(v.number()),
  notes: v.array(v.string()),
});
export type DownloadTicket = v.InferOutput<typeof DownloadTicketSchema>;

export const exportRequests = {
  /** Writes inside the project's folder (the CLI's and the app's own path). */
  'export.run': { params: ExportParamsSchema, result: ExportResultSchema },
  /** Browser mode: prepares the export as one file and answers where the browser downloads it. */
  'export.download': { params: ExportWhatSchema, result: DownloadTicketSchema },
  /** Desktop window: a save dialog chooses the place; `cancelled` when the person closed it. */
  'export.save': { params: ExportWhatSchema, result: v.object({ cancelled: v.boolean(), result: v.nullable(ExportResultSchema) }) },
};
