/**
 * The checks every browser-mode request passes before anything else runs. DNS rebinding: a page
 * of evil.com whose name re-resolves to 127.0.0.1 reaches this port, but its requests carry
 * `Host: evil.com` and `Origin: http://evil.com`, so both headers must name this server. The
 * session cookie (launch-login.ts) then proves the caller logged in with the launch code.
 */
import type { IncomingMessage } from 'node:http';

export type GuardFailure = { status: 401 | 403; reason: string };

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
