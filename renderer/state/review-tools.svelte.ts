// The review tools in the UI: a selection of faces in the grid (click, Shift-/Ctrl-click, x and
// Shift+j/k), accepting the model's suggested labels for the shown face, the selection or the
// top k of the queue (one batch, one undo step), free tags, and saved views. Decisions go
// through the service at once; the queue (review-queue.svelte.ts) shows their new state.
import { SvelteSet } from 'svelte/reactivity';
import type { FaceDetail, SavedView } from '../../api/contract.ts';
import type { ClassId } from '../../api/domain.ts';
import { call } from '../lib/api.ts';
import { review } from './review-queue.svelte.ts';
import { toasts } from './toasts.svelte.ts';

type Id = FaceDetail['id'];

export class ReviewTools {
  /** Selected face ids (kept across pages; cleared when the query changes). */
  selected = new SvelteSet<number>();
  /** Where a Shift-click range starts: the last plainly clicked or toggled index. */
  anchor = $state(0);
  tags = $state<{ tag: string; count: number }[]>([]);
  views = $state<SavedView[]>([]);
  /** k of "fix the top k". */
  topK = $state(10);

  /** A click on tile i: plain moves there (and clears the selection), Ctrl toggles, Shift selects the range from the anchor. */
  click(i: number, mods: { shift: boolean; ctrl: boolean }): void {
    if (mods.shift) {
      const [a, b] = this.anchor <= i ? [this.anchor, i] : [i, this.anchor];
      for (let k = a; k <= b; k++) {
        const item = review.itemAt(k);
        if (item) this.selected.add(item.id);
      }
    } else if (mods.ctrl) {
      const item = review.itemAt(i);
      if (item) this.toggle(item.id);
      this.anchor = i;
    } else {
      this.selected.clear();
      this.anchor = i;
    }
    void review.goTo(i);
  }

  toggle(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** x: the face under the cursor in or out of the selection. */
  toggleCurrent(): void {
    const item = review.current;
    if (!item) return;
    this.toggle(item.id);
    this.anchor = review.index;
  }

  /** Shift+j/k: select the face under the cursor and the next one in that direction, and move there. */
  async extend(delta: number): Promise<void> {
    const here = review.current;
    if (here) this.selected.add(here.id);
    await review.move(delta);
    const there = review.current;
    if (there) this.selected.add(there.id);
  }

  clear(): void {
    this.selected.clear();
  }

  /** s: the shown face takes its suggested label (an ordinary decision). */
  acceptShown(): Promise<boolean> {
    const d = review.detail;
    if (!d?.suggested) {
      if (d && review.query.modelId === null) toasts.push('info', 'No suggestion', 'Choose a model with scores: its class is suggested where it differs from the label.');
      return Promise.resolve(false);
    }
    return review.decide(d.id, 'relabel', d.suggested.label as ClassId);
  }

  /** Shift+S or the button: the selection's suggestions, or the top k of the queue, as one batch. */
  async acceptBulk(which: 'selected' | 'top'): Promise<void> {
    const modelId = review.query.modelId;
    if (modelId === null) {
      toasts.push('info', 'No suggestions', 'Choose a model with scores first: its suggestions are what is accepted.');
      return;
    }
    if (which === 'selected' && this.selected.size === 0) {
      toasts.push('info', 'Nothing selected', 'Select faces with Shift- or Ctrl-click, x or Shift+j/k first.');
      return;
    }
    if (review.busy) return;
    review.busy = true;
    try {
      const query = $state.snapshot(review.query);
      const r = await call('labels.acceptSuggestions', {
        reviewer: review.reviewer,
        modelId,
        ...(which === 'selected' ? { sampleIds: [...this.selected] as Id[] } : { top: { k: this.topK, query } }),
      });
      for (const f of r.changed) review.applyState(f);
      if (which === 'selected') this.selected.clear();
      const skipped = r.skipped ? `; ${r.skipped} had no suggestion` : '';
      toasts.push('info', `${r.changed.length} suggestion${r.changed.length === 1 ? '' : 's'} accepted`, `Undo takes them all back in one step (u)${skipped}.`);
      await review.loadDetail();
    } catch (e) {
      toasts.error('Accepting suggestions', e);
    } finally {
      review.busy = false;
    }
  }

  /** The faces a tag goes to: the selection, else the shown face. */
  targets(): Id[] {
    if (this.selected.size) return [...this.selected] as Id[];
    return review.detail ? [review.detail.id] : [];
  }

  async loadTags(): Promise<void> {
    try {
      this.tags = await call('faces.tags', {});
    } catch (e) {
      toasts.error('Loading tags', e);
    }
  }

  async addTag(tag: string, ids: Id[] = this.targets()): Promise<void> {
    if (!tag.trim() || ids.length === 0) return;
    try {
      await call('faces.addTag', { sampleIds: ids, tag });
      await Promise.all([this.loadTags(), review.loadDetail()]);
    } catch (e) {
      toasts.error('Tagging', e);
    }
  }

  async removeTag(tag: string, ids: Id[]): Promise<void> {
    try {
      await call('faces.removeTag', { sampleIds: ids, tag });
      await Promise.all([this.loadTags(), review.loadDetail()]);
    } catch (e) {
      toasts.error('Removing the tag', e);
    }
  }

  async loadViews(): Promise<void> {
    try {
      this.views = await call('views.list', {});
    } catch (e) {
      toasts.error('Loading saved views', e);
    }
  }

  /** Saves the queue as it is now (filters, order, the face shown) under a name. */
  async saveView(name: string): Promise<void> {
    if (!name.trim()) return;
    try {
      await call('views.save', { name: name.trim(), query: $state.snapshot(review.query), sampleId: review.current?.id ?? null, index: review.index });
      await this.loadViews();
      toasts.push('info', 'View saved', `"${name.trim()}" reopens this queue at this face.`);
    } catch (e) {
      toasts.error('Saving the view', e);
    }
  }

  async openView(name: string): Promise<void> {
    const v = this.views.find((x) => x.name === name);
    if (!v) return;
    this.selected.clear();
    await review.openQuery(v.query, v.sampleId);
  }

  async deleteView(name: string): Promise<void> {
    try {
      await call('views.delete', { name });
      await this.loadViews();
    } catch (e) {
      toasts.error('Deleting the view', e);
    }
  }
}

export const reviewTools = new ReviewTools();
