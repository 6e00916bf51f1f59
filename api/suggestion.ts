/**
 * The suggested label of a face, one rule for the service and the UI: where the model's
 * predicted class (for a train face scored out-of-fold, the class of the fold model that never
 * trained on it) differs from the current label, that class with its probability. A face
 * marked "not a face" gets none; an unlabelled face does.
 */
import { LABEL_NOT_FACE } from './domain.ts';

export interface SuggestedLabel {
  label: number;
  probability: number;
}

export function suggestionOf(predicted: number | null, probability: number | null, currentLabel: number | null): SuggestedLabel | null {
  if (predicted === null || probability === null || currentLabel === LABEL_NOT_FACE || predicted === currentLabel) return null;
  return { label: predicted, probability };
}
