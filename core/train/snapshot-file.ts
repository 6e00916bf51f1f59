/**
 * The checkpoint / model file format shared by every model kind: the magic line
 * `AFFECT-RELEARN-SNAPSHOT 1\n`, a little-endian uint32 header length, a JSON header (kind,
 * meta, and for each tensor its name, shape, byte offset and length), zero padding to a 4-byte
 * boundary, then every tensor as raw little-endian float32. Writes go to a temporary file that
 * is renamed over the target, so a run killed mid-write keeps its previous checkpoint.
 */
import { open, readFile, rename, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ModelKind, ModelSnapshot } from './types.ts';

export const SNAPSHOT_MAGIC = 'AFFECT-RELEARN-SNAPSHOT 1\n';
const KINDS: ModelKind[] = ['cnn', 'adbn', 'dbn'];

interface Header {
  kind: ModelKind;
  meta: Record<string, unknown>;
  tensors: { name: string; shape: number[]; offset: number; length: number }[];
}

const littleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

function toLeBytes(a: Float32Array): Uint8Array {
  const bytes = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  if (littleEndian) return bytes;
  const out = new Uint8Array(a.byteLength);
  const view = new DataView(out.buffer);
  a.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return out;
}

/** Encodes a snapshot into one buffer. */
export function encodeSnapshot(snap: ModelSnapshot): Buffer {
  const header: Header = { kind: snap.kind, meta: snap.meta, tensors: [] };
  let offset = 0;
  for (const [name, t] of Object.entries(snap.tensors)) {
    const size = t.shape.reduce((a, b) => a * b, 1);
    if (size !== t.data.length) throw new Error(`snapshot tensor ${name}: shape ${JSON.stringify(t.shape)} does not match ${t.data.length} values`);
    header.tensors.push({ name, shape: t.shape, offset, length: t.data.length });
    offset += t.data.length * 4;
  }
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const magic = Buffer.from(SNAPSHOT_MAGIC, 'ascii');
  const pre = magic.length + 4 + json.length;
  const pad = (4 - (pre % 4)) % 4;
  const len = Buffer.alloc(4);
  len.writeUInt32LE(json.length);
  const parts: Uint8Array[] = [magic, len, json, Buffer.alloc(pad)];
  for (const t of Object.values(snap.tensors)) parts.push(toLeBytes(t.data));
  return Buffer.concat(parts);
}

/** Decodes a buffer written by encodeSnapshot; `source` names the file in errors. */
export function decodeSnapshot(buf: Buffer, source = 'snapshot'): ModelSnapshot {
  const magic = buf.subarray(0, SNAPSHOT_MAGIC.length).toString('ascii');
  if (magic !== SNAPSHOT_MAGIC) throw new Error(`${source}: not an affect-relearn snapshot (bad magic)`);
  const jsonLen = buf.readUInt32LE(SNAPSHOT_MAGIC.length);
  const start = SNAPSHOT_MAGIC.length + 4;
  let header: Header;
  try {
    header = JSON.parse(buf.subarray(start, start + jsonLen).toString('utf8')) as Header;
  } catch (e) {
    throw new Error(`${source}: header is not valid JSON (${(e as Error).message})`);
  }
  if (!KINDS.includes(header.kind)) throw new Error(`${source}: field kind: unknown model kind ${String(header.kind)}`);
  const blobStart = start + jsonLen + ((4 - ((start + jsonLen) % 4)) % 4);
  const tensors: ModelSnapshot['tensors'] = {};
  for (const t of header.tensors) {
    const from = blobStart + t.offset;
    if (from + t.length * 4 > buf.length) throw new Error(`${source}: tensor ${t.name} runs past the end of the file (truncated?)`);
    const data = new Float32Array(t.length);
    const view = new DataView(buf.buffer, buf.byteOffset + from, t.length * 4);
    for (let i = 0; i < t.length; i++) data[i] = view.getFloat32(i * 4, true);
    tensors[t.name] = { shape: t.shape, data };
  }
  return { kind: header.kind, meta: header.meta, tensors };
}

export async function saveSnapshot(path: string, snap: ModelSnapshot): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fh = await open(tmp, 'w');
  try {
    await fh.writeFile(encodeSnapshot(snap));
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

export async function loadSnapshot(path: string): Promise<ModelSnapshot> {
  return decodeSnapshot(await readFile(path), path);
}
