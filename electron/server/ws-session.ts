/**
 * One authenticated WebSocket: parses `{type:'call', id, method, params}` frames, answers each
 * with a result or an error frame carrying the same id, and forwards every service event.
 * Calls run concurrently (a slow call does not hold up the others); a malformed frame gets an
 * error frame, never a dropped connection, so the UI can show what went wrong.
 */
import type { WebSocket } from 'ws';
import { errorShapeOf, isEventName } from '../../api/contract.ts';
import type { CallId, ServerMessage } from '../../api/wire.ts';
import type { AppService } from '../service/app-service.ts';

function send(ws: WebSocket, msg: ServerMessage): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
}

function isCallId(v: unknown): v is CallId {
  return (typeof v === 'number' && Number.isFinite(v)) || (typeof v === 'string' && v.length <= 100);
}

/** Progress events superseded by the next one: dropped for a client that is not keeping up. */
const DROPPABLE_EVENTS = new Set(['training:progress', 'import:progress', 'analysis:progress', 'project:progress']);
const SLOW_CLIENT_BYTES = 1 << 20;

export function attachSocket(ws: WebSocket, service: AppService): void {
  const unsubscribe = service.onEvent((name, payload) => {
    if (!isEventName(name)) return;
    if (DROPPABLE_EVENTS.has(name) && ws.bufferedAmount > SLOW_CLIENT_BYTES) return;
    send(ws, { type: 'event', name, payload });
  });
  ws.on('close', unsubscribe);
  ws.on('error', unsubscribe);

  ws.on('message', (data, isBinary) => {
    let msg: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      msg = JSON.parse(data.toString());
    } catch (e) {
      send(ws, { type: 'error', id: null, error: { code: 'invalid_params', message: `frame is not JSON text: ${(e as Error).message}` } });
      return;
    }
    const frame = msg as { type?: unknown; id?: unknown; method?: unknown; params?: unknown };
    const id = frame && typeof frame === 'object' && isCallId(frame.id) ? frame.id : null;
    if (!frame || typeof frame !== 'object' || frame.type !== 'call' || id === null) {
      const message = id === null ? 'frame: id must be a number or a string of at most 100 characters' : `frame: type must be "call", got ${JSON.stringify(frame.type)}`;
      send(ws, { type: 'error', id, error: { code: 'invalid_params', message } });
      return;
    }
    service.call(String(frame.method), frame.params).then(
      (result) => send(ws, { type: 'result', id, result } as ServerMessage),
      (e: unknown) => {
        send(ws, { type: 'error', id, error: errorShapeOf(e) });
      },
    );
  });
}
