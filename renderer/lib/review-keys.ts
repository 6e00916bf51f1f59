// The review view's keys: j/k and arrows move, 1-8 relabel, Enter/c confirm, a ambiguous,
// n not a face, u or Ctrl+Z undo; s accepts the suggested label, x / Shift+j/k select faces,
// Shift+S accepts the selection's suggestions, Esc clears it, m writes a note, t tags. Pure, like shortcuts.ts, so it is unit tested without a DOM;
// the help overlay lists REVIEW_SHORTCUT_HELP.
import { CLASS_NAMES } from '../../api/domain.ts';

export type ReviewKeyAction =
  | { kind: 'move'; delta: number; unit: 'face' | 'row' | 'page' }
  | { kind: 'jump'; to: 'first' | 'last' }
  | { kind: 'leave-control' }
  | { kind: 'relabel'; label: number }
  | { kind: 'confirm' }
  | { kind: 'ambiguous' }
  | { kind: 'not_face' }
  | { kind: 'undo' }
  | { kind: 'accept-suggestion' }
  | { kind: 'accept-selected' }
  | { kind: 'toggle-select' }
  | { kind: 'extend-select'; delta: number }
  | { kind: 'clear-select' }
  | { kind: 'note' }
  | { kind: 'tag' }
  | null;

export interface ReviewKeyInput {
  key: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey?: boolean;
  /** Focus is in a text field, select or button: keys belong to it. */
  inControl: boolean;
  /** The previous key was a lone "g" (the shell's "g then letter" view switch). */
  afterG: boolean;
  /**
   * The key is held and the system repeats it. A decision must be one press on one face seen:
   * a held Enter would otherwise confirm face after face that were never looked at. Moves may
   * repeat (holding j scrolls).
   */
  repeat?: boolean;
}

export const REVIEW_SHORTCUT_HELP: readonly { keys: string; what: string }[] = [
  { keys: 'j / →   k / ←', what: 'Next / previous face' },
  { keys: '↓ / ↑', what: 'Face below / above in the grid' },
  { keys: 'PgDn / PgUp   Home / End', what: 'Ten rows down / up, first / last face' },
  { keys: '1 … 8', what: `Relabel to ${CLASS_NAMES.map((c, i) => `${i + 1} ${c}`).join(', ')}` },
  { keys: 'Enter  or  c', what: 'Confirm the current label' },
  { keys: 'a', what: 'Mark ambiguous (left out of training)' },
  { keys: 'n', what: 'Not a face' },
  { keys: 'u  or  Ctrl+Z', what: 'Undo your last step (a bulk accept as a whole)' },
  { keys: 's', what: "Accept the model's suggested label" },
  { keys: 'x   Shift+j / Shift+k', what: 'Select the face / extend the selection (or Shift- and Ctrl-click)' },
  { keys: 'Shift+S', what: 'Accept the suggestions of the selected faces (one step to undo)' },
  { keys: 'Esc', what: 'Clear the selection' },
  { keys: 'm', what: 'Write a note for the next decision on this face' },
  { keys: 't', what: 'Tag the face (or the selected faces)' },
  { keys: 'Esc (in a filter)', what: 'Back to the faces, so these keys work again' },
];

const DECISION_KINDS: ReadonlySet<string> = new Set(['relabel', 'confirm', 'ambiguous', 'not_face', 'undo', 'accept-suggestion', 'accept-selected', 'toggle-select']);

export function interpretReviewKey(e: ReviewKeyInput): ReviewKeyAction {
  const action = interpretKey(e);
  return action && e.repeat && DECISION_KINDS.has(action.kind) ? null : action;
}

function interpretKey(e: ReviewKeyInput): ReviewKeyAction {
  // In a field Ctrl+Z is the field's own undo, and Enter presses the focused button.
  if (e.inControl) return e.key === 'Escape' ? { kind: 'leave-control' } : null;
  if (e.afterG || e.altKey || e.metaKey) return null;
  if (e.ctrlKey) return e.key === 'z' || e.key === 'Z' ? { kind: 'undo' } : null;
  if (e.shiftKey && (e.key === 'ArrowRight' || e.key === 'ArrowLeft')) return { kind: 'extend-select', delta: e.key === 'ArrowRight' ? 1 : -1 };
  switch (e.key) {
    case 'J':
      return { kind: 'extend-select', delta: 1 };
    case 'K':
      return { kind: 'extend-select', delta: -1 };
    case 's':
      return { kind: 'accept-suggestion' };
    case 'S':
      return { kind: 'accept-selected' };
    case 'x':
      return { kind: 'toggle-select' };
    case 'Escape':
      return { kind: 'clear-select' };
    case 'm':
      return { kind: 'note' };
    case 't':
      return { kind: 'tag' };
    case 'j':
    case 'ArrowRight':
      return { kind: 'move', delta: 1, unit: 'face' };
    case 'k':
    case 'ArrowLeft':
      return { kind: 'move', delta: -1, unit: 'face' };
    case 'ArrowDown':
      return { kind: 'move', delta: 1, unit: 'row' };
    case 'ArrowUp':
      return { kind: 'move', delta: -1, unit: 'row' };
    case 'PageDown':
      return { kind: 'move', delta: 1, unit: 'page' };
    case 'PageUp':
      return { kind: 'move', delta: -1, unit: 'page' };
    case 'Home':
      return { kind: 'jump', to: 'first' };
    case 'End':
      return { kind: 'jump', to: 'last' };
    case 'Enter':
    case 'c':
      return { kind: 'confirm' };
    case 'a':
      return { kind: 'ambiguous' };
    case 'n':
      return { kind: 'not_face' };
    case 'u':
      return { kind: 'undo' };
  }
  if (/^[1-8]$/.test(e.key)) return { kind: 'relabel', label: Number(e.key) - 1 };
  return null;
}
