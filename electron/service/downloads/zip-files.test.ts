// The ZIP writer against independent readers: node:zlib's own CRC-32 and Python's zipfile
// module (skipped where python3 is missing).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as zlib from 'node:zlib';
import { crc32, zipFiles } from './zip-files.ts';

test('CRC-32 agrees with zlib and the standard check value', (t) => {
  assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
  const native = (zlib as { crc32?: (d: Uint8Array) => number }).crc32;
  if (!native) return t.skip('this Node has no zlib.crc32');
  const data = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
  assert.equal(crc32(data), native(data));
});

test('Python\'s zipfile reads every entry back byte for byte', (t) => {
  const py = spawnSync('python3', ['--version']);
  if (py.status !== 0) return t.skip('python3 is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'zip-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const random = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 2654435761) >>> 24));
  const entries = [
    { name: 'model/model.json', data: Buffer.from(JSON.stringify({ a: 'x'.repeat(2000) })) },
    { name: 'model/weights.bin', data: random },
    { name: 'model/é.txt', data: Buffer.from('') },
  ];
  const file = join(dir, 'a.zip');
  writeFileSync(file, zipFiles(entries));
  const script = 'import sys, zipfile, hashlib, json\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(json.dumps([[i.filename, i.compress_type, hashlib.sha256(z.read(i)).hexdigest()] for i in z.infolist()]))';
  const r = spawnSync('python3', ['-c', script, file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const got = JSON.parse(r.stdout) as [string, number, string][];
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  assert.deepEqual(got.map((g) => g[0]), entries.map((e) => e.name));
  for (let i = 0; i < entries.length; i++) assert.equal(got[i][2], sha(entries[i].data), entries[i].name);
  assert.equal(got[0][1], 8, 'the JSON is deflated');
  assert.throws(() => zipFiles([{ name: '../evil', data: Buffer.alloc(1) }]), /unsafe entry name/);
});
