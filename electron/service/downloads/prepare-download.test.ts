// Downloads on a real project file: a CSV as itself, a folder export as one .zip of the
// folder, one use per ticket, and expiry deleting the unused file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { DownloadStore, TICKET_TTL_MS, downloadFileName, saveRequest } from './download-store.ts';
import { prepareDownload } from './prepare-download.ts';

const ticketOf = (url: string) => url.slice('/download/'.length);

test('a CSV downloads as itself, a folder as one zip, each ticket once', async (t) => {
  const p = tempProject();
  const store = new DownloadStore();
  t.after(() => {
    store.dispose();
    p.remove();
  });
  insertSampleBatch(p.db, [0, 1, 2].map((i) => ({ ...makeRecord({ index: i, split: i === 2 ? 'valid' : 'train' }), dataset: 'affectnet' as const })));
  const csv = await prepareDownload(store, p.db, { kind: 'labels' });
  assert.equal(csv.rows, 3);
  const got = store.take(ticketOf(csv.url))!;
  assert.equal(got.contentType, 'text/csv; charset=utf-8');
  assert.equal(readFileSync(got.path, 'utf8').split('\n').length, 5, 'header, 3 rows, final newline');
  assert.equal(store.take(ticketOf(csv.url)), null, 'used up');
  got.discard();
  assert.ok(!existsSync(got.path));

  const zip = await prepareDownload(store, p.db, { kind: 'affectnet' });
  assert.match(zip.fileName, /-affectnet-lists\.zip$/);
  const z = store.take(ticketOf(zip.url))!;
  const bytes = readFileSync(z.path);
  assert.equal(bytes.readUInt32LE(0), 0x04034b50, 'a ZIP local header');
  // Every entry sits under one folder named like the file.
  const top = zip.fileName.replace(/\.zip$/, '');
  assert.ok(bytes.includes(Buffer.from(`${top}/training.csv`)), 'training.csv inside the folder');
  assert.equal(z.contentType, 'application/zip');
  z.discard();

  // Label Studio writes the tasks and their labelling config: both travel in one zip.
  const ls = await prepareDownload(store, p.db, { kind: 'labelstudio' });
  assert.match(ls.fileName, /-labelstudio\.zip$/);
  assert.equal(ls.rows, 3);
  const l = store.take(ticketOf(ls.url))!;
  const lbytes = readFileSync(l.path);
  const ltop = ls.fileName.replace(/\.zip$/, '');
  assert.ok(lbytes.includes(Buffer.from(`${ltop}/${ltop}.json`)), 'the tasks inside the folder');
  assert.ok(lbytes.includes(Buffer.from(`${ltop}/${ltop}.label-config.xml`)), 'the labelling config beside them');
  l.discard();
  assert.equal(saveRequest('p', { kind: 'labelstudio' }).defaultName, 'p-labelstudio.json');
});

test('an unused ticket expires and its file is deleted', async (t) => {
  let now = 1_000_000;
  const p = tempProject();
  const store = new DownloadStore(() => now);
  t.after(() => {
    store.dispose();
    p.remove();
  });
  insertSampleBatch(p.db, [makeRecord({ index: 0 })]);
  const d = await prepareDownload(store, p.db, { kind: 'audit' });
  now += TICKET_TTL_MS + 1;
  store.sweep();
  assert.equal(store.take(ticketOf(d.url)), null);
  const { dir } = store.reserve();
  assert.ok(!existsSync(`${dirname(dir)}/${ticketOf(d.url)}`), 'the expired file is gone');
});

test('names: safe characters, the model id, a folder name for the save dialog', () => {
  assert.equal(downloadFileName('Demo faces / v2', { kind: 'model', modelId: 3 as never, format: 'onnx' }), 'Demo-faces-v2-model-3-onnx.zip');
  assert.equal(downloadFileName('..', { kind: 'labels' }), 'project-labels.csv');
  assert.deepEqual(saveRequest('fer', { kind: 'model', modelId: 3 as never }), { kind: 'model', defaultName: 'fer-model-3', folder: true });
  assert.deepEqual(saveRequest('fer', { kind: 'report', modelId: 3 as never }), { kind: 'report', defaultName: 'fer-report-model-3.html', folder: false });
});
