// The view shown last, kept in the browser's storage so a reload (or the next start) returns
// to it instead of the Project view. A stored value that is not a view is ignored.
import { VIEW_IDS, type ViewId } from './shortcuts.ts';

const KEY = 'affect-relearn.view';

type Storage = Pick<globalThis.Storage, 'getItem' | 'setItem'>;

const storage = (): Storage | undefined => {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
};

export function loadLastView(store: Storage | undefined = storage()): ViewId {
  let v: string | null = null;
  try {
    v = store?.getItem(KEY) ?? null;
  } catch {
    // Storage refused (private mode): start at the Project view.
  }
  return (VIEW_IDS as readonly string[]).includes(v ?? '') ? (v as ViewId) : 'project';
}

export function saveLastView(view: ViewId, store: Storage | undefined = storage()): void {
  try {
    store?.setItem(KEY, view);
  } catch {
    // Private mode: the view is not remembered.
  }
}
