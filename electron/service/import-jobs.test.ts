// Import jobs through the service with the real op and a real FER2013-format CSV: the call
// returns a job id at once, progress and done events arrive, the report counts and locates the
// bad row, and a re-run skips what is already there.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EventName, ImportReport } from '../../api/contract.ts';
import { AppService } from './app-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-import-jobs-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fer2013Csv(rows: number, badLine: number): string {
  const lines = ['emotion,pixels,Usage'];
  for (let i = 0; i < rows; i++) {
    const px = Array.from({ length: 48 * 48 }, (_, k) => (k * 7 + i * 13) % 256).join(' ');
    lines.push(lines.length + 1 === badLine ? `3,${px.replace(/^\d+/, 'x')},Training` : `${i % 7},${px},${i % 2 ? 'PublicTest' : 'Training'}`);
  }
  return `${lines.join('\n')}\n`;
}

function waitFor(s: AppService, name: EventName, jobId: string): Promise<ImportReport> {
  return new Promise((resolve) => {
    const off = s.onEvent((n, payload) => {
      if (n === name && (payload as ImportReport).jobId === jobId) {
        off();
        resolve(payload as ImportReport);
      }
    });
  });
}

test('imports.start runs a job whose events and report count accepted, rejected and skipped faces', async () => {
  const csv = join(dir, 'fer2013.csv');
  writeFileSync(csv, fer2013Csv(6, 4));
  const s = new AppService({ transport: 'test', configDir: join(dir, 'config'), backend: async () => null });
  await s.call('projects.create', { path: join(dir, 'p.arproj') });
  const progress: number[] = [];
  s.onEvent((n, p) => n === 'import:progress' && progress.push((p as { accepted: number }).accepted));

  const { jobId } = await s.call('imports.start', { kind: 'fer2013', path: csv, options: {} });
  assert.match(jobId, /^import-[0-9a-f]{12}$/);
  const done = await waitFor(s, 'import:done', jobId);
  assert.equal(done.status, 'done');
  assert.equal(done.accepted, 5);
  assert.equal(done.rejected, 1);
  assert.equal(done.issues.length, 1);
  assert.equal(done.issues[0].line, 4);
  assert.equal(done.issues[0].file, 'fer2013.csv');
  assert.ok(progress.length > 0 && progress.at(-1)! <= 5);
  assert.deepEqual(await s.call('imports.report', { jobId }), done);
  const summary = await s.call('projects.summary', {});
  assert.equal(summary.totalSamples, 5);

  const again = await s.call('imports.start', { kind: 'fer2013', path: csv });
  const second = await waitFor(s, 'import:done', again.jobId);
  assert.equal(second.accepted, 0);
  assert.equal(second.skippedExisting, 5);
  assert.deepEqual((await s.call('imports.list', {})).map((r) => r.jobId), [jobId, again.jobId]);
  await assert.rejects(s.call('imports.report', { jobId: 'import-nope' }), /imports\.report: no import job "import-nope"/);
  await s.dispose();
});
