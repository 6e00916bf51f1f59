// Hands the keyboard back to the face grid (after a filter, a tag or a note), so the review
// keys work again without a click.
export function focusGrid(): void {
  queueMicrotask(() => document.querySelector<HTMLElement>('[data-testid=face-grid]')?.focus());
}

/** Focuses a field of the review view by id once it is rendered. */
export function focusField(id: string): void {
  requestAnimationFrame(() => document.getElementById(id)?.focus());
}
