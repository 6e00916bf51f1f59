// Browser mode against a real server, real sockets and real HTTP requests: the one-time launch
// code and the session cookie it buys, the Host and Origin checks, the loopback-only bind,
// payload validation, calls, events and face images.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import sharp from 'sharp';
import type { SampleRecord } from '../../api/domain.ts';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { startServer, type RunningServer } from '../../electron/server/start-server.ts';
import { AppService } from '../../electron/service/app-service.ts';
import { Inbox, connect, get } from './client.ts';
import { rawRequest } from './raw-request.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-security-'));
const rendererDir = join(dir, 'renderer');
let service: AppService;
let server: RunningServer;
let port: number;
/** The launch URL's path (`/login?code=...`), the login's Set-Cookie header and the `name=value` to send. */
let launchPath: string;
let setCookie: string;
let cookie: string;
const auth = () => ({ Cookie: cookie });

before(async () => {
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>t</title><script type="module" src="/assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'secret.txt'), 'outside the root');
  service = new AppService({ transport: 'browser', configDir: join(dir, 'config'), logFile: null, backend: async () => ({ name: 'cpu', reason: 'test' }) });
  server = await startServer({ service, port: 0, rendererDir });
  port = server.port;
  const launch = new URL(server.url);
  launchPath = `${launch.pathname}${launch.search}`;
  const login = await get(port, launchPath);
  assert.equal(login.status, 303, login.body.toString());
  setCookie = String((login.headers['set-cookie'] as string[] | undefined)?.[0]);
  cookie = setCookie.split(';')[0];
});

after(async () => {
  await server.close();
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function expectRefused(p: Promise<unknown>, status: number): Promise<void> {
  return assert.rejects(p, (e: unknown) => {
    assert.equal((e as { status?: number }).status, status);
    return true;
  });
}

describe('access control', () => {
  test('the printed URL is a login with a 32-byte one-time code on the loopback address', () => {
    const m = /^http:\/\/127\.0\.0\.1:(\d+)\/login\?code=([A-Za-z0-9_-]+)$/.exec(server.url);
    assert.ok(m, server.url);
    assert.equal(Number(m[1]), port);
    assert.equal(Buffer.from(m[2], 'base64url').length, 32);
  });

  test('the launch code buys an HttpOnly, SameSite=Strict cookie and a redirect that drops the code from the address', () => {
    const attrs = setCookie.split(';').map((a) => a.trim());
    assert.match(attrs[0], new RegExp(`^affect_relearn_${port}=[A-Za-z0-9_-]{43}$`));
    assert.ok(attrs.includes('HttpOnly'), setCookie);
    assert.ok(attrs.includes('SameSite=Strict'), setCookie);
    assert.ok(attrs.includes('Path=/'), setCookie);
    assert.ok(!attrs.some((a) => /^(Expires|Max-Age)=/i.test(a)), `a session cookie, gone with the browser: ${setCookie}`);
    assert.ok(!setCookie.includes(new URL(server.url).searchParams.get('code')!), 'the cookie is not the launch code');
  });

  test('the launch code works once: reused, wrong or missing it is refused and sets no cookie', async () => {
    const again = await get(port, launchPath);
    assert.equal(again.status, 403);
    assert.match(again.body.toString(), /already used/);
    assert.equal(again.headers['set-cookie'], undefined);
    assert.equal((await get(port, '/login?code=x')).status, 403);
    assert.equal((await get(port, '/login')).status, 401);
  });

  test('data without the cookie is refused (401), with a wrong cookie or a secret in the URL too (403/401)', async () => {
    assert.equal((await get(port, '/img/sample/1.png')).status, 401);
    assert.equal((await get(port, '/img/sample/1.png', { Cookie: `affect_relearn_${port}=${'x'.repeat(43)}` })).status, 403);
    // Another port's cookie (another server on this machine) is not this server's.
    assert.equal((await get(port, '/img/sample/1.png', { Cookie: cookie.replace(`_${port}=`, `_${port + 1}=`) })).status, 401);
    // The old ways of passing a secret are gone.
    const value = cookie.split('=')[1];
    assert.equal((await get(port, `/img/sample/1.png?token=${value}`)).status, 401);
    assert.equal((await get(port, '/img/sample/1.png', { Authorization: `Bearer ${value}` })).status, 401);
    await expectRefused(connect(port, ''), 401);
    await expectRefused(connect(port, `?token=${value}`), 401);
    await expectRefused(connect(port, '', { Cookie: `${cookie.slice(0, -1)}${cookie.endsWith('A') ? 'B' : 'A'}` }), 403);
    const ok = await connect(port, '', auth());
    ok.close();
  });

  test('a foreign Origin is refused on HTTP and on the WebSocket upgrade, even with the cookie', async () => {
    assert.equal((await get(port, '/img/sample/1.png', { ...auth(), Origin: 'http://evil.com' })).status, 403);
    assert.equal((await get(port, '/', { Origin: `http://127.0.0.1:${port + 1}` })).status, 403);
    await expectRefused(connect(port, '', auth(), 'http://evil.com'), 403);
    const ok = await connect(port, '', auth(), `http://localhost:${port}`);
    ok.close();
  });

  test('a foreign Host (DNS rebinding) is refused on HTTP and WebSocket', async () => {
    const r = await get(port, '/', { Host: 'evil.com' });
    assert.equal(r.status, 403);
    assert.match(r.body.toString(), /Host "evil.com" is not this server/);
    assert.equal((await get(port, '/', { Host: `evil.com:${port}` })).status, 403);
    await expectRefused(connect(port, '', { ...auth(), Host: `evil.com:${port}` }), 403);
  });

  test('listens on 127.0.0.1 only, and refuses to bind elsewhere', async (t) => {
    await assert.rejects(startServer({ service, host: '0.0.0.0' }), /127\.0\.0\.1 only; refusing to bind "0\.0\.0\.0"/);
    await assert.rejects(startServer({ service, host: '::' }), /refusing to bind/);
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (!external) {
      t.skip('this machine has no non-loopback IPv4 interface to probe the server from');
      return;
    }
    const reached = await new Promise<boolean>((resolve) => {
      const s = netConnect({ host: external.address, port }, () => (s.destroy(), resolve(true)));
      s.on('error', () => resolve(false));
    });
    assert.equal(reached, false, `the server answered on ${external.address}`);
  });

  test('the renderer is served without the cookie under a strict CSP; nothing escapes its folder', async () => {
    const index = await get(port, '/');
    assert.equal(index.status, 200);
    assert.match(index.body.toString(), /<title>t<\/title>/);
    const csp = String(index.headers['content-security-policy']);
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, new RegExp(`connect-src 'self' ws://127\\.0\\.0\\.1:${port}`));
    assert.doesNotMatch(csp, /unsafe-eval/);
    assert.doesNotMatch(csp, /script-src[^;]*unsafe-inline/);
    assert.equal(index.headers['referrer-policy'], 'no-referrer');
    assert.equal((await get(port, '/assets/app.js')).headers['content-type'], 'text/javascript; charset=utf-8');
  });

  test('nothing escapes the renderer folder, however the request line spells the way out', async () => {
    // Sent byte for byte: `/../` and `/%2e%2e/` are folded away by URL parsing before the
    // folder check, but an encoded slash survives parsing and is decoded into a real `..`.
    const probes = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/.%2e/secret.txt',
      '/..%2fsecret.txt',
      '/..%2Fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/%2fassets%2f..%2f..%2fsecret.txt',
      '/..%252fsecret.txt',
      // Backslashes separate folders on Windows only; on POSIX they are part of a file name.
      '/..%5csecret.txt',
      '/..\\secret.txt',
      '/assets\\..\\..\\secret.txt',
      '/%2e%2e%5csecret.txt',
    ];
    // The probes are meaningful: after the server's own parsing (URL, then percent-decoding)
    // several of them name the secret file, so only the folder check stands in their way.
    const secret = join(dir, 'secret.txt');
    const reach = probes.filter((p) => resolve(join(rendererDir, decodeURIComponent(new URL(p, 'http://127.0.0.1').pathname))) === secret);
    assert.ok(reach.length >= 5, `probes that resolve to the secret file without a folder check: ${reach.join(' ')}`);
    assert.equal((await rawRequest(port, '/assets/app.js')).status, 200, 'the raw client reaches files inside the folder');
    for (const probe of probes) {
      const r = await rawRequest(port, probe);
      assert.equal(r.status, 404, `${probe} answered ${r.status}`);
      assert.doesNotMatch(r.body, /outside the root/, `${probe} leaked the file`);
    }
  });
});

describe('the wire protocol', () => {
  test('malformed payloads are answered with an error that names the field', async () => {
    const inbox = new Inbox(await connect(port, '', auth()));
    const bad = await inbox.call(1, 'training.start', { modelKind: 'cnn', options: { epochs: 'x' } });
    assert.deepEqual(bad, {
      type: 'error',
      id: 1,
      error: { code: 'invalid_params', message: 'training.start: options.epochs must be an integer >= 1, got "x"' },
    });
    const unknown = await inbox.call('u', 'system.exec', {});
    assert.equal(unknown.type === 'error' && unknown.error.code, 'unknown_method');
    inbox.ws.send('{not json');
    const parse = await inbox.next((m) => m.type === 'error' && m.id === null);
    assert.match(parse.type === 'error' ? parse.error.message : '', /frame is not JSON/);
    inbox.ws.send(JSON.stringify({ type: 'call', method: 'app.info', params: {} }));
    const noId = await inbox.next((m) => m.type === 'error' && /id must be/.test(m.error.message));
    assert.equal(noId.type, 'error');
    // The connection survives bad frames.
    const info = await inbox.call(2, 'app.info', {});
    assert.equal(info.type, 'result');
    inbox.ws.close();
  });

  test('a valid call works and its events reach every connected client', async () => {
    const a = new Inbox(await connect(port, '', auth()));
    const b = new Inbox(await connect(port, '', auth()));
    const path = join(dir, 'wire.arproj');
    const created = await a.call(1, 'projects.create', { path, name: 'Wire' });
    assert.equal(created.type, 'result');
    assert.deepEqual(created.type === 'result' && created.result, { path, name: 'Wire', inputSize: { height: 48, width: 48 } });
    for (const inbox of [a, b]) {
      const ev = await inbox.next((m) => m.type === 'event' && m.name === 'project:changed' && m.payload !== null && (m.payload as { project: unknown }).project !== null);
      assert.deepEqual(ev.type === 'event' && ev.payload, { project: { path, name: 'Wire', inputSize: { height: 48, width: 48 } } });
    }
    const current = await b.call(7, 'projects.current', {});
    assert.equal(current.type === 'result' && (current.result as { name: string }).name, 'Wire');
    a.ws.close();
    b.ws.close();
  });

  test('face images: the stored grey pixels as an upscaled PNG, cookie required', async () => {
    if (!service.project) await service.call('projects.create', { path: join(dir, 'img.arproj') });
    const size = 48;
    const pixels = new Uint8Array(size * size);
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) pixels[y * size + x] = x < size / 2 ? 20 : 230;
    const record: SampleRecord = {
      sourceRef: 'img-1', dataset: 'folder', split: 'train', width: size, height: size, pixels, originalPath: null, faceBox: null,
      givenLabel: 1, valence: null, arousal: null, annotations: [], votes: null, extra: null,
    };
    const [id] = insertSampleBatch(service.project!, [record]).ids;
    const r = await get(port, `/img/sample/${id}.png?size=96`, auth());
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'image/png');
    const { data, info } = await sharp(r.body).greyscale().raw().toBuffer({ resolveWithObject: true });
    assert.equal(info.width, 96);
    assert.equal(info.height, 96);
    const at = (x: number, y: number) => data[(y * info.width + x) * info.channels];
    assert.ok(Math.abs(at(10, 50) - 20) <= 3, `left ${at(10, 50)}`);
    assert.ok(Math.abs(at(85, 50) - 230) <= 3, `right ${at(85, 50)}`);
    assert.equal((await get(port, `/img/sample/${id}.png`)).status, 401);
    assert.equal((await get(port, '/img/sample/999999.png', auth())).status, 404);
    const badSize = await get(port, `/img/sample/${id}.png?size=5000`, auth());
    assert.equal(badSize.status, 400);
    assert.match(badSize.body.toString(), /size must be an integer >= 8 and <= 1024, got "5000"/);
  });
});

describe('export downloads', () => {
  test('an export downloads once as an attachment, with the session cookie only', async () => {
    if (!service.project) await service.call('projects.create', { path: join(dir, 'dl.arproj') });
    const ticket = await service.call('export.download', { kind: 'labels' });
    assert.match(ticket.url, /^\/download\/[A-Za-z0-9_-]{43}$/);
    assert.match(ticket.fileName, /-labels\.csv$/);
    // Without the cookie, or with another origin, the ticket alone is refused and stays usable.
    assert.equal((await get(port, ticket.url)).status, 401);
    assert.equal((await get(port, ticket.url, { Cookie: `affect_relearn_${port}=${'x'.repeat(43)}` })).status, 403);
    assert.equal((await get(port, ticket.url, { ...auth(), Origin: 'http://evil.com' })).status, 403);
    const r = await get(port, ticket.url, auth());
    assert.equal(r.status, 200, r.body.toString());
    assert.equal(r.headers['content-disposition'], `attachment; filename="${ticket.fileName}"; filename*=UTF-8''${encodeURIComponent(ticket.fileName)}`);
    assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
    assert.equal(r.headers['x-content-type-options'], 'nosniff');
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.body.length, ticket.bytes);
    assert.match(r.body.toString(), /^sample_id,source_ref,/);
    // Used up: a second GET (even with the cookie) finds nothing; guessed tickets neither.
    assert.equal((await get(port, ticket.url, auth())).status, 404);
    assert.equal((await get(port, `/download/${'A'.repeat(43)}`, auth())).status, 404);
    assert.equal((await get(port, '/download/../../etc/passwd', auth())).status, 404);
  });
});
