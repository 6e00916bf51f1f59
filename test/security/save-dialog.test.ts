// The desktop save dialog's logic without Electron: what it suggests for each export, and
// that the service writes where the dialog says (through export-target.ts) or nothing when
// it is cancelled; without a dialog (browser mode, CLI) export.save is not available.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { insertSampleBatch } from '../../db/sample-store.ts';
import { makeRecord } from '../../db/test-support.ts';
import { AppService } from '../../electron/service/app-service.ts';
import type { SaveRequest } from '../../electron/service/downloads/download-store.ts';
import { chosenPath, saveDialogSpec } from '../../electron/shell/save-dialog.ts';

test('the dialog suggests a file with its type, or a folder name', () => {
  const csv = saveDialogSpec({ kind: 'labels', defaultName: 'fer-labels.csv', folder: false }, join('home', 'docs'));
  assert.equal(csv.defaultPath, join('home', 'docs', 'fer-labels.csv'));
  assert.deepEqual(csv.filters, [{ name: 'CSV', extensions: ['csv'] }]);
  assert.ok(csv.properties.includes('showOverwriteConfirmation'));
  const model = saveDialogSpec({ kind: 'model', defaultName: 'fer-model-3', folder: true }, 'd');
  assert.deepEqual(model.filters, []);
  assert.match(model.title, /a folder/);
  assert.equal(chosenPath({ canceled: true, filePath: 'x' }), null);
  assert.equal(chosenPath({ canceled: false, filePath: '' }), null);
  assert.equal(chosenPath({ canceled: false, filePath: '/a/b.csv' }), '/a/b.csv');
});

test('export.save writes where the dialog points, refuses the project file, and does nothing when cancelled', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'save-dialog-'));
  let answer: string | null = null;
  const asked: SaveRequest[] = [];
  const service = new AppService({ transport: 'test', configDir: join(dir, 'config'), chooseSaveTarget: async (r) => (asked.push(r), answer) });
  const browser = new AppService({ transport: 'test', configDir: join(dir, 'config2') });
  t.after(async () => {
    await service.dispose();
    await browser.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  const project = join(dir, 'p.arproj');
  await service.call('projects.create', { path: project, name: 'Saved' });
  insertSampleBatch(service.project!, [makeRecord({ index: 0 }), makeRecord({ index: 1 })]);
  // Outside the project's folder: the person chose it in the dialog.
  const outside = join(dir, 'elsewhere', 'labels.csv');
  answer = outside;
  const r = await service.call('export.save', { kind: 'labels' });
  assert.deepEqual([r.cancelled, r.result?.files], [false, [outside]]);
  assert.equal(readFileSync(outside, 'utf8').split('\n').length, 4);
  assert.deepEqual(asked[0], { kind: 'labels', defaultName: 'Saved-labels.csv', folder: false });
  answer = null;
  assert.deepEqual(await service.call('export.save', { kind: 'audit' }), { cancelled: true, result: null });
  answer = project;
  await assert.rejects(service.call('export.save', { kind: 'labels' }), /is the project's own file/);
  assert.ok(existsSync(project) && readFileSync(project).subarray(0, 15).toString() === 'SQLite format 3', 'the project is intact');
  await browser.call('projects.create', { path: join(dir, 'b.arproj') });
  await assert.rejects(browser.call('export.save', { kind: 'labels' }), (e: Error & { code?: string }) => e.code === 'not_available' && /desktop window only/.test(e.message));
});
