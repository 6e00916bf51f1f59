/**
 * `GET /download/<ticket>`: hands an export prepared by `export.download` to the browser as
 * an attachment (Content-Disposition, so it lands in the downloads folder and an HTML report
 * is never rendered on this origin), once; the file is deleted when the response ends. The
 * caller has passed the Host/Origin check and the session cookie before this runs.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DownloadStore } from '../service/downloads/download-store.ts';

/** RFC 6266: an ASCII fallback name plus the exact UTF-8 name. */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}

/** Serves the ticket's file; answers false (nothing sent) when the ticket is unknown, used up or expired. */
export function serveDownload(req: IncomingMessage, res: ServerResponse, store: DownloadStore, ticket: string, headers: Record<string, string>): boolean {
  // A HEAD would use up the ticket without delivering the file.
  if (req.method !== 'GET') return false;
  const d = store.take(ticket);
  if (!d) return false;
  res.writeHead(200, {
    ...headers,
    'Content-Type': d.contentType,
    'Content-Length': String(statSync(d.path).size),
    'Content-Disposition': contentDisposition(d.fileName),
    'Cache-Control': 'no-store',
  });
  const stream = createReadStream(d.path);
  res.on('close', () => {
    stream.destroy();
    d.discard();
  });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
  return true;
}
