import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import WebSocket from 'ws';
import { openProject } from '../../db/connection.ts';
import { logIn } from './launch-login.ts';
import { serveProject } from './serve-project.ts';

test('serveProject opens the project, prints the full URL and serves calls on it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-serve-'));
  process.env.AFFECT_RELEARN_CONFIG_DIR = join(dir, 'config');
  // The app's log goes to the data dir: keep it in the temp dir too.
  process.env.AFFECT_RELEARN_DATA_DIR = join(dir, 'data');
  const path = join(dir, 'served.arproj');
  openProject(path, { create: true, name: 'Served' }).close();
  const out = new PassThrough();
  const log = new PassThrough();
  let printed = '';
  out.on('data', (c) => (printed += String(c)));
  let logged = '';
  log.on('data', (c) => (logged += String(c)));
  const running = await serveProject(path, { out, log });
  try {
    assert.equal(printed, `${running.url}\n`);
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+\/login\?code=[A-Za-z0-9_-]{43}$/);
    assert.match(logged, /opened .*served\.arproj \(the project given on the command line\)/);
    const cookie = await logIn(running.url);
    const ws = new WebSocket(`ws://127.0.0.1:${running.port}/ws`, { headers: { Cookie: cookie } });
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'call', id: 'a', method: 'projects.current', params: {} }));
    const reply = JSON.parse(String(await new Promise((r) => ws.once('message', r))));
    assert.deepEqual(reply, { type: 'result', id: 'a', result: { path, name: 'Served', inputSize: { height: 48, width: 48 } } });
    ws.close();
  } finally {
    await running.close();
    delete process.env.AFFECT_RELEARN_CONFIG_DIR;
    delete process.env.AFFECT_RELEARN_DATA_DIR;
    rmSync(dir, { recursive: true, force: true });
  }
});
