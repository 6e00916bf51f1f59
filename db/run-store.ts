/**
 * Runs (train, analyze, relearn) with their per-epoch record and the structure events of
 * adaptive models (METHOD.md 3.6). Epoch rows and events are keyed by (run, epoch, ...) and
 * written with upserts, so a run resumed from a checkpoint may replay an epoch without
 * counting it twice.
 */
import type { RunId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { resolveModelPath, toModelsRelative } from './model-paths.ts';

export type RunKind = 'train' | 'analyze' | 'relearn';
/** Same values as core/train/types.ts ModelKind (db may not import core): what a run trains. */
export type TrainedModelKind = 'cnn' | 'adbn' | 'dbn';
/** A model row: a trained network, or predictions imported from another tool (no weights, file_path ''). */
export type StoredModelKind = TrainedModelKind | 'imported';
export type RunStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Run {
  id: RunId;
  kind: RunKind;
  modelKind: TrainedModelKind | null;
  config: Record<string, unknown>;
  backend: string | null;
  status: RunStatus;
  error: string | null;
  /** Absolute path of the latest checkpoint, or null. */
  checkpointPath: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface EpochRecord {
  epoch: number;
  phase: string;
  metrics: Record<string, number>;
  units: number[];
  seconds: number;
  samples: number;
}

export interface StructureEventRecord {
  epoch: number;
  layer: number;
  kind: 'generation' | 'annihilation' | 'layer';
  unitsBefore: number;
  unitsAfter: number;
}

interface RunRow {
  id: number;
  kind: RunKind;
  model_kind: TrainedModelKind | null;
  config: string;
  backend: string | null;
  status: RunStatus;
  error: string | null;
  checkpoint_path: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export function createRun(db: ProjectDb, input: { kind: RunKind; modelKind?: TrainedModelKind | null; config?: Record<string, unknown>; backend?: string | null }): RunId {
  const info = db
    .stmt('INSERT INTO runs (kind, model_kind, config, backend) VALUES (?, ?, ?, ?)')
    .run(input.kind, input.modelKind ?? null, JSON.stringify(input.config ?? {}), input.backend ?? null);
  return Number(info.lastInsertRowid) as RunId;
}

/** Marks a run running (sets started_at the first time only, so a resume keeps the original start). */
export function startRun(db: ProjectDb, id: RunId | number, backend?: string | null): void {
  const info = db
    .stmt(`UPDATE runs SET status = 'running', error = NULL, finished_at = NULL, backend = COALESCE(?, backend), started_at = COALESCE(started_at, ${NOW}) WHERE id = ?`)
    .run(backend ?? null, id);
  if (info.changes === 0) throw new Error(`run ${id} does not exist`);
}

export function finishRun(db: ProjectDb, id: RunId | number, status: 'done' | 'failed' | 'cancelled', error: string | null = null): void {
  const info = db.stmt(`UPDATE runs SET status = ?, error = ?, finished_at = ${NOW} WHERE id = ?`).run(status, error, id);
  if (info.changes === 0) throw new Error(`run ${id} does not exist`);
}

/** Records the latest checkpoint file (absolute, or relative to the models dir). */
export function setRunCheckpoint(db: ProjectDb, id: RunId | number, path: string | null): void {
  db.stmt('UPDATE runs SET checkpoint_path = ? WHERE id = ?').run(path === null ? null : toModelsRelative(db, path), id);
}

function toRun(db: ProjectDb, r: RunRow): Run {
  return {
    id: r.id as RunId,
    kind: r.kind,
    modelKind: r.model_kind,
    config: JSON.parse(r.config),
    backend: r.backend,
    status: r.status,
    error: r.error,
    checkpointPath: r.checkpoint_path === null ? null : resolveModelPath(db, r.checkpoint_path),
    createdAt: r.created_at,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
  };
}

export function getRun(db: ProjectDb, id: RunId | number): Run | null {
  const r = db.stmt<[number], RunRow>('SELECT * FROM runs WHERE id = ?').get(id);
  return r ? toRun(db, r) : null;
}

export function listRuns(db: ProjectDb, filter: { kind?: RunKind; status?: RunStatus } = {}): Run[] {
  return db
    .stmt<[Record<string, unknown>], RunRow>('SELECT * FROM runs WHERE (@kind IS NULL OR kind = @kind) AND (@status IS NULL OR status = @status) ORDER BY id')
    .all({ kind: filter.kind ?? null, status: filter.status ?? null })
    .map((r) => toRun(db, r));
}

/** Writes one epoch and its structure events in one transaction (idempotent per epoch). */
export function recordEpoch(db: ProjectDb, runId: RunId | number, epoch: EpochRecord, events: readonly StructureEventRecord[] = []): void {
  db.write(() => {
    db.stmt('INSERT OR REPLACE INTO run_epochs (run_id, epoch, phase, metrics, units, seconds, samples) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      runId, epoch.epoch, epoch.phase, JSON.stringify(epoch.metrics), JSON.stringify(epoch.units), epoch.seconds, epoch.samples,
    );
    const insertEvent = db.stmt('INSERT OR REPLACE INTO structure_events (run_id, epoch, layer, kind, units_before, units_after) VALUES (?, ?, ?, ?, ?, ?)');
    for (const e of events) insertEvent.run(runId, e.epoch, e.layer, e.kind, e.unitsBefore, e.unitsAfter);
  });
}

export function listEpochs(db: ProjectDb, runId: RunId | number): EpochRecord[] {
  return db
    .stmt<[number], { epoch: number; phase: string; metrics: string; units: string; seconds: number; samples: number }>(
      'SELECT epoch, phase, metrics, units, seconds, samples FROM run_epochs WHERE run_id = ? ORDER BY epoch',
    )
    .all(runId)
    .map((r) => ({ ...r, metrics: JSON.parse(r.metrics), units: JSON.parse(r.units) }));
}

export function listStructureEvents(db: ProjectDb, runId: RunId | number): StructureEventRecord[] {
  return db
    .stmt<[number], StructureEventRecord>(
      'SELECT epoch, layer, kind, units_before AS unitsBefore, units_after AS unitsAfter FROM structure_events WHERE run_id = ? ORDER BY epoch, layer, id',
    )
    .all(runId);
}
