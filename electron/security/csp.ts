/**
 * The one Content-Security-Policy of the renderer, for both transports: the Electron window
 * and browser mode differ only in where the UI may connect and load face images from.
 * No inline scripts, no eval, no plugins, no framing, nothing from other origins.
 */
export function rendererCsp(o: { connectSrc: string[]; imgSrc: string[] }): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `connect-src ${["'self'", ...o.connectSrc].join(' ')}`,
    `img-src ${["'self'", ...o.imgSrc, 'data:', 'blob:'].join(' ')}`,
    // Svelte sets inline style attributes (transitions, style: directives).
    "style-src 'self' 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
