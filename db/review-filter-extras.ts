/**
 * The review queue's filters on free tags and score ranges, as SQL conditions for
 * review-queue-query.ts. A range reads the model's `scores` row (alias `sc`), so it needs a
 * model; the score name is checked against the score columns before it reaches the SQL.
 */
import type { ReviewFilter } from '../api/contract.ts';
import { SORTABLE_SCORES } from './score-store.ts';

export interface ExtraConditions {
  where: string[];
  params: Record<string, unknown>;
  /** Whether a condition reads `sc` (the model's scores). */
  readsScores: boolean;
}

/** Conditions for face id column `id`; throws when a range names no score column or has min > max. */
export function extraFilterConditions(f: ReviewFilter, id: string): ExtraConditions {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.tag !== undefined) {
    where.push(`EXISTS (SELECT 1 FROM face_tags ft WHERE ft.sample_id = ${id} AND ft.tag = @tag)`);
    params.tag = f.tag.trim();
  }
  (f.ranges ?? []).forEach((r, i) => {
    if (!(SORTABLE_SCORES as readonly string[]).includes(r.score)) throw new Error(`range ${i + 1}: ${JSON.stringify(r.score)} is not a score`);
    if (r.min !== undefined && r.max !== undefined && r.min > r.max) throw new Error(`range on ${r.score}: min ${r.min} is above max ${r.max}`);
    if (r.min !== undefined) {
      where.push(`sc.${r.score} >= @range_min_${i}`);
      params[`range_min_${i}`] = r.min;
    }
    if (r.max !== undefined) {
      where.push(`sc.${r.score} <= @range_max_${i}`);
      params[`range_max_${i}`] = r.max;
    }
  });
  const readsScores = (f.ranges ?? []).some((r) => r.min !== undefined || r.max !== undefined);
  return { where, params, readsScores };
}
