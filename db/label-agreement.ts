/**
 * How much the labels of multi-labelled faces agree, straight from SQL so it costs nothing on
 * 300,000 faces: for every face with at least two labels (identified annotators' labels, or
 * anonymous vote counts), the share of its labels that equal its most frequent label, and
 * whether all labels agree. Reviewers' decisions are not labels of the dataset and are left out.
 */
import type { ProjectDb } from './connection.ts';
import { VOTE_COLUMNS } from './sample-store.ts';

export interface LabelAgreement {
  facesWithMultipleLabels: number;
  /** Mean over those faces of (count of the most frequent label / number of labels); null when none. */
  meanMajorityShare: number | null;
  /** Share of those faces whose labels are all equal; null when none. */
  unanimousShare: number | null;
}

export function labelAgreement(db: ProjectDb): LabelAgreement {
  const perFace = `
    SELECT a.sample_id AS id, MAX(a.c) AS top, SUM(a.c) AS total FROM (
      SELECT an.sample_id, an.label, COUNT(*) AS c FROM annotations an
      JOIN annotators r ON r.id = an.annotator_id WHERE r.kind <> 'reviewer'
      GROUP BY an.sample_id, an.label) a GROUP BY a.sample_id
    UNION ALL
    SELECT v.sample_id AS id, MAX(${VOTE_COLUMNS.map((c) => `v.${c}`).join(', ')}) AS top, v.n_total AS total FROM sample_votes v`;
  const row = db
    .stmt<[], { n: number; share: number | null; unanimous: number | null }>(
      `SELECT COUNT(*) AS n, AVG(CAST(top AS REAL) / total) AS share, AVG(CASE WHEN top = total THEN 1.0 ELSE 0.0 END) AS unanimous
       FROM (${perFace}) WHERE total >= 2`,
    )
    .get();
  return { facesWithMultipleLabels: row?.n ?? 0, meanMajorityShare: row?.share ?? null, unanimousShare: row?.unanimous ?? null };
}

/** Faces per dataset kind, largest first. */
export function datasetCounts(db: ProjectDb): { kind: string; count: number }[] {
  return db.stmt<[], { kind: string; count: number }>('SELECT dataset AS kind, COUNT(*) AS count FROM samples GROUP BY dataset ORDER BY count DESC').all();
}

/** Faces with anonymous vote counts and the number of votes they hold. */
export function voteTotals(db: ProjectDb): { faces: number; votes: number } {
  return db.stmt<[], { faces: number; votes: number }>('SELECT COUNT(*) AS faces, COALESCE(SUM(n_total), 0) AS votes FROM sample_votes').get() ?? { faces: 0, votes: 0 };
}

/** Vote counts of a split's faces: ids in id order, and n x 12 counts (zeros for faces without votes). */
export function votesForSplit(db: ProjectDb, split: string): { ids: Int32Array; votes: Float32Array; hasVotes: Uint8Array } {
  const rows = db
    .stmt<[string], number[]>(
      `SELECT s.id, v.sample_id IS NOT NULL, ${VOTE_COLUMNS.map((c) => `COALESCE(v.${c}, 0)`).join(', ')}
       FROM samples s LEFT JOIN sample_votes v ON v.sample_id = s.id WHERE s.split = ? ORDER BY s.id`,
      'raw',
    )
    .all(split);
  const n = rows.length;
  const k = VOTE_COLUMNS.length;
  const ids = new Int32Array(n);
  const votes = new Float32Array(n * k);
  const hasVotes = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    ids[i] = r[0];
    hasVotes[i] = r[1];
    for (let c = 0; c < k; c++) votes[i * k + c] = r[2 + c];
  }
  return { ids, votes, hasVotes };
}
