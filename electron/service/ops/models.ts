/** The models of a project as the UI lists them, with the final metrics of their runs. */
import type { ModelInfo, StoredModelKind } from '../../../api/contract.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { listModels as listStored } from '../../../db/model-store.ts';
import { listEpochs } from '../../../db/run-store.ts';

export function listModels(db: ProjectDb): ModelInfo[] {
  return listStored(db).map((m) => {
    const epochs = m.runId ? listEpochs(db, m.runId) : [];
    const last = epochs[epochs.length - 1];
    const structure = m.structure as { units?: number[] };
    return {
      id: m.id,
      runId: m.runId,
      kind: m.kind as StoredModelKind,
      name: m.name,
      createdAt: m.createdAt,
      inputSize: m.inputSize,
      units: structure.units ?? [],
      metrics: last?.metrics ?? {},
      parentModelId: m.parentModelId,
    };
  });
}
