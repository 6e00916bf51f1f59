// The review queue in the UI: the query (model, order, filter), pages of faces loaded on
// demand (keyset cursor after a loaded page, an offset for a jump), the current face and its
// detail, the progress counts, and the decisions. Every decision is written through
// labels.relabel before the UI moves on; every move saves the queue state in the project DB
// (per reviewer), so a restart resumes at the same face.
import type { FaceDetail, FaceLabelState, FaceListItem, ReviewCursor, ReviewOptions, ReviewQuery, ReviewSort } from '../../api/contract.ts';
import { MODEL_REVIEW_SORTS } from '../../api/contract.ts';
import type { ClassId } from '../../api/domain.ts';
import { suggestionOf } from '../../api/suggestion.ts';
import { call } from '../lib/api.ts';
import type { ReviewRequest } from './annotators-review-link.svelte.ts';
import { toasts } from './toasts.svelte.ts';

export const PAGE_SIZE = 100;
const REVIEWER_KEY = 'affect-relearn.reviewer';

function storedReviewer(): string {
  try {
    return globalThis.localStorage?.getItem(REVIEWER_KEY)?.trim() || 'reviewer';
  } catch {
    return 'reviewer';
  }
}

interface Page {
  items: FaceListItem[];
  next: ReviewCursor | null;
}

export class ReviewQueue {
  reviewer = $state(storedReviewer());
  options = $state<ReviewOptions | null>(null);
  query = $state<ReviewQuery>({ modelId: null, sort: 'id', filter: {} });
  orderLabel = $state('');
  total = $state(0);
  reviewed = $state(0);
  index = $state(0);
  detail = $state<FaceDetail | null>(null);
  loading = $state(false);
  busy = $state(false);
  /** Bumped whenever a page arrives or an item changes (pages are kept raw: 300,000 proxied items would be slow). */
  version = $state(0);
  #pages = new Map<number, Page>();
  #inflight = new Map<number, Promise<void>>();
  #generation = 0;
  #saving: Promise<unknown> = Promise.resolve();
  #detailFor = 0;
  /** A note typed for the face shown; sent with the next decision on that face (the audit's note column). */
  pendingNote = $state<{ sampleId: number; text: string } | null>(null);

  /** The face at `i` when its page is loaded (reactive through `version`). */
  itemAt(i: number): FaceListItem | undefined {
    void this.version;
    return this.#pages.get(Math.floor(i / PAGE_SIZE))?.items[i % PAGE_SIZE];
  }

  get current(): FaceListItem | undefined {
    return this.itemAt(this.index);
  }

  setReviewer(name: string): void {
    this.reviewer = name.trim() || 'reviewer';
    try {
      globalThis.localStorage?.setItem(REVIEWER_KEY, this.reviewer);
    } catch {
      // Private mode: the name lasts for this session.
    }
  }

  /** Which sorts the chosen model (or none) offers. */
  sortsFor(modelId: number | null): ReviewSort[] {
    const m = this.options?.models.find((x) => x.id === modelId);
    const base: ReviewSort[] = this.options?.hasAnnotatorLabels ? ['disagreement', 'id'] : ['id'];
    return m ? [...m.sorts, ...base] : base;
  }

  /**
   * Loads the options and the saved position, then the queue there; or, when another view
   * handed over a list of faces, that list (starting at its focus face).
   */
  async start(request: ReviewRequest | null = null): Promise<void> {
    this.loading = true;
    try {
      const [options, saved] = await Promise.all([call('faces.reviewOptions', {}), call('faces.getQueueState', { reviewer: this.reviewer })]);
      this.options = options;
      const fallback: ReviewQuery = { modelId: options.defaultModelId, sort: options.defaultSort, filter: {} };
      const valid = !!saved && this.sortsFor(saved.query.modelId).includes(saved.query.sort);
      const base = valid ? saved.query : fallback;
      if (request) {
        const modelId = request.modelId !== undefined && request.modelId !== null && options.models.some((m) => m.id === request.modelId) ? request.modelId : base.modelId;
        const sort = this.sortsFor(modelId).includes(base.sort) ? base.sort : this.sortsFor(modelId)[0];
        this.query = { modelId, sort, filter: {}, list: { title: request.title, ids: request.sampleIds } };
        await this.reload(request.focus ?? null);
        this.#saveState();
      } else {
        this.query = base;
        await this.reload(valid ? saved.sampleId : null);
      }
    } catch (e) {
      toasts.error('Loading the review queue', e);
    } finally {
      this.loading = false;
    }
  }

  /** Changes the query (model, order or filter) and starts the queue at its top. */
  async setQuery(q: Partial<ReviewQuery>): Promise<void> {
    const next = { ...this.query, ...q };
    if (!this.sortsFor(next.modelId).includes(next.sort)) next.sort = this.sortsFor(next.modelId)[0];
    if (next.modelId === null) next.filter = { ...next.filter, predicted: undefined, misclassified: undefined };
    next.filter = Object.fromEntries(Object.entries(next.filter).filter(([, v]) => v !== undefined));
    if (!next.list) delete next.list;
    this.query = next;
    await this.reload(null);
    this.#saveState();
  }

  private params() {
    const { modelId, sort, filter, list } = this.query;
    return { ...(modelId === null ? {} : { modelId }), sort, ...(list ? { ids: list.ids } : { filter }) };
  }

  /** Leaves a handed-over list for the queue in its order and filter. */
  leaveList(): Promise<void> {
    return this.setQuery({ list: undefined });
  }

  /** Opens a whole query (a saved view) at a face, or at the top when it left the queue. */
  async openQuery(query: ReviewQuery, startAt: number | null): Promise<void> {
    this.query = query;
    await this.reload(startAt);
    this.#saveState();
  }

  private async reload(startAt: number | null): Promise<void> {
    const gen = ++this.#generation;
    this.#pages.clear();
    this.#inflight.clear();
    this.detail = null;
    const first = await call('faces.listForReview', { ...this.params(), limit: PAGE_SIZE, withCounts: true });
    if (gen !== this.#generation) return;
    this.#pages.set(0, { items: first.items, next: first.next });
    this.total = first.counts?.total ?? first.items.length;
    this.reviewed = first.counts?.reviewed ?? 0;
    this.orderLabel = first.orderLabel;
    let index = 0;
    if (startAt !== null) {
      const at = await call('faces.listForReview', { ...this.params(), limit: 1, startAt: startAt as FaceListItem['id'] });
      if (gen !== this.#generation) return;
      index = Math.min(at.offset, Math.max(0, this.total - 1));
      await this.ensurePage(Math.floor(index / PAGE_SIZE));
    }
    this.version++;
    await this.goTo(index, { save: false });
  }

  /** Loads page `p` unless it is loaded or loading. */
  ensurePage(p: number): Promise<void> {
    if (p < 0 || p * PAGE_SIZE >= Math.max(this.total, 1) || this.#pages.has(p)) return Promise.resolve();
    const pending = this.#inflight.get(p);
    if (pending) return pending;
    const gen = this.#generation;
    const before = this.#pages.get(p - 1);
    const req = before?.next ? { after: before.next } : { offset: p * PAGE_SIZE };
    const promise = call('faces.listForReview', { ...this.params(), limit: PAGE_SIZE, ...req })
      .then((r) => {
        if (gen !== this.#generation) return;
        this.#pages.set(p, { items: r.items, next: r.next });
        this.version++;
      })
      .catch((e) => toasts.error('Loading faces', e))
      .finally(() => this.#inflight.delete(p));
    this.#inflight.set(p, promise);
    return promise;
  }

  /**
   * Moves to face `i` and loads it into the detail panel. With `holdCursor` the cursor stays
   * where it is until the panel shows the new face (after a decision, so that the highlighted
   * tile and the panel never name different faces while the next key may arrive).
   */
  async goTo(i: number, opts: { save?: boolean; holdCursor?: boolean } = {}): Promise<void> {
    if (this.total === 0) {
      this.index = 0;
      this.detail = null;
      return;
    }
    const index = Math.max(0, Math.min(this.total - 1, i));
    if (!opts.holdCursor) this.index = index;
    await this.ensurePage(Math.floor(index / PAGE_SIZE));
    // Read ahead so j never waits at a page boundary.
    void this.ensurePage(Math.floor((index + PAGE_SIZE / 2) / PAGE_SIZE));
    if (opts.save !== false && !opts.holdCursor) this.#saveState();
    const shown = await this.loadDetail(index);
    if (shown && opts.holdCursor && opts.save !== false) this.#saveState();
  }

  move(delta: number): Promise<void> {
    return this.goTo(this.index + delta);
  }

  /**
   * Loads face `index` (default: the cursor's) into the detail panel and puts the cursor on it
   * in the same step; false when a later move overtook it or it failed.
   */
  async loadDetail(index = this.index): Promise<boolean> {
    const item = this.itemAt(index);
    if (!item) return false;
    const ticket = ++this.#detailFor;
    try {
      const d = await call('faces.get', { id: item.id, ...(this.query.modelId === null ? {} : { modelId: this.query.modelId }) });
      if (ticket !== this.#detailFor) return false;
      this.detail = d;
      this.index = index;
      return true;
    } catch (e) {
      toasts.error('Loading the face', e);
      return false;
    }
  }

  /**
   * True when the detail panel shows the face under the cursor. After j/k the cursor moves at
   * once and the panel follows a moment later; a decision in between would land on a face the
   * person has not seen, so decisions wait for this.
   */
  get settled(): boolean {
    const item = this.current;
    return !!item && this.detail?.id === item.id;
  }

  /** Saves where the reviewer is; saves are chained so the last move is the one kept. */
  #saveState(): void {
    const item = this.current;
    const payload = { reviewer: this.reviewer, query: $state.snapshot(this.query) as ReviewQuery, sampleId: item?.id ?? null, index: this.index };
    this.#saving = this.#saving.then(() => call('faces.saveQueueState', payload)).catch((e) => toasts.error('Saving the queue position', e));
  }

  /** Resolves when every queued save has reached the DB (tests, closing). */
  flush(): Promise<unknown> {
    return this.#saving;
  }

  /** Shows a face's new label state in the loaded pages and the counter. */
  applyState(face: FaceLabelState): void {
    for (const page of this.#pages.values()) {
      const k = page.items.findIndex((x) => x.id === face.id);
      if (k < 0) continue;
      const item = page.items[k];
      if (item.reviewed !== face.reviewed) this.reviewed += face.reviewed ? 1 : -1;
      // A new object, not a mutation: the grid's per-tile derived values compare by identity.
      const suggested = suggestionOf(item.predicted, item.predictedProbability, face.currentLabel);
      page.items[k] = { ...item, currentLabel: face.currentLabel, reviewed: face.reviewed, lastAction: face.lastAction, suggested };
    }
    this.version++;
  }

  indexOf(id: number): number {
    for (const [p, page] of this.#pages) {
      const k = page.items.findIndex((x) => x.id === id);
      if (k >= 0) return p * PAGE_SIZE + k;
    }
    return -1;
  }

  /**
   * Writes a decision on face `sampleId`, the one the detail panel shows (the caller passes the
   * id it displayed, never the cursor), then shows the next face. Ignored while another
   * decision is being written or while the panel has not caught up with the cursor: a key
   * pressed then was meant for a face the person has not seen yet.
   */
  async decide(sampleId: number, action: 'relabel' | 'confirm' | 'ambiguous' | 'not_face', label?: ClassId): Promise<boolean> {
    if (this.busy || !this.settled || this.detail?.id !== sampleId) return false;
    this.busy = true;
    try {
      const note = this.pendingNote?.sampleId === sampleId ? this.pendingNote.text.trim() : '';
      const r = await call('labels.relabel', { sampleId: sampleId as FaceDetail['id'], action, reviewer: this.reviewer, ...(label === undefined ? {} : { label }), ...(note ? { note } : {}) });
      if (this.pendingNote?.sampleId === sampleId) this.pendingNote = null;
      if (r.face) this.applyState(r.face);
      const at = this.indexOf(sampleId);
      if (at >= 0 && at < this.total - 1) await this.goTo(at + 1, { holdCursor: true });
      else await this.loadDetail();
      return true;
    } catch (e) {
      toasts.error('Saving the decision', e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Keeps face `sampleId` (the one the detail panel shows) of its exact-duplicate group: each
   * twin gets a "duplicate of" decision and leaves training. The twins' tiles update in place.
   */
  async keepOne(sampleId: number): Promise<boolean> {
    if (this.busy || !this.settled || this.detail?.id !== sampleId) return false;
    this.busy = true;
    try {
      const r = await call('health.keepOne', { keep: sampleId as FaceDetail['id'], reviewer: this.reviewer });
      for (const f of r.faces) this.applyState(f);
      toasts.push('info', 'Duplicates marked', `${r.decisions.length} face${r.decisions.length === 1 ? '' : 's'} marked duplicate of #${sampleId}; they leave training.`);
      return true;
    } catch (e) {
      toasts.error('Marking duplicates', e);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** A decision from the keyboard: on the face the detail panel shows. */
  decideShown(action: 'relabel' | 'confirm' | 'ambiguous' | 'not_face', label?: ClassId): Promise<boolean> {
    return this.detail ? this.decide(this.detail.id, action, label) : Promise.resolve(false);
  }

  /** Undoes this reviewer's latest step (a bulk accept as a whole) and goes back to its last face. */
  async undo(): Promise<void> {
    // Not while the panel lags the cursor either: undo jumps, and the jump must start from a shown face.
    if (this.busy || !this.settled) return;
    this.busy = true;
    try {
      const r = await call('labels.undo', { reviewer: this.reviewer });
      if (!r.face) {
        toasts.push('info', 'Nothing to undo', `${this.reviewer} has no decision left to undo.`);
        return;
      }
      for (const f of r.changed) this.applyState(f);
      const at = this.indexOf(r.face.id);
      if (at >= 0 && at !== this.index) await this.goTo(at);
      else await this.loadDetail();
    } catch (e) {
      toasts.error('Undo', e);
    } finally {
      this.busy = false;
    }
  }

  isModelSort(sort: ReviewSort): boolean {
    return (MODEL_REVIEW_SORTS as readonly string[]).includes(sort);
  }
}

export const review = new ReviewQueue();
