/**
 * Annotator disagreement of every face with two or more labels, for the review queue's
 * no-model order and its disagreement filter: 1 - (count of its most frequent label / number
 * of labels), from its anonymous votes when it has two or more, else from its identified
 * annotators. Kept in a TEMP table of this connection (`temp.review_disagreement`) with an
 * index on (value, sample_id), so the order pages like a score does. Rebuilt when faces, votes
 * or annotators were added (imports are the only writers of labels; reviewers' decisions are
 * not annotator labels). A TEMP table lives and dies with the connection: nothing is stored.
 */
import type { ProjectDb } from './connection.ts';
import { VOTE_COLUMNS } from './sample-store.ts';

/** Per connection: the data version the table was built from. */
const built = new WeakMap<ProjectDb, string>();

/** Builds (or rebuilds, when labels were added) the disagreement table of this connection. */
export function ensureDisagreementTable(db: ProjectDb): void {
  const key = db
    .stmt<[], string>(
      `SELECT COALESCE((SELECT max(id) FROM samples), 0) || ':' || COALESCE((SELECT max(sample_id) FROM sample_votes), 0) || ':' ||
              (SELECT count(*) FROM annotators WHERE kind <> 'reviewer')`,
      'pluck',
    )
    .get()!;
  if (built.get(db) === key) return;
  const maxVote = `MAX(${VOTE_COLUMNS.join(', ')})`;
  // A deferred transaction: a TEMP table needs no write lock on the project file.
  db.sqlite.transaction(() => {
    db.sqlite.exec(`DROP TABLE IF EXISTS temp.review_disagreement;
      CREATE TEMP TABLE review_disagreement (sample_id INTEGER PRIMARY KEY, value REAL NOT NULL);
      INSERT INTO temp.review_disagreement (sample_id, value)
        SELECT sample_id, 1.0 - CAST(MAX(c) AS REAL) / SUM(c)
        FROM (SELECT sample_id, label, COUNT(*) AS c FROM annotations GROUP BY sample_id, label)
        GROUP BY sample_id HAVING SUM(c) >= 2;
      INSERT OR REPLACE INTO temp.review_disagreement (sample_id, value)
        SELECT sample_id, 1.0 - CAST(${maxVote} AS REAL) / n_total FROM sample_votes WHERE n_total >= 2;
      CREATE INDEX temp.review_disagreement_by_value ON review_disagreement (value, sample_id);`);
  })();
  built.set(db, key);
}

/** One face's disagreement; null when it has fewer than two labels (it is in no disagreement queue). */
export function faceDisagreement(db: ProjectDb, sampleId: number): number | null {
  ensureDisagreementTable(db);
  return db.stmt<[number], number>('SELECT value FROM temp.review_disagreement WHERE sample_id = ?', 'pluck').get(sampleId) ?? null;
}
