// Keyboard navigation between views: Alt+1..7 and the two-key "g then letter" sequence (as in
// mail clients). Pure: takes key events as plain data and returns what to do, so it is unit
// tested without a DOM.

export const VIEW_IDS = ['project', 'training', 'evaluation', 'review', 'annotators', 'relearn', 'map'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

export interface ViewInfo {
  id: ViewId;
  label: string;
  /** Letter for the "g then letter" sequence. */
  letter: string;
}

export const VIEWS: readonly ViewInfo[] = [
  { id: 'project', label: 'Project', letter: 'p' },
  { id: 'training', label: 'Training', letter: 't' },
  { id: 'evaluation', label: 'Evaluation', letter: 'e' },
  { id: 'review', label: 'Review', letter: 'r' },
  { id: 'annotators', label: 'Annotators', letter: 'a' },
  { id: 'relearn', label: 'Re-learn', letter: 'l' },
  { id: 'map', label: 'Map', letter: 'm' },
];

export interface KeyInput {
  key: string;
  code?: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  /** True when focus is in a text field, where plain letters must type, not navigate. */
  inTextField: boolean;
  /**
   * True when focus is where "?" is typed as text (a text input, a text area, editable content).
   * Elsewhere (a list, a select, a button, a number field) "?" opens the help. Default: inTextField.
   */
  typesText?: boolean;
}

export type ShortcutAction = { kind: 'view'; view: ViewId } | { kind: 'help' } | { kind: 'close' } | { kind: 'pending-g' } | null;

export const SHORTCUT_HELP: readonly { keys: string; what: string }[] = [
  ...VIEWS.map((v, i) => ({ keys: `Alt+${i + 1}  or  g ${v.letter}`, what: `Go to ${v.label}` })),
  { keys: '?', what: 'Show or hide this help' },
  { keys: 'Esc', what: 'Close the help or a message' },
  { keys: 'Tab / Shift+Tab', what: 'Move between controls' },
];

/**
 * Decides what a key press means. `pendingG` says whether the previous key was a lone "g"
 * (the caller clears it after a short time).
 */
export function interpretKey(e: KeyInput, pendingG: boolean): ShortcutAction {
  if (e.key === 'Escape') return { kind: 'close' };
  if (e.altKey && !e.ctrlKey && !e.metaKey) {
    // e.code survives keyboard layouts where Alt+digit produces another character.
    const digit = /^Digit([1-7])$/.exec(e.code ?? '')?.[1] ?? (/^[1-7]$/.test(e.key) ? e.key : null);
    if (digit) return { kind: 'view', view: VIEW_IDS[Number(digit) - 1] };
    return null;
  }
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  // "?" whatever has focus, except where it is typed as text.
  if (e.key === '?') return (e.typesText ?? e.inTextField) ? null : { kind: 'help' };
  if (e.inTextField) return null;
  if (pendingG) {
    const v = VIEWS.find((x) => x.letter === e.key.toLowerCase());
    return v ? { kind: 'view', view: v.id } : null;
  }
  if (e.key === 'g') return { kind: 'pending-g' };
  return null;
}
