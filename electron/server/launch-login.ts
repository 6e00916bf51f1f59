/**
 * Browser-mode login. A secret in a URL leaks: into `ps` (a browser's command line), the address
 * bar, history and every image URL. So the URL printed at start-up carries a one-time launch
 * code instead; `GET /login?code=C` spends it, answers with a session cookie (HttpOnly: no
 * script reads it; SameSite=Strict: no other site's page sends it) and redirects to `/`, so the
 * code leaves the address bar and never enters history. The cookie then authenticates every
 * HTTP request and the WebSocket upgrade. Cookies are not separated by port, so the cookie's
 * name carries the port: two servers on one machine do not overwrite each other's session.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { LAUNCH_CODE_PARAM, LOGIN_PATH } from '../../api/wire.ts';
import type { GuardFailure } from './request-guard.ts';

const secret = () => randomBytes(32).toString('base64url');

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The value of cookie `name` in a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

export class LaunchLogin {
  readonly cookieName: string;
  private code: string | null = secret();
  private readonly session = secret();

  constructor(readonly port: number) {
    this.cookieName = `affect_relearn_${port}`;
  }

  /** `/login?code=C` while the code is unspent; the path to open (once) to log in. */
  launchPath(): string {
    if (this.code === null) throw new Error('the launch code was already used');
    return `${LOGIN_PATH}?${LAUNCH_CODE_PARAM}=${this.code}`;
  }

  /** Spends the launch code: the Set-Cookie header value on success, else why not. */
  redeem(given: string | null): { setCookie: string } | GuardFailure {
    if (!given) return { status: 401, reason: 'a launch code is required (open the URL printed at start-up)' };
    if (this.code === null) return { status: 403, reason: 'this launch code was already used; restart affect-relearn for a new one' };
    if (!sameSecret(given, this.code)) return { status: 403, reason: 'wrong launch code' };
    this.code = null;
    return { setCookie: `${this.cookieName}=${this.session}; Path=/; HttpOnly; SameSite=Strict` };
  }

  /** Null when the request carries this server's session cookie. */
  check(req: IncomingMessage): GuardFailure | null {
    const given = cookieValue(req.headers.cookie, this.cookieName);
    if (!given) return { status: 401, reason: 'not logged in: open the URL printed at start-up' };
    if (!sameSecret(given, this.session)) return { status: 403, reason: 'wrong session cookie' };
    return null;
  }
}

/**
 * For scripts and tests (a browser does this by itself): opens a launch URL without following
 * the redirect and returns the `name=value` cookie to send with later requests.
 */
export async function logIn(launchUrl: string): Promise<string> {
  const res = await fetch(launchUrl, { redirect: 'manual' });
  const cookie = res.headers.getSetCookie()[0];
  if (res.status !== 303 || !cookie) throw new Error(`login at ${new URL(launchUrl).origin} failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0];
}
