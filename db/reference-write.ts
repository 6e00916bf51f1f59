/**
 * Writing reference labels (migration reference_labels): the importer stores the full vote
 * counts of a face it imported with fewer votes. Write-only on purpose: reading them back is
 * db/reference-votes.ts's job, and only measurement code may import that module.
 */
import { NUM_LABEL_CODES } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

/** Inside the caller's transaction: one row per face. */
export function insertReferenceVotes(db: ProjectDb, sampleId: number, counts: readonly number[]): void {
  if (counts.length !== NUM_LABEL_CODES || counts.some((n) => !(Number.isInteger(n) && n >= 0))) {
    throw new Error(`reference votes of sample ${sampleId}: expected ${NUM_LABEL_CODES} non-negative integer counts, got [${counts.join(', ')}]`);
  }
  db.stmt('INSERT INTO reference_votes (sample_id, counts) VALUES (?, ?)').run(sampleId, JSON.stringify(counts));
}
