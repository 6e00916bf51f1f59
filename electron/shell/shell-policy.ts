/**
 * The Electron window's security policy as plain data and predicates (no Electron import, so it
 * is type-checked and unit-tested here where Electron cannot be installed). The renderer is
 * served from `app://renderer/`, a privileged custom scheme, so IPC senders can be checked
 * against one fixed origin; faces come from `face://sample/<id>.png`.
 */
import { rendererCsp } from '../security/csp.ts';

export const APP_SCHEME = 'app';
export const APP_HOST = 'renderer';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;
export const FACE_SCHEME = 'face';

/** IPC channel of a request, and of a pushed event. */
export const requestChannel = (name: string): string => `api:${name}`;
export const eventChannel = (name: string): string => `event:${name}`;

export const ELECTRON_CSP = rendererCsp({ connectSrc: [], imgSrc: [`${FACE_SCHEME}:`] });

/** True only for a URL of our own renderer (app://renderer/...). WHATWG gives custom schemes an opaque origin, so compare scheme and host. */
export function isAppUrl(raw: string | undefined | null): boolean {
  if (!raw) return false;
  try {
    const u = new URL(raw);
    return u.protocol === `${APP_SCHEME}:` && u.host === APP_HOST && u.username === '' && u.password === '' && u.port === '';
  } catch {
    return false;
  }
}

/** Maps app://renderer/<path> to a file path relative to dist/renderer, or null when it would leave it. */
export function appUrlToRelativePath(raw: string): string | null {
  if (!isAppUrl(raw)) return null;
  let p: string;
  try {
    p = decodeURIComponent(new URL(raw).pathname);
  } catch {
    return null;
  }
  if (p === '/' || p === '') p = '/index.html';
  const parts = p.split('/').filter(Boolean);
  if (parts.some((s) => s === '..' || s === '.' || s.includes('\\') || s.includes('\0'))) return null;
  return parts.join('/');
}

/** Parses face://sample/<id>.png?size=N into its id and raw size, or null. */
export function parseFaceUrl(raw: string): { file: string; size: string | null } | null {
  try {
    const u = new URL(raw);
    if (u.protocol !== `${FACE_SCHEME}:` || u.host !== 'sample') return null;
    return { file: u.pathname.replace(/^\//, ''), size: u.searchParams.get('size') };
  } catch {
    return null;
  }
}
