import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import type { ClientMessage, ServerMessage } from '../../api/wire.ts';
import { CallError, createElectronTransport, createSocketTransport, type SocketLike } from './api.ts';

/** A tiny server speaking the wire protocol: answers app.info, fails projects.open, can push events and drop sockets. */
async function startWire() {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const urls: string[] = [];
  wss.on('connection', (ws, req) => {
    urls.push(req.url ?? '');
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as ClientMessage;
      let reply: ServerMessage;
      if (msg.method === 'app.info') reply = { type: 'result', id: msg.id, result: { version: '9', backend: null, transport: 'test', projectPath: null, node: 'x', platform: 'y' } };
      else if (msg.method === 'training.get') return; // never answered: lost when the socket drops
      else reply = { type: 'error', id: msg.id, error: { code: 'not_found', message: `${msg.method}: no such file` } };
      ws.send(JSON.stringify(reply));
    });
  });
  const port = (wss.address() as AddressInfo).port;
  const push = (m: ServerMessage) => wss.clients.forEach((c) => c.send(JSON.stringify(m)));
  const dropAll = () => wss.clients.forEach((c) => c.terminate());
  return { wss, port, urls, push, dropAll };
}

test('calls resolve with results, errors reject with the server code and message, events arrive', async () => {
  const srv = await startWire();
  const t = createSocketTransport(`ws://127.0.0.1:${srv.port}/ws`, `http://127.0.0.1:${srv.port}`, (u) => new WebSocket(u) as unknown as SocketLike);
  try {
    // Sent before the socket is open: must be queued, not lost.
    const info = await t.call('app.info', {});
    assert.equal(info.version, '9');
    assert.equal(srv.urls[0], '/ws');
    await assert.rejects(t.call('projects.open', { path: '/x' }), (e: unknown) => e instanceof CallError && e.code === 'not_found' && e.message === 'projects.open: no such file');

    const got: unknown[] = [];
    const off = t.on('import:progress', (p) => got.push(p.done));
    srv.push({ type: 'event', name: 'import:progress', payload: { jobId: 'j', done: 3, total: 9, accepted: 3, rejected: 0, skippedExisting: 0 } });
    srv.push({ type: 'event', name: 'training:progress', payload: { runId: 1 as never, phase: 'p', epoch: 1, plannedEpochs: 3, batch: 1, batches: 2, samplesPerSecond: 1, etaSeconds: null } });
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(got, [3]);
    off();
    // No secret in an image URL: the session cookie authenticates it.
    assert.equal(t.imageUrl(7, 96), `http://127.0.0.1:${srv.port}/img/sample/7.png?size=96`);
  } finally {
    t.close();
    srv.wss.close();
  }
});

test('a dropped connection fails the calls in flight and the transport reconnects', async () => {
  const srv = await startWire();
  const states: string[] = [];
  const t = createSocketTransport(`ws://127.0.0.1:${srv.port}/ws`, '', (u) => new WebSocket(u) as unknown as SocketLike);
  t.onConnection((s) => states.push(s));
  try {
    await t.call('app.info', {});
    const lost = t.call('training.get', { runId: 1 as never });
    await new Promise((r) => setTimeout(r, 30));
    srv.dropAll();
    await assert.rejects(lost, (e: unknown) => e instanceof CallError && e.code === 'disconnected');
    // The next call goes through on a new socket.
    const again = await t.call('app.info', {});
    assert.equal(again.version, '9');
    assert.equal(srv.urls.length, 2);
    assert.ok(states.includes('closed') && states[states.length - 1] === 'open', states.join(','));
  } finally {
    t.close();
    srv.wss.close();
  }
});

test('the Electron transport unwraps the preload envelope and keeps the error code', async () => {
  const sent: unknown[] = [];
  const bridge = {
    transport: 'electron' as const,
    calls: {
      'app.info': async (p: unknown) => {
        sent.push(p);
        return { ok: true as const, result: { version: '3' } };
      },
      'projects.open': async () => ({ ok: false as const, error: { code: 'not_found' as const, message: 'projects.open: /x does not exist' } }),
    },
    on: () => () => {},
    faceUrl: (id: number, size?: number) => `face://sample/${id}.png?size=${size}`,
  };
  const t = createElectronTransport(bridge);
  assert.equal((await t.call('app.info', {})).version, '3');
  assert.deepEqual(sent, [{}]);
  await assert.rejects(t.call('projects.open', { path: '/x' }), (e: unknown) => e instanceof CallError && e.code === 'not_found' && /does not exist/.test(e.message));
  await assert.rejects(t.call('models.list', {}), (e: unknown) => e instanceof CallError && e.code === 'unknown_method');
  assert.equal(t.imageUrl(4, 64), 'face://sample/4.png?size=64');
});
