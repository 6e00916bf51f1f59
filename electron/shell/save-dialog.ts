// The desktop window's save dialog for exports: what it suggests and allows, as plain data so
// it is testable without Electron (main.ts passes it to dialog.showSaveDialog). A folder
// export (a model, AffectNet's lists) asks for the folder's name; a file export for the file,
// with a filter for its type. The export itself still goes through export-target.ts.
import { join } from 'node:path';
import type { SaveRequest } from '../service/downloads/download-store.ts';

export interface SaveDialogSpec {
  title: string;
  defaultPath: string;
  buttonLabel: string;
  filters: { name: string; extensions: string[] }[];
  properties: ('createDirectory' | 'showOverwriteConfirmation')[];
}

const TITLES: Record<SaveRequest['kind'], string> = {
  labels: 'Export the current labels (CSV)',
  audit: 'Export the audit trail (CSV)',
  affectnet: 'Export AffectNet lists (a folder)',
  model: 'Export the model (a folder)',
  report: 'Export the HTML report',
  labelstudio: 'Export Label Studio tasks (JSON, with its labelling config beside it)',
};

export function saveDialogSpec(request: SaveRequest, folder: string): SaveDialogSpec {
  const ext = request.folder ? null : request.defaultName.slice(request.defaultName.lastIndexOf('.') + 1);
  return {
    title: TITLES[request.kind],
    defaultPath: join(folder, request.defaultName),
    buttonLabel: 'Export',
    filters: ext ? [{ name: ext === 'csv' ? 'CSV' : ext.toUpperCase(), extensions: [ext] }] : [],
    properties: ['createDirectory', 'showOverwriteConfirmation'],
  };
}

/** The dialog's answer as the export's target: null when cancelled or empty. */
export function chosenPath(result: { canceled: boolean; filePath?: string }): string | null {
  return result.canceled || !result.filePath ? null : result.filePath;
}
