import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { RecentProjects } from './recent-projects.ts';
import { defaultDemoPath, userConfigDir, userDataDir } from './user-dirs.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-recent-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('recent projects: most recent first, deduplicated, capped at 10, missing files skipped by last()', () => {
  const recent = new RecentProjects(join(dir, 'cfg'));
  assert.deepEqual(recent.list(), []);
  for (let i = 0; i < 12; i++) {
    const p = join(dir, `p${i}.arproj`);
    if (i !== 11) writeFileSync(p, '');
    recent.remember(p, `P${i}`, new Date(Date.UTC(2026, 0, 1, 0, i)));
  }
  recent.remember(join(dir, 'p3.arproj'), 'P3 again', new Date(Date.UTC(2026, 0, 2)));
  const names = recent.list().map((r) => r.name);
  assert.deepEqual(names, ['P3 again', 'P11', 'P10', 'P9', 'P8', 'P7', 'P6', 'P5', 'P4', 'P2']);
  assert.equal(recent.list()[1].exists, false);
  assert.equal(recent.last()?.name, 'P3 again');
  rmSync(join(dir, 'p3.arproj'));
  assert.equal(recent.last()?.name, 'P10', 'the newest entry whose file still exists');
});

test('a corrupt recent file reads as empty and is replaced on the next write', () => {
  const cfg = join(dir, 'corrupt');
  mkdirSync(cfg);
  writeFileSync(join(cfg, 'recent-projects.json'), '{"oops": tru');
  const recent = new RecentProjects(cfg);
  assert.deepEqual(recent.list(), []);
  recent.remember(join(dir, 'x.arproj'), 'X');
  assert.deepEqual(recent.list().map((r) => r.name), ['X']);
});

test('user dirs follow each platform, and the env overrides them', () => {
  assert.match(userConfigDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux'), /^\/xdg[\\/]affect-relearn$/);
  assert.match(userDataDir({}, 'linux'), /[\\/]\.local[\\/]share[\\/]affect-relearn$/);
  assert.match(userConfigDir({ APPDATA: 'C:\\Users\\u\\AppData\\Roaming' }, 'win32'), /Roaming[\\/]affect-relearn$/);
  assert.match(userDataDir({}, 'darwin'), /Library[\\/]Application Support[\\/]affect-relearn$/);
  assert.equal(userConfigDir({ AFFECT_RELEARN_CONFIG_DIR: '/c' }, 'linux'), '/c');
  assert.match(defaultDemoPath({ AFFECT_RELEARN_DATA_DIR: '/d' }), /^\/d[\\/]demo\.arproj$/);
});

test('a project opened through a link, a relative path or listed twice by an older file appears once', () => {
  const cfg = join(dir, 'once');
  mkdirSync(join(dir, 'real'), { recursive: true });
  const real = join(dir, 'real', 'p.arproj');
  writeFileSync(real, '');
  symlinkSync(join(dir, 'real'), join(dir, 'link'));
  const recent = new RecentProjects(cfg);
  recent.remember(real, 'by path', new Date(Date.UTC(2026, 0, 1)));
  recent.remember(join(dir, 'link', 'p.arproj'), 'by link', new Date(Date.UTC(2026, 0, 2)));
  recent.remember(join(dir, 'real', '..', 'real', 'p.arproj'), 'by dots', new Date(Date.UTC(2026, 0, 3)));
  assert.deepEqual(recent.list().map((r) => r.name), ['by dots']);
  // A file written by an earlier version, with the same project under two spellings.
  const entry = (path: string, name: string) => ({ path, name, openedAt: '2026-01-01T00:00:00.000Z' });
  writeFileSync(recent.file, JSON.stringify([entry(join(dir, 'link', 'p.arproj'), 'newest'), entry(real, 'older'), entry(real, 'oldest')]));
  assert.deepEqual(recent.list().map((r) => r.name), ['newest']);
});
