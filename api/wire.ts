/**
 * The browser-mode wire protocol (WebSocket at `/ws`, JSON text frames). The renderer's
 * transport and electron/server code against exactly these shapes. The page logs in once at
 * `/login?code=C` (a one-time launch code); the server's session cookie then authenticates the
 * WebSocket and the images, so no URL carries a secret.
 *
 *   client -> server  {type:'call', id, method, params}
 *   server -> client  {type:'result', id, result} | {type:'error', id, error:{code, message}}
 *                     | {type:'event', name, payload}
 *
 * `id` is chosen by the client (a number or string), echoed back unchanged. Face images are
 * plain HTTP: `GET /img/sample/<id>.png?size=<px>`.
 */
import type { ApiErrorShape, EventName, Events, RequestName, Requests } from './contract.ts';

export type CallId = number | string;

export interface WireCall<M extends RequestName = RequestName> {
  type: 'call';
  id: CallId;
  method: M;
  params: Requests[M]['params'];
}

export interface WireResult<M extends RequestName = RequestName> {
  type: 'result';
  id: CallId;
  result: Requests[M]['result'];
}

export interface WireError {
  type: 'error';
  /** null when the frame could not be parsed far enough to read its id. */
  id: CallId | null;
  error: ApiErrorShape;
}

export interface WireEvent<E extends EventName = EventName> {
  type: 'event';
  name: E;
  payload: Events[E];
}

export type ClientMessage = WireCall;
export type ServerMessage = WireResult | WireError | WireEvent;

/** Path of the WebSocket endpoint. */
export const WS_PATH = '/ws';
/** Path that spends the one-time launch code, sets the session cookie and redirects to `/`. */
export const LOGIN_PATH = '/login';
/** Query parameter of LOGIN_PATH that carries the launch code. */
export const LAUNCH_CODE_PARAM = 'code';
/** URL of a face image relative to the server root (the session cookie authenticates it). */
export function sampleImagePath(id: number, size?: number): string {
  return `/img/sample/${id}.png${size ? `?size=${size}` : ''}`;
}
/** Electron's custom protocol for face images. */
export function sampleImageProtocolUrl(id: number, size?: number): string {
  return `face://sample/${id}.png${size ? `?size=${size}` : ''}`;
}

/**
 * Browser mode's one-time downloads: `GET /download/<ticket>` (export.download answers the path).
 * The ticket is single-use and expires; the session cookie is required as for everything else.
 */
export const DOWNLOAD_PATH = '/download/';
