/**
 * What `info` shows about a project: faces per split and label (given and current),
 * annotators and how much they labelled, faces with votes, review progress, and two simple
 * agreement figures: how often identified annotators give the dataset's label, and how often
 * the vote majority (more than half the votes, FER+'s rule) is the dataset's label. Proper
 * annotator statistics (kappa, Dawid-Skene) belong to core/analysis.
 */
import { SPLITS, type Split } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';
import { listAnnotators, type AnnotatorSummary } from './annotator-store.ts';
import { getProjectInfo, type ProjectInfo } from './project-store.ts';
import { countSamplesByLabel, VOTE_COLUMNS, type LabelCounts } from './sample-store.ts';

export interface AgreementFigure {
  /** Faces (or annotations) compared with the given label. */
  compared: number;
  agreeing: number;
  /** agreeing / compared, or null when nothing was compared. */
  fraction: number | null;
}

export interface ProjectSummary {
  project: ProjectInfo;
  samples: number;
  bySplit: Record<Split, number>;
  byGivenLabel: LabelCounts;
  byCurrentLabel: LabelCounts;
  annotators: AnnotatorSummary[];
  facesWithVotes: number;
  facesWithAnnotations: number;
  review: { decisions: number; auditRows: number; reviewedFaces: number; relabeledFaces: number; notFaceFaces: number; ambiguousFaces: number };
  agreement: {
    /** Annotations of non-reviewer annotators on faces with a given label, equal to it. */
    annotatorsWithGiven: AgreementFigure;
    /** Faces with votes and a given label whose vote majority is the given label (no majority counts as disagreement). */
    voteMajorityWithGiven: AgreementFigure & { withoutMajority: number };
  };
}

/** SQL for the LabelCode holding more than half of a votes row, or NULL. */
const MAJORITY_SQL = `CASE ${VOTE_COLUMNS.map((c, code) => `WHEN v.${c} * 2 > v.n_total THEN ${code}`).join(' ')} ELSE NULL END`;

const fraction = (agreeing: number, compared: number) => (compared ? agreeing / compared : null);

export function projectSummary(db: ProjectDb): ProjectSummary {
  const byGivenLabel = countSamplesByLabel(db, 'given');
  const bySplit = Object.fromEntries(SPLITS.map((s) => [s, byGivenLabel[s].reduce((a, b) => a + b, 0)])) as Record<Split, number>;
  const count = (sql: string) => db.stmt<[], number>(sql, 'pluck').get() ?? 0;

  const ann = db
    .stmt<[], { compared: number; agreeing: number | null }>(
      // CROSS JOIN keeps samples outermost, read from its label index: looked up by id for every
      // annotation, a face's row (pixels included) would be read, the whole file at 300,000 faces.
      `SELECT count(*) AS compared, sum(n.label = s.given_label) AS agreeing
       FROM samples s CROSS JOIN annotations n ON n.sample_id = s.id JOIN annotators a ON a.id = n.annotator_id
       WHERE s.given_label IS NOT NULL AND a.kind <> 'reviewer'`,
    )
    .get()!;
  const votes = db
    .stmt<[], { compared: number; agreeing: number | null; without: number | null }>(
      `SELECT count(*) AS compared, sum(m.majority = m.given_label) AS agreeing, sum(m.majority IS NULL) AS without
       FROM (SELECT ${MAJORITY_SQL} AS majority, s.given_label FROM samples s CROSS JOIN sample_votes v ON v.sample_id = s.id WHERE s.given_label IS NOT NULL) m`,
    )
    .get()!;
  const review = db
    .stmt<[], { reviewed: number; relabeled: number | null; not_face: number | null; ambiguous: number | null }>(
      `SELECT count(*) AS reviewed,
              sum(current_label IS NOT given_label AND current_label <> 10) AS relabeled,
              sum(current_label = 10 AND given_label IS NOT 10) AS not_face,
              sum(last_action = 'ambiguous') AS ambiguous
       FROM sample_labels WHERE last_action IS NOT NULL`,
    )
    .get()!;

  return {
    project: getProjectInfo(db),
    samples: count('SELECT count(*) FROM samples'),
    bySplit,
    byGivenLabel,
    byCurrentLabel: countSamplesByLabel(db, 'current'),
    annotators: listAnnotators(db),
    facesWithVotes: count('SELECT count(*) FROM sample_votes'),
    facesWithAnnotations: count('SELECT count(DISTINCT sample_id) FROM annotations'),
    review: {
      decisions: count("SELECT count(*) FROM relabels WHERE action <> 'undo'"),
      auditRows: count('SELECT count(*) FROM relabels'),
      reviewedFaces: review.reviewed,
      relabeledFaces: review.relabeled ?? 0,
      notFaceFaces: review.not_face ?? 0,
      ambiguousFaces: review.ambiguous ?? 0,
    },
    agreement: {
      annotatorsWithGiven: { compared: ann.compared, agreeing: ann.agreeing ?? 0, fraction: fraction(ann.agreeing ?? 0, ann.compared) },
      voteMajorityWithGiven: {
        compared: votes.compared,
        agreeing: votes.agreeing ?? 0,
        fraction: fraction(votes.agreeing ?? 0, votes.compared),
        withoutMajority: votes.without ?? 0,
      },
    },
  };
}
