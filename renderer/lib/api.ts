/**
 * The only module that touches the transport. In Electron a preload exposes
 * `window.affectRelearn` (one function per request plus an event subscription); in a browser
 * the page talks to the browser-mode server over a WebSocket at `/ws`; the session cookie the
 * server set at login authenticates it and the face images, so no URL here carries a secret.
 * Either way the views see the same typed `call`, `on` and `imageUrl`.
 *
 * Every failure becomes a `CallError` carrying the server's code and message (or
 * 'disconnected' when the socket dropped with the call in flight): callers show it, never
 * swallow it.
 */
import type { ApiErrorShape, EventName, ParamsOf, PayloadOf, RequestName, ResultOf } from '../../api/contract.ts';
import type { CallId, ClientMessage, ServerMessage } from '../../api/wire.ts';
import { WS_PATH, sampleImagePath } from '../../api/wire.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

export class CallError extends Error {
  constructor(
    readonly method: string,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CallError';
  }
}

type Listener = (payload: unknown) => void;

/**
 * What the Electron preload exposes (electron/shell/preload-api.ts, restated structurally since
 * the renderer imports only api/): one function per request resolving with an envelope, since
 * errors crossing the context bridge keep only their message.
 */
type Envelope = { ok: true; result: unknown } | { ok: false; error: ApiErrorShape };
interface ElectronBridge {
  transport: 'electron';
  calls: Record<string, ((params: unknown) => Promise<Envelope>) | undefined>;
  on(name: string, cb: (payload: unknown) => void): () => void;
  faceUrl(id: number, size?: number): string;
}

interface Pending {
  method: string;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/** Minimal WebSocket surface, so a test can pass Node's `ws` client. */
export interface SocketLike {
  readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}
export type SocketFactory = (url: string) => SocketLike;

export interface Transport {
  call<M extends RequestName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  on<E extends EventName>(name: E, cb: (payload: PayloadOf<E>) => void): () => void;
  imageUrl(sampleId: number, size?: number): string;
  onConnection(cb: (s: ConnectionState) => void): () => void;
  close(): void;
}

function toCallError(method: string, e: unknown): CallError {
  if (e instanceof CallError) return e;
  const shape = e as Partial<ApiErrorShape> & { message?: string };
  const message = typeof shape?.message === 'string' ? shape.message : String(e);
  // Electron prefixes rejected invoke errors with "Error invoking remote method 'x': Error: ".
  return new CallError(method, typeof shape?.code === 'string' ? shape.code : 'internal', message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, ''));
}

/** A WebSocket transport with request ids, a send queue while connecting, and reconnection. */
export function createSocketTransport(wsUrl: string, httpBase: string, makeSocket: SocketFactory): Transport {
  const pending = new Map<CallId, Pending>();
  const listeners = new Map<string, Set<Listener>>();
  const connectionListeners = new Set<(s: ConnectionState) => void>();
  let queue: string[] = [];
  let socket: SocketLike | null = null;
  let nextId = 1;
  let closedByUser = false;
  let retryDelay = 250;
  let state: ConnectionState = 'closed';

  const setState = (s: ConnectionState) => {
    state = s;
    for (const cb of connectionListeners) cb(s);
  };

  function connect(): void {
    setState('connecting');
    const ws = makeSocket(wsUrl);
    socket = ws;
    ws.onopen = () => {
      retryDelay = 250;
      setState('open');
      const q = queue;
      queue = [];
      for (const msg of q) ws.send(msg);
    };
    ws.onmessage = (ev) => handle(String(ev.data));
    ws.onerror = () => {};
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      // Calls in flight are lost with the socket: fail them loudly rather than hang.
      for (const [id, p] of pending) {
        pending.delete(id);
        p.reject(new CallError(p.method, 'disconnected', `${p.method}: the connection to the server was lost`));
      }
      setState('closed');
      if (!closedByUser) {
        setTimeout(() => {
          if (!closedByUser && !socket) connect();
        }, retryDelay);
        retryDelay = Math.min(retryDelay * 2, 5000);
      }
    };
  }

  function handle(text: string): void {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(text) as ServerMessage;
    } catch {
      return;
    }
    if (msg.type === 'event') {
      for (const cb of listeners.get(msg.name) ?? []) cb(msg.payload);
      return;
    }
    if (msg.id === null) return;
    const p = pending.get(msg.id);
    if (!p) return;
    pending.delete(msg.id);
    if (msg.type === 'result') p.resolve(msg.result);
    else p.reject(new CallError(p.method, msg.error.code, msg.error.message));
  }

  return {
    call<M extends RequestName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const id = nextId++;
      const frame: ClientMessage = { type: 'call', id, method, params } as ClientMessage;
      return new Promise<ResultOf<M>>((resolve, reject) => {
        pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject });
        const text = JSON.stringify(frame);
        if (socket && state === 'open') socket.send(text);
        else {
          queue.push(text);
          if (!socket) connect();
        }
      });
    },
    on<E extends EventName>(name: E, cb: (payload: PayloadOf<E>) => void): () => void {
      let set = listeners.get(name);
      if (!set) listeners.set(name, (set = new Set()));
      set.add(cb as Listener);
      if (!socket) connect();
      return () => set.delete(cb as Listener);
    },
    imageUrl(sampleId: number, size?: number): string {
      return `${httpBase}${sampleImagePath(sampleId, size)}`;
    },
    onConnection(cb) {
      connectionListeners.add(cb);
      cb(state);
      return () => connectionListeners.delete(cb);
    },
    close() {
      closedByUser = true;
      socket?.close();
    },
  };
}

/** The Electron transport over the preload's functions. */
export function createElectronTransport(bridge: ElectronBridge): Transport {
  return {
    async call<M extends RequestName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const fn = bridge.calls[method];
      if (typeof fn !== 'function') throw new CallError(method, 'unknown_method', `${method}: not exposed by the preload`);
      let envelope: Envelope;
      try {
        envelope = await fn(params);
      } catch (e) {
        throw toCallError(method, e);
      }
      if (envelope.ok) return envelope.result as ResultOf<M>;
      throw new CallError(method, envelope.error.code, envelope.error.message);
    },
    on<E extends EventName>(name: E, cb: (payload: PayloadOf<E>) => void): () => void {
      return bridge.on(name, cb as Listener);
    },
    imageUrl: (sampleId, size) => bridge.faceUrl(sampleId, size),
    onConnection(cb) {
      cb('open');
      return () => {};
    },
    close() {},
  };
}

function pickTransport(): Transport {
  const w = globalThis as unknown as { affectRelearn?: ElectronBridge; location?: Location; WebSocket?: new (url: string) => SocketLike };
  if (w.affectRelearn) return createElectronTransport(w.affectRelearn);
  if (!w.location || !w.WebSocket) throw new Error('no transport: neither the Electron preload nor a browser WebSocket is present');
  const url = new URL(w.location.href);
  const wsProto = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const WS = w.WebSocket;
  return createSocketTransport(`${wsProto}//${url.host}${WS_PATH}`, `${url.protocol}//${url.host}`, (u) => new WS(u));
}

let transport: Transport | null = null;
function current(): Transport {
  return (transport ??= pickTransport());
}

/** Calls a request of the contract; rejects with a CallError. */
export function call<M extends RequestName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  return current().call(method, params);
}

/** Subscribes to an event of the contract; returns the unsubscribe function. */
export function on<E extends EventName>(name: E, cb: (payload: PayloadOf<E>) => void): () => void {
  return current().on(name, cb);
}

/** URL of a face image at `size` px. */
export function imageUrl(sampleId: number, size?: number): string {
  return current().imageUrl(sampleId, size);
}

export function onConnection(cb: (s: ConnectionState) => void): () => void {
  return current().onConnection(cb);
}
