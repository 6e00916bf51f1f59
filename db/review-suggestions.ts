/**
 * Suggested labels: where a model's predicted class (for a train face scored out-of-fold, the
 * class of the fold model that never saw it: the analysis stores that in `scores`) differs from
 * the face's current label, that class with its probability (the top softmax, `max_softmax`).
 * A face without a class label to compare (not a face) gets no suggestion; an unlabelled face
 * does. This is cleanlab's "suggested label" and what a bulk accept writes.
 */
import type { ProjectDb } from './connection.ts';
import { suggestionOf, type SuggestedLabel as Suggestion } from '../api/suggestion.ts';

export { suggestionOf };

/** Suggestions of a model for the listed faces (faces without one are left out). */
export function suggestionsFor(db: ProjectDb, modelId: number, sampleIds: readonly number[]): Map<number, Suggestion> {
  const rows = db
    .stmt<[{ model: number; ids: string }], { id: number; predicted: number | null; p: number | null; current: number | null }>(
      `SELECT l.sample_id AS id, sc.predicted_label AS predicted, sc.max_softmax AS p, l.current_label AS current
       FROM json_each(@ids) j JOIN sample_labels l ON l.sample_id = j.value
       JOIN scores sc ON sc.model_id = @model AND sc.sample_id = l.sample_id`,
    )
    .all({ model: modelId, ids: JSON.stringify(sampleIds) });
  const out = new Map<number, Suggestion>();
  for (const r of rows) {
    const s = suggestionOf(r.predicted, r.p, r.current);
    if (s) out.set(r.id, s);
  }
  return out;
}
