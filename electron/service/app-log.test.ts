// The log file rotates by size and keeps a bounded number of old files; the service writes its
// start, failed requests and job starts and ends to it, and `app.log` returns its tail.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { AppLog } from './app-log.ts';
import { AppService } from './app-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the log rotates before a file passes maxBytes and keeps `keep` old files', () => {
  const file = join(dir, 'rot', 'app.log');
  const log = new AppLog(file, { maxBytes: 200, keep: 2, now: () => new Date('2026-01-02T03:04:05Z') });
  // Each line is 24 (time) + 1 + 5 (level) + 1 + 9 + 1 = 41 bytes: 4 fit in 200, the 5th rotates.
  for (let i = 0; i < 13; i++) log.info(`entry ${String(i).padStart(3, '0')}`);
  const lines = (f: string) => readFileSync(f, 'utf8').trimEnd().split('\n').map((l) => l.slice(-9));
  assert.deepEqual(lines(file), ['entry 012']);
  assert.deepEqual(lines(`${file}.1`), ['entry 008', 'entry 009', 'entry 010', 'entry 011']);
  assert.deepEqual(lines(`${file}.2`), ['entry 004', 'entry 005', 'entry 006', 'entry 007']);
  assert.equal(existsSync(`${file}.3`), false, 'the oldest file is dropped');
  for (const f of [file, `${file}.1`, `${file}.2`]) assert.ok(statSync(f).size <= 200, `${f} is ${statSync(f).size} bytes`);
  assert.equal(readFileSync(file, 'utf8'), '2026-01-02T03:04:05.000Z info  entry 012\n');
});

test('tail returns whole lines from the end, multi-line messages stay under their first line', () => {
  const file = join(dir, 'tail.log');
  const log = new AppLog(file);
  assert.equal(log.tail(), '');
  log.error('first\nsecond line of a stack');
  for (let i = 0; i < 50; i++) log.info(`line ${i}`);
  const all = readFileSync(file, 'utf8');
  assert.match(all, /error first\n {4}second line of a stack\n/);
  const tail = log.tail(100);
  assert.ok(tail.length <= 100 && all.endsWith(tail), 'a suffix of the file');
  assert.match(tail, /^\S+Z info {2}line \d+\n/, 'starts at a line start');
  assert.ok(tail.endsWith('info  line 49\n'));
});

test('without a file (tests) nothing is written and the tail is empty', async () => {
  const log = new AppLog(null);
  log.error('nowhere');
  assert.equal(log.tail(), '');
  const service = new AppService({ transport: 'test', configDir: join(dir, 'quiet', 'cfg'), backend: async () => null });
  try {
    assert.deepEqual(await service.call('app.log', {}), { path: null, text: '' });
  } finally {
    await service.dispose();
  }
});

test('the service logs its start, failed requests and job starts; app.log returns them', async () => {
  const logFile = join(dir, 'svc', 'logs', 'affect-relearn.log');
  const service = new AppService({ transport: 'test', configDir: join(dir, 'svc', 'cfg'), demoPath: join(dir, 'svc', 'demo.arproj'), logFile, backend: async () => ({ name: 'cpu', reason: 'forced by the test' }) });
  try {
    await assert.rejects(service.call('projects.open', { path: join(dir, 'missing.arproj') }));
    await service.call('app.info', {});
    await service.call('projects.create', { path: join(dir, 'svc', 'p.arproj'), name: 'P' });
    // training.start on an empty project starts a run (its worker then fails: no faces) and logs both.
    const { runId } = await service.call('training.start', { modelKind: 'dbn', options: { epochs: 1 } });
    const deadline = Date.now() + 60_000;
    while (!/training run \d+ ended/.test(readFileSync(logFile, 'utf8')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const { path, text } = await service.call('app.log', {});
    assert.equal(path, logFile);
    assert.match(text, /info {2}affect-relearn \S+ started \(test; Node /);
    assert.match(text, /error projects\.open failed \(\w+\): .*missing\.arproj/);
    assert.match(text, /info {2}engine runtime of the app's own thread: cpu \(forced by the test\)/);
    assert.match(text, new RegExp(`info  training\\.start \\{"modelKind":"dbn".*\\} -> \\{"runId":${runId}\\}`));
    assert.match(text, new RegExp(`training run ${runId} ended: \\w+`));
  } finally {
    await service.dispose();
  }
});
