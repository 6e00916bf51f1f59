/**
 * Serves the built renderer (dist/renderer, made by vite) with a strict Content-Security-Policy:
 * scripts only from this origin, no eval, connections only back to this server. Paths are
 * resolved inside the root so `..` cannot escape it. When the renderer is not built, `/` says
 * how to build it instead of failing obscurely.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { rendererCsp } from '../security/csp.ts';
import { appRootOf } from '../service/app-root.ts';

/** dist/renderer under the app's root, from the sources and from the bundle alike. */
export const DEFAULT_RENDERER_DIR = join(appRootOf(import.meta.url), 'dist', 'renderer');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
};

export function contentSecurityPolicy(port: number): string {
  return rendererCsp({ connectSrc: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`], imgSrc: [] });
}

/** Headers on every response: CSP, no sniffing, and no Referer (the login URL carries the launch code). */
export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(port),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>affect-relearn</title>
<p>The user interface is not built yet. Run <code>npx vite build</code> (or <code>npm test</code>) and reload.</p>`;

/** Writes the file for `pathname` and returns true, or returns false when there is none. */
export function serveStatic(root: string, pathname: string, res: ServerResponse, headers: Record<string, string>): boolean {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  if (rel.includes('\0')) return false;
  const file = normalize(join(root, rel));
  if (file !== root && !file.startsWith(root + sep)) return false;
  if (!existsSync(file) || !statSync(file).isFile()) {
    if (rel !== '/index.html') return false;
    res.writeHead(200, { ...headers, 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store' });
    res.end(NOT_BUILT);
    return true;
  }
  const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
  res.writeHead(200, { ...headers, 'Content-Type': type, 'Cache-Control': rel === '/index.html' ? 'no-store' : 'max-age=3600' });
  res.end(readFileSync(file));
  return true;
}
