// Messages shown to the user: every failed call lands here with the request name, code and
// the server's message, so no error is swallowed. Errors stay until dismissed; notices fade.
import { CallError } from '../lib/api.ts';

export type ToastKind = 'error' | 'info' | 'success';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message: string;
}

export class Toasts {
  items = $state<Toast[]>([]);
  #next = 1;

  push(kind: ToastKind, title: string, message: string): number {
    const id = this.#next++;
    this.items = [...this.items, { id, kind, title, message }];
    if (kind !== 'error') setTimeout(() => this.dismiss(id), 6000);
    return id;
  }

  /** Shows a failure; `what` says what the user was doing ("Import", "Start training"). */
  error(what: string, e: unknown): void {
    if (e instanceof CallError) this.push('error', `${what} failed`, `${e.message} [${e.code}]`);
    else this.push('error', `${what} failed`, e instanceof Error ? e.message : String(e));
  }

  dismiss(id: number): void {
    this.items = this.items.filter((t) => t.id !== id);
  }

  dismissLatest(): void {
    this.items = this.items.slice(0, -1);
  }
}

export const toasts = new Toasts();

/** Runs an action, reporting a failure as a toast; resolves to undefined when it failed. */
export async function attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
  try {
    return await fn();
  } catch (e) {
    toasts.error(what, e);
    return undefined;
  }
}
