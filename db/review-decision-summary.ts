/**
 * The review decisions in a few numbers, for the report: faces with an effective decision
 * (undone ones do not count; the same rule as the Project view's "reviewed faces"), how many
 * by their latest action, and the class changes they made (given label → current label).
 */
import type { LabelCode } from '../api/domain.ts';
import type { ProjectDb } from './connection.ts';

export interface ReviewDecisionSummary {
  reviewedFaces: number;
  /** Faces by their latest effective action: relabel, confirm, ambiguous, not_face. */
  byAction: Record<string, number>;
  /** Faces whose current label differs from the given one, per (given, current) pair, most first. */
  changes: { from: LabelCode | null; to: LabelCode | null; faces: number }[];
}

export function reviewDecisionSummary(db: ProjectDb): ReviewDecisionSummary {
  const rows = db
    .stmt<[], { given_label: number | null; current_label: number | null; last_action: string; n: number }>(
      `SELECT given_label, current_label, last_action, count(*) AS n
       FROM sample_labels WHERE last_action IS NOT NULL
       GROUP BY given_label, current_label, last_action`,
    )
    .all();
  const byAction: Record<string, number> = {};
  const changes = new Map<string, { from: LabelCode | null; to: LabelCode | null; faces: number }>();
  let reviewedFaces = 0;
  for (const r of rows) {
    reviewedFaces += r.n;
    byAction[r.last_action] = (byAction[r.last_action] ?? 0) + r.n;
    if (r.given_label === r.current_label) continue;
    const key = `${r.given_label}:${r.current_label}`;
    const c = changes.get(key) ?? { from: r.given_label as LabelCode | null, to: r.current_label as LabelCode | null, faces: 0 };
    c.faces += r.n;
    changes.set(key, c);
  }
  return { reviewedFaces, byAction, changes: [...changes.values()].sort((a, b) => b.faces - a.faces || (a.from ?? -1) - (b.from ?? -1) || (a.to ?? -1) - (b.to ?? -1)) };
}
