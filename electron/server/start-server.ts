/**
 * Browser mode: the same service over HTTP + WebSocket on 127.0.0.1 only, for a browser on this
 * machine (Chromium `--app` when Electron is absent) or through an SSH tunnel to a GPU box.
 * Every request and upgrade passes the Host/Origin check; everything but the static renderer
 * files and the login needs the session cookie, which a one-time launch code buys
 * (launch-login.ts): the socket, the face images and the one-time export downloads
 * (download-route.ts). The wire protocol is api/wire.ts.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ApiError } from '../../api/contract.ts';
import { DOWNLOAD_PATH, LAUNCH_CODE_PARAM, LOGIN_PATH, WS_PATH } from '../../api/wire.ts';
import type { AppService } from '../service/app-service.ts';
import { parseImageSize, parseSampleId, renderSamplePng } from '../service/sample-image.ts';
import { serveDownload } from './download-route.ts';
import { LaunchLogin } from './launch-login.ts';
import { checkHostAndOrigin, type GuardFailure } from './request-guard.ts';
import { DEFAULT_RENDERER_DIR, securityHeaders, serveStatic } from './static-files.ts';
import { attachSocket } from './ws-session.ts';

export interface StartServerOptions {
  service: AppService;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Only '127.0.0.1' is accepted: the server must never listen on another interface. */
  host?: string;
  /** Built renderer files (default dist/renderer). */
  rendererDir?: string;
}

export interface RunningServer {
  /** The launch URL, e.g. http://127.0.0.1:5123/login?code=... (works once). */
  url: string;
  port: number;
  /** Name of the session cookie (it carries the port: cookies are not separated by port). */
  cookieName: string;
  close(): Promise<void>;
}

export const LOOPBACK_HOST = '127.0.0.1';
const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 500: 'Internal Server Error' };

function httpStatusFor(e: ApiError): number {
  if (e.code === 'invalid_params') return 400;
  if (e.code === 'not_found' || e.code === 'no_project') return 404;
  return 500;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const host = options.host ?? LOOPBACK_HOST;
  if (host !== LOOPBACK_HOST) throw new Error(`browser mode listens on ${LOOPBACK_HOST} only; refusing to bind ${JSON.stringify(host)}`);
  const { service } = options;
  const rendererDir = options.rendererDir ?? DEFAULT_RENDERER_DIR;
  let port = 0;
  // Made once the port is known (the cookie's name carries it); no request arrives before.
  let login: LaunchLogin | null = null;
  const checkLogin = (req: IncomingMessage): GuardFailure | null => (login ? login.check(req) : { status: 401, reason: 'not listening yet' });
  const sockets = new Set<WebSocket>();

  const fail = (res: ServerResponse, f: GuardFailure | { status: number; reason: string }) => {
    res.writeHead(f.status, { ...securityHeaders(port), 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
    res.end(`${f.status} ${STATUS_TEXT[f.status] ?? ''}: ${f.reason}\n`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const guard = checkHostAndOrigin(req, port);
    if (guard) return fail(res, guard);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}:${port}`);
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, { status: 400, reason: `method ${req.method} is not served` });
    if (url.pathname === LOGIN_PATH && login) {
      const r = login.redeem(url.searchParams.get(LAUNCH_CODE_PARAM));
      if ('status' in r) return fail(res, r);
      res.writeHead(303, { ...securityHeaders(port), Location: '/', 'Set-Cookie': r.setCookie, 'Cache-Control': 'no-store' });
      return res.end();
    }
    if (url.pathname.startsWith('/img/sample/')) {
      const denied = checkLogin(req);
      if (denied) return fail(res, denied);
      try {
        const db = service.project;
        if (!db) throw new ApiError('no_project', 'image: no project is open');
        const png = await renderSamplePng(db, parseSampleId(url.pathname.slice('/img/sample/'.length)), parseImageSize(url.searchParams.get('size')));
        res.writeHead(200, { ...securityHeaders(port), 'Content-Type': 'image/png', 'Cache-Control': 'private, max-age=60' });
        return res.end(png);
      } catch (e) {
        const err = e instanceof ApiError ? e : new ApiError('internal', `image: ${(e as Error).message}`);
        return fail(res, { status: httpStatusFor(err), reason: err.message });
      }
    }
    if (url.pathname.startsWith(DOWNLOAD_PATH)) {
      const denied = checkLogin(req);
      if (denied) return fail(res, denied);
      if (serveDownload(req, res, service.downloads, url.pathname.slice(DOWNLOAD_PATH.length), securityHeaders(port))) return;
      return fail(res, { status: 404, reason: 'no such download: each one works once, within 10 minutes of being prepared (GET only)' });
    }
    if (url.pathname === WS_PATH) return fail(res, { status: 400, reason: 'this path takes a WebSocket upgrade' });
    if (!serveStatic(rendererDir, url.pathname, res, securityHeaders(port))) fail(res, { status: 404, reason: `${url.pathname} not found` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (!res.headersSent) fail(res, { status: 500, reason: e instanceof Error ? e.message : String(e) });
      else res.destroy();
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  const refuseUpgrade = (socket: Duplex, f: { status: number; reason: string }) => {
    socket.end(`HTTP/1.1 ${f.status} ${STATUS_TEXT[f.status] ?? ''}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${f.reason}\n`);
  };
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const guard = checkHostAndOrigin(req, port);
    if (guard) return refuseUpgrade(socket, guard);
    const url = new URL(req.url ?? '/', `http://${LOOPBACK_HOST}:${port}`);
    if (url.pathname !== WS_PATH) return refuseUpgrade(socket, { status: 404, reason: `no WebSocket at ${url.pathname}` });
    const denied = checkLogin(req);
    if (denied) return refuseUpgrade(socket, denied);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      attachSocket(ws, service);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  login = new LaunchLogin(port);

  return {
    url: `http://${LOOPBACK_HOST}:${port}${login.launchPath()}`,
    port,
    cookieName: login.cookieName,
    close: async () => {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
