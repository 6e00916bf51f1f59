/**
 * One owner per training run. A run is trained by one process at a time: the app's worker, a
 * second app instance, or `affect-relearn train --resume`. Two would write the same epochs and
 * checkpoint file. So a trainer claims the run in a write transaction (its pid, its host and a
 * heartbeat it renews every few seconds), and a claim is refused while the run is 'running' for
 * an owner that is alive (process-liveness.ts). A stale lease (the owner's pid is gone on this
 * host, or its heartbeat is older than RUN_STALE_MS) is taken over.
 */
import type { RunId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { ownerAlive, THIS_HOST } from './process-liveness.ts';

/** How often an owner renews its heartbeat, and when a silent owner counts as dead. */
export const RUN_HEARTBEAT_MS = 5_000;
export const RUN_STALE_MS = 60_000;

const NOW = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

export interface RunOwner {
  pid: number;
  host: string;
  heartbeatAt: string;
}

export class RunningElsewhereError extends Error {
  constructor(
    readonly runId: number,
    readonly owner: RunOwner,
  ) {
    super(`run ${runId} is running elsewhere (process ${owner.pid} on ${owner.host}, last heartbeat ${owner.heartbeatAt}); stop it there, or wait ${RUN_STALE_MS / 1000} s after it died`);
    this.name = 'RunningElsewhereError';
  }
}

interface LeaseRow {
  status: string;
  pid: number | null;
  host: string | null;
  heartbeatAt: string | null;
}

function leaseRow(db: ProjectDb, runId: RunId | number): LeaseRow {
  const row = db.stmt<[number], LeaseRow>('SELECT status, owner_pid AS pid, owner_host AS host, heartbeat_at AS heartbeatAt FROM runs WHERE id = ?').get(runId);
  if (!row) throw new Error(`no run ${runId} in ${db.path}`);
  return row;
}

const isMe = (r: { pid: number | null; host: string | null }) => r.pid === process.pid && r.host === THIS_HOST;

/**
 * The owner of a 'running' run when it is another live process, else null (not running, owned
 * by this process, or its owner is dead: then it may be resumed).
 */
export function runningElsewhere(db: ProjectDb, runId: RunId | number, now = Date.now()): RunOwner | null {
  const r = leaseRow(db, runId);
  if (r.status !== 'running' || isMe(r) || !ownerAlive(r, RUN_STALE_MS, now)) return null;
  return { pid: r.pid!, host: r.host!, heartbeatAt: r.heartbeatAt! };
}

/**
 * Makes this process the run's owner, in one write transaction: throws RunningElsewhereError
 * when another live process owns it. A stale lease is taken over.
 */
export function claimRun(db: ProjectDb, runId: RunId | number): void {
  db.write(() => {
    const owner = runningElsewhere(db, runId);
    if (owner) throw new RunningElsewhereError(Number(runId), owner);
    db.stmt(`UPDATE runs SET owner_pid = ?, owner_host = ?, heartbeat_at = ${NOW} WHERE id = ?`).run(process.pid, THIS_HOST, runId);
  });
}

/** Renews this process's heartbeat on the run; false when the run is no longer ours. */
export function renewRunLease(db: ProjectDb, runId: RunId | number): boolean {
  return db.stmt(`UPDATE runs SET heartbeat_at = ${NOW} WHERE id = ? AND owner_pid = ? AND owner_host = ?`).run(runId, process.pid, THIS_HOST).changes === 1;
}

/** A heartbeat for a trainer to call as often as it likes: writes at most every RUN_HEARTBEAT_MS. */
export function leaseHeartbeat(db: ProjectDb, runId: RunId | number): () => void {
  let last = Date.now();
  return () => {
    const now = Date.now();
    if (now - last < RUN_HEARTBEAT_MS) return;
    last = now;
    renewRunLease(db, runId);
  };
}
