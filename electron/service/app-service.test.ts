import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ApiError, type EventName } from '../../api/contract.ts';
import { AppService } from './app-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-service-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function service(): AppService {
  return new AppService({ transport: 'test', configDir: join(dir, 'config'), backend: async () => ({ name: 'cpu', reason: 'test' }), checkContract: true });
}

async function rejectsWith(p: Promise<unknown>, code: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(e instanceof ApiError);
    assert.equal(e.code, code);
    assert.match(e.message, pattern);
    return true;
  });
}

test('create, reopen and list projects through call(), with events', async () => {
  const s = service();
  const seen: EventName[] = [];
  s.onEvent((name) => seen.push(name));
  assert.equal(await s.call('projects.current', {}), null);
  const a = await s.call('projects.create', { path: join(dir, 'a.arproj'), name: 'Alpha' });
  assert.equal(a.name, 'Alpha');
  assert.deepEqual(a.inputSize, { height: 48, width: 48 });
  const b = await s.call('projects.create', { path: join(dir, 'b.arproj') });
  assert.equal(b.name, 'b');
  assert.equal((await s.call('projects.current', {}))?.path, b.path);
  const info = await s.call('app.info', {});
  assert.equal(info.projectPath, b.path);
  assert.deepEqual(info.backend, { name: 'cpu', reason: 'test' });
  assert.equal(info.transport, 'test');
  await s.dispose();
  assert.deepEqual(s.contractBreaches, []);
  // project:changed for a, null when a closes, then b; and null on dispose.
  assert.deepEqual(seen, ['project:changed', 'project:changed', 'project:changed', 'project:changed']);

  const s2 = service();
  const recent = await s2.call('projects.recent', {});
  assert.deepEqual(recent.map((r) => r.name), ['b', 'Alpha']);
  assert.ok(recent.every((r) => r.exists));
  assert.equal(s2.recent.last()?.path, b.path);
  const reopened = await s2.call('projects.open', { path: a.path });
  assert.equal(reopened.name, 'Alpha');
  await s2.dispose();
});

test('errors carry a code and name the request', async () => {
  const s = service();
  await rejectsWith(s.call('training.start', { modelKind: 'cnn', options: { epochs: 'x' } }), 'invalid_params', /^training\.start: options\.epochs must be an integer >= 1, got "x"$/);
  await rejectsWith(s.call('training.list', {}), 'no_project', /^training\.list: no project is open/);
  await rejectsWith(s.call('projects.summary', {}), 'no_project', /^projects\.summary: no project is open/);
  await rejectsWith(s.call('projects.open', { path: join(dir, 'missing.arproj') }), 'not_found', /^projects\.open: .*missing\.arproj: no such project file/);
  const junk = join(dir, 'junk.arproj');
  writeFileSync(junk, 'not sqlite at all, just text that is long enough to be a header........');
  await rejectsWith(s.call('projects.open', { path: junk }), 'invalid_params', /^projects\.open: .*junk\.arproj/);
  await s.call('projects.create', { path: join(dir, 'c.arproj') });
  await rejectsWith(s.call('projects.create', { path: join(dir, 'c.arproj') }), 'conflict', /already exists/);
  await rejectsWith(s.call('labels.relabel', { sampleId: 1, action: 'relabel', label: 2, reviewer: 'r' }), 'not_found', /^labels\.relabel: no face 1 in this project/);
  await rejectsWith(s.call('nope' as never, {}), 'unknown_method', /unknown request "nope"/);
  await s.dispose();
});
