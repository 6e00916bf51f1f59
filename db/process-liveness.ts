/**
 * Is the process that claimed some work still alive? On this host the process table answers
 * (a pid that no longer exists is dead; EPERM means it exists under another user). For another
 * host (a project on a shared drive) only the work's heartbeat can tell; and a heartbeat that
 * stopped long ago also means a dead owner on this host whose pid was reused.
 */
import { hostname } from 'node:os';

export const THIS_HOST = hostname();

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface Owner {
  pid: number | null;
  host: string | null;
  /** ISO time of the owner's last sign of life. */
  heartbeatAt: string | null;
}

/** True when the owner may still be working: never true for an owner with no heartbeat older than staleMs. */
export function ownerAlive(owner: Owner, staleMs: number, now = Date.now()): boolean {
  const beat = owner.heartbeatAt === null ? Number.NaN : Date.parse(owner.heartbeatAt);
  if (!(now - beat <= staleMs)) return false;
  if (owner.host === THIS_HOST && owner.pid !== null) return pidAlive(owner.pid);
  return owner.host !== null;
}
