// The hand-over from the Annotators and Re-learn views to the Review view: a view asks for a
// set of faces (the faces of one confusion cell, the faces a child model changed) with a title,
// and the Review view takes the pending request when it shows (`reviewLink.take()`) and lists
// exactly those faces. One small exported function, so neither view edits the other's files.
import type { ModelId, SampleId } from '../../api/domain.ts';
import { app } from './app-state.svelte.ts';

export interface ReviewRequest {
  /** What the faces are, e.g. "annotator A said anger where the others said disgust". */
  title: string;
  /** The faces to review, in this order. */
  sampleIds: SampleId[];
  /** The model whose predictions to show beside them, when there is one. */
  modelId?: ModelId | null;
  /** The face to open first (default: the first). */
  focus?: SampleId;
}

class ReviewLink {
  pending = $state<ReviewRequest | null>(null);

  /** The request waiting for the Review view, removed once taken. */
  take(): ReviewRequest | null {
    const r = this.pending;
    this.pending = null;
    return r;
  }
}

export const reviewLink = new ReviewLink();

/** Shows the Review view with these faces. */
export function openReviewWith(request: ReviewRequest): void {
  reviewLink.pending = { ...request, sampleIds: [...request.sampleIds] };
  app.view = 'review';
}
