/**
 * The checks every browser-mode request passes before anything else runs. DNS rebinding: a page
 * of evil.com whose name re-resolves to 127.0.0.1 reaches this port, but its requests carry
 * `Host: evil.com` and `Origin: http://evil.com`, so both headers must name this server. The
 * per-launch token (32 random bytes) then proves the caller was given the URL; it is compared in
 * constant time.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export type GuardFailure = { status: 401 | 403; reason: string };

export function createToken(): string {
  return randomBytes(32).toString('base64url');
}

export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((h) => `http://${h}`);
}

/** Host must name this server; Origin, when a browser sends one, must be this server's own. */
export function checkHostAndOrigin(req: IncomingMessage, port: number): GuardFailure | null {
  const host = req.headers.host;
  if (!host || !allowedHosts(port).includes(host.toLowerCase())) {
    return { status: 403, reason: `Host ${JSON.stringify(host ?? '')} is not this server (expected 127.0.0.1:${port} or localhost:${port})` };
  }
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) {
    return { status: 403, reason: `Origin ${JSON.stringify(origin)} is not this server's origin` };
  }
  return null;
}

export function tokenMatches(given: string | null | undefined, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token from `?token=` or an `Authorization: Bearer` header. */
export function requestToken(req: IncomingMessage, url: URL): string | null {
  const q = url.searchParams.get('token');
  if (q) return q;
  const auth = req.headers.authorization;
  const m = auth ? /^Bearer\s+(\S+)$/i.exec(auth) : null;
  return m ? m[1] : null;
}

export function checkToken(req: IncomingMessage, url: URL, token: string): GuardFailure | null {
  const given = requestToken(req, url);
  if (!given) return { status: 401, reason: 'a token is required (open the full URL printed at start-up)' };
  if (!tokenMatches(given, token)) return { status: 403, reason: 'wrong token' };
  return null;
}
