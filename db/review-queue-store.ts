/**
 * Named review queues: the filter and sort a person chose (opaque JSON owned by the UI) and
 * where they stopped (last face and its index), so reviewing resumes there after a restart.
 */
import type { SampleId } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export interface ReviewQueueState {
  key: string;
  filter: Record<string, unknown>;
  lastSampleId: SampleId | null;
  lastIndex: number;
  updatedAt: string;
}

interface QueueRow {
  key: string;
  filter: string;
  last_sample_id: number | null;
  last_index: number;
  updated_at: string;
}

const toState = (r: QueueRow): ReviewQueueState => ({
  key: r.key,
  filter: JSON.parse(r.filter),
  lastSampleId: r.last_sample_id as SampleId | null,
  lastIndex: r.last_index,
  updatedAt: r.updated_at,
});

export function saveReviewQueue(db: ProjectDb, key: string, state: { filter: Record<string, unknown>; lastSampleId?: SampleId | number | null; lastIndex?: number }): void {
  if (!key) throw new Error('review queue key must not be empty');
  db.stmt(
    `INSERT INTO review_queues (key, filter, last_sample_id, last_index) VALUES (?, ?, ?, ?)
     ON CONFLICT (key) DO UPDATE SET filter = excluded.filter, last_sample_id = excluded.last_sample_id,
       last_index = excluded.last_index, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(key, JSON.stringify(state.filter), state.lastSampleId ?? null, state.lastIndex ?? 0);
}

export function getReviewQueue(db: ProjectDb, key: string): ReviewQueueState | null {
  const r = db.stmt<[string], QueueRow>('SELECT * FROM review_queues WHERE key = ?').get(key);
  return r ? toState(r) : null;
}

export function listReviewQueues(db: ProjectDb): ReviewQueueState[] {
  return db.stmt<[], QueueRow>('SELECT * FROM review_queues ORDER BY updated_at DESC, key').all().map(toState);
}

export function deleteReviewQueue(db: ProjectDb, key: string): boolean {
  return db.stmt('DELETE FROM review_queues WHERE key = ?').run(key).changes > 0;
}
