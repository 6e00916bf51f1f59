/**
 * A face's label evidence as one row of 12 counts by LabelCode: its anonymous vote counts
 * (FER+) plus one count per identified annotator's label. The one aggregation of votes and
 * annotations: training targets, kl_annotator, vote entropy and the annotator statistics all
 * read it. Reviewers' decisions are not evidence of the dataset; callers pass only
 * non-reviewer annotations.
 */
import { NUM_LABEL_CODES } from '../api/domain.ts';

export function labelCounts(n: number, votes: Float32Array | null, annotations: { row: ArrayLike<number>; label: ArrayLike<number> }): Float32Array {
  if (votes && votes.length !== n * NUM_LABEL_CODES) throw new Error(`labelCounts: ${votes.length / NUM_LABEL_CODES} vote rows for ${n} faces`);
  const counts = votes ? Float32Array.from(votes) : new Float32Array(n * NUM_LABEL_CODES);
  for (let k = 0; k < annotations.row.length; k++) {
    const r = annotations.row[k];
    const l = annotations.label[k];
    if (!(r >= 0 && r < n)) throw new Error(`labelCounts: annotation ${k} is on row ${r}, outside 0..${n - 1}`);
    if (!(l >= 0 && l < NUM_LABEL_CODES)) throw new Error(`labelCounts: annotation ${k} has label ${l}, not a LabelCode`);
    counts[r * NUM_LABEL_CODES + l] += 1;
  }
  return counts;
}
