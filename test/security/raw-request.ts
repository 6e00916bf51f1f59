// Sends one HTTP/1.1 request line byte for byte over a plain socket. node's http client and
// `new URL` normalise paths (`/../x` -> `/x`, `%2e%2e` -> `..`), so a traversal probe sent
// through them never reaches the server as an attacker would send it.
import { connect } from 'node:net';

export interface RawReply {
  status: number;
  head: string;
  body: string;
}

export function rawRequest(port: number, target: string, headers: Record<string, string> = {}): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('connect', () => {
      const lines = [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, 'Connection: close', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
    });
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const split = text.indexOf('\r\n\r\n');
      const head = split < 0 ? text : text.slice(0, split);
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (!m) return reject(new Error(`no HTTP status line in the reply to ${target}: ${JSON.stringify(text.slice(0, 80))}`));
      resolve({ status: Number(m[1]), head, body: split < 0 ? '' : text.slice(split + 4) });
    });
  });
}
