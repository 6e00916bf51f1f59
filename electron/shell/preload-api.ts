/**
 * What the preload exposes to the renderer, built from the contract's name lists: one function
 * per request (`calls['training.start'](params)`) and `on(event, cb)` for the contract's events
 * only. Nothing generic (no `invoke(channel)`), so a compromised renderer can reach exactly the
 * contract and nothing else of IPC. Kept free of Electron imports so it is unit-tested here.
 *
 * A call resolves with an envelope rather than rejecting, because errors crossing IPC and the
 * context bridge lose everything but their message: `{ok: true, result}` or
 * `{ok: false, error: {code, message}}`.
 */
import { EVENT_NAMES, REQUEST_NAMES, isEventName, type ApiErrorShape, type EventName, type Events, type ParamsOf, type RequestName, type ResultOf } from '../../api/contract.ts';
import { eventChannel, requestChannel } from './shell-policy.ts';

export type CallEnvelope<M extends RequestName> = { ok: true; result: ResultOf<M> } | { ok: false; error: ApiErrorShape };

export type ExposedCalls = { [M in RequestName]: (params: ParamsOf<M>) => Promise<CallEnvelope<M>> };

export interface ExposedApi {
  transport: 'electron';
  calls: ExposedCalls;
  /** Subscribes to one contract event; returns the unsubscribe function. */
  on<E extends EventName>(name: E, callback: (payload: Events[E]) => void): () => void;
  /** URL of a face image for <img src>. */
  faceUrl(id: number, size?: number): string;
}

/** The global name the API is exposed under: `window.affectRelearn`. */
export const EXPOSED_GLOBAL = 'affectRelearn';

/** The function names the preload exposes: exactly the contract's requests, in order. */
export const EXPOSED_CALL_NAMES: readonly RequestName[] = REQUEST_NAMES;
export const EXPOSED_EVENT_NAMES: readonly EventName[] = EVENT_NAMES;

/** The slice of ipcRenderer the preload uses. */
export interface IpcLike {
  invoke(channel: string, arg: unknown): Promise<unknown>;
  on(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, payload: unknown) => void): unknown;
}

export function createExposedApi(ipc: IpcLike): ExposedApi {
  const calls = {} as Record<string, (params: unknown) => Promise<unknown>>;
  for (const name of EXPOSED_CALL_NAMES) {
    const channel = requestChannel(name);
    calls[name] = (params: unknown) => ipc.invoke(channel, params);
  }
  return {
    transport: 'electron',
    calls: Object.freeze(calls) as unknown as ExposedCalls,
    on(name, callback) {
      if (!isEventName(name)) throw new Error(`on: ${JSON.stringify(String(name))} is not an event of the contract`);
      if (typeof callback !== 'function') throw new Error('on: callback must be a function');
      const channel = eventChannel(name);
      const listener = (_event: unknown, payload: unknown) => callback(payload as never);
      ipc.on(channel, listener);
      return () => {
        ipc.removeListener(channel, listener);
      };
    },
    faceUrl(id, size) {
      if (!Number.isSafeInteger(id) || id < 1) throw new Error(`faceUrl: id must be a positive integer, got ${String(id)}`);
      return `face://sample/${id}.png${size ? `?size=${Math.round(size)}` : ''}`;
    },
  };
}
