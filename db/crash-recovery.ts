/**
 * What a crashed process leaves behind, tidied when a project opens: imports still marked
 * 'running' (marked interrupted) and the model row of a training run killed while saving its
 * model (deleted, with its partial predictions, so no half model is listed; resuming the run
 * saves it again). Work whose owner is alive in another process or thread is left alone.
 */
import type { ProjectDb } from './connection.ts';
import { markInterruptedImports } from './import-store.ts';
import { deleteUnfinishedRunModels } from './model-store.ts';
import { ownerAlive } from './process-liveness.ts';
import { RUN_STALE_MS } from './run-lease.ts';

/** Deletes the model rows of training runs left 'running' by a dead owner; returns how many runs. */
export function removeHalfSavedModels(db: ProjectDb, now = Date.now()): number {
  const runs = db
    .stmt<[], { id: number; pid: number | null; host: string | null; heartbeatAt: string | null }>(
      `SELECT id, owner_pid AS pid, owner_host AS host, COALESCE(heartbeat_at, started_at, created_at) AS heartbeatAt FROM runs r
       WHERE kind = 'train' AND status = 'running' AND EXISTS (SELECT 1 FROM models m WHERE m.run_id = r.id)`,
    )
    .all()
    .filter((r) => !ownerAlive(r, RUN_STALE_MS, now));
  for (const r of runs) deleteUnfinishedRunModels(db, r.id);
  return runs.length;
}

export function recoverFromCrashes(db: ProjectDb): void {
  markInterruptedImports(db);
  removeHalfSavedModels(db);
}
