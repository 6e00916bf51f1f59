import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createTsWorker } from './ts-worker.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const FIXTURE = new URL('./ts-worker.fixture.ts', import.meta.url);

function run(n: number): Promise<unknown> {
  const w = createTsWorker(FIXTURE, { workerData: { n } });
  return new Promise((res, rej) => {
    w.once('message', (m) => (res(m), void w.terminate()));
    w.once('error', rej);
  });
}

test('a TypeScript worker runs under node --import tsx, with its workerData', async () => {
  assert.deepEqual(await run(5), { product: 40 });
  assert.throws(() => createTsWorker(FIXTURE, { workerData: 3 }), /workerData must be a plain object/);
});

test('a TypeScript worker also runs from a host that loaded the service through tsx\'s API (as Electron does)', () => {
  // Plain node, no --import tsx: the parent loads ts-worker.ts through tsImport, like load-service.ts.
  const script = `
    const { pathToFileURL } = require('node:url');
    import('tsx/esm/api').then(async ({ tsImport }) => {
      const m = await tsImport(${JSON.stringify(join(HERE, 'ts-worker.ts'))}, pathToFileURL(${JSON.stringify(join(ROOT, 'package.json'))}).href);
      const w = m.createTsWorker(new URL(${JSON.stringify(FIXTURE.href)}), { workerData: { n: 3 } });
      w.once('message', (msg) => { process.stdout.write(JSON.stringify(msg)); w.terminate(); });
      w.once('error', (e) => { process.stderr.write(e.message); process.exit(1); });
    });`;
  const r = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { product: 24 });
});
