/**
 * Reading reference labels: the full vote counts kept aside when a dataset was imported with
 * fewer votes per face (core/datasets/ferplus-subsample.ts). They are the answer key of the
 * detection metrics and of the simulated reviewer, so nothing that trains a model, computes a
 * score, stops early or chooses tau may read them: test/architecture.test.ts allows only the
 * measurement modules to import this file.
 */
import { NUM_CLASSES, NUM_LABEL_CODES, type Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

/** Reference counts of one split, by sample id (counts indexed by LabelCode). */
export type ReferenceVotes = ReadonlyMap<number, readonly number[]>;

export function readReferenceVotes(db: ProjectDb, split: Split): ReferenceVotes {
  const rows = db
    .stmt<[string], { id: number; counts: string }>('SELECT r.sample_id AS id, r.counts FROM reference_votes r JOIN samples s ON s.id = r.sample_id WHERE s.split = ? ORDER BY r.sample_id')
    .all(split);
  const out = new Map<number, number[]>();
  for (const r of rows) {
    const counts = JSON.parse(r.counts) as number[];
    if (!Array.isArray(counts) || counts.length !== NUM_LABEL_CODES) throw new Error(`reference_votes row of sample ${r.id}: expected ${NUM_LABEL_CODES} counts`);
    out.set(r.id, counts);
  }
  return out;
}

export function hasReferenceVotes(db: ProjectDb): boolean {
  return db.stmt<[], number>('SELECT 1 FROM reference_votes LIMIT 1', 'pluck').get() !== undefined;
}

/**
 * The reference majority: the emotion class holding the most class votes when it is the unique
 * maximum, else null (a tie, or no class votes). `unknown`/`NF` votes do not compete.
 */
export function referenceMajority(counts: readonly number[]): number | null {
  let best = -1;
  let bestN = 0;
  let tie = false;
  for (let c = 0; c < NUM_CLASSES; c++) {
    if (counts[c] > bestN) {
      best = c;
      bestN = counts[c];
      tie = false;
    } else if (counts[c] === bestN && bestN > 0) tie = true;
  }
  return best >= 0 && !tie ? best : null;
}

/** Ambiguous: the top class holds at most half of the class votes (METHOD.md 5's vote definition). */
export function referenceAmbiguous(counts: readonly number[]): boolean | null {
  let total = 0;
  let top = 0;
  for (let c = 0; c < NUM_CLASSES; c++) {
    total += counts[c];
    top = Math.max(top, counts[c]);
  }
  return total === 0 ? null : top * 2 <= total;
}
