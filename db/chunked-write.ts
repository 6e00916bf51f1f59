/**
 * Bulk writes (a whole split's scores, a model's predictions) in short transactions, so that
 * another writer (a relabel from the UI, on its own connection) waits milliseconds, not the
 * seconds a 300,000-row transaction holds SQLite's single write lock.
 *
 * A waiting connection does not queue: SQLite's busy handler sleeps and retries (after 1, 2, 5,
 * 10, 15, 20, then 25 ms steps). A writer that took the lock again at once after each commit
 * would win nearly every time, so between transactions the bulk writer pauses longer than the
 * waiter's retry step: a waiter then gets the lock within about one chunk plus one pause.
 * A chunk ends at CHUNK_ROWS rows or CHUNK_HOLD_MS, whichever comes first.
 */
import { performance } from 'node:perf_hooks';
import type { ProjectDb } from './connection.ts';

export const CHUNK_ROWS = 1000;
export const CHUNK_HOLD_MS = 10;
export const CHUNK_PAUSE_MS = 20;

const sleeper = new Int32Array(new SharedArrayBuffer(4));
/** A synchronous pause (the writers are synchronous; this runs in worker threads and the CLI). */
function pause(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms);
}

/**
 * Calls writeRow(i) for i in [0, n) inside transactions of at most CHUNK_ROWS rows (fewer when
 * CHUNK_HOLD_MS passes first), pausing between them. Rows of a committed chunk stay written if
 * a later chunk fails: callers write idempotent rows (upserts) or mark completeness themselves.
 * Returns the number of transactions (0 inside a caller's transaction, which is then used whole).
 */
export function writeInChunks(db: ProjectDb, n: number, writeRow: (i: number) => void): number {
  if (db.sqlite.inTransaction) {
    // Part of a caller's transaction: it decides when the lock is released.
    for (let i = 0; i < n; i++) writeRow(i);
    return 0;
  }
  let i = 0;
  let transactions = 0;
  while (i < n) {
    if (transactions > 0) pause(CHUNK_PAUSE_MS);
    db.write(() => {
      const start = performance.now();
      const end = Math.min(n, i + CHUNK_ROWS);
      // The clock is read every 32 rows: cheap, and 32 rows take well under a millisecond.
      while (i < end) {
        writeRow(i++);
        if ((i & 31) === 0 && performance.now() - start >= CHUNK_HOLD_MS) break;
      }
    });
    transactions++;
  }
  return transactions;
}
