// The service keeps answering while a training run works: the run is started through call(),
// trains in its worker, and calls made meanwhile are answered while it is still running, with
// its epochs advancing between answers (a service blocked by training would answer only after
// the run, seeing it done). Real project, real import, real training (a tiny DBN on 120 faces).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { EventName } from '../../api/contract.ts';
import { AppService } from './app-service.ts';

const dir = mkdtempSync(join(tmpdir(), 'ar-responsive-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function nextEvent(s: AppService, name: EventName): Promise<unknown> {
  return new Promise((resolve) => {
    const off = s.onEvent((n, p) => {
      if (n === name) {
        off();
        resolve(p);
      }
    });
  });
}

test('calls are answered while a run trains, and see it progress', { timeout: 120_000 }, async () => {
  const lines = ['emotion,pixels,Usage'];
  for (let i = 0; i < 120; i++) {
    const cls = i % 7;
    lines.push(`${cls},${Array.from({ length: 2304 }, (_, k) => ((k % 48) * (cls + 1) * 5 + i) % 256).join(' ')},${i % 5 === 0 ? 'PublicTest' : 'Training'}`);
  }
  writeFileSync(join(dir, 'fer2013.csv'), `${lines.join('\n')}\n`);
  const s = new AppService({ transport: 'test', configDir: join(dir, 'config'), backend: async () => null });
  await s.call('projects.create', { path: join(dir, 'r.arproj') });
  const imported = nextEvent(s, 'import:done');
  await s.call('imports.start', { kind: 'fer2013', path: join(dir, 'fer2013.csv') });
  await imported;

  const done = nextEvent(s, 'training:done') as Promise<{ status: string; runId: number }>;
  const firstEpoch = nextEvent(s, 'training:epoch');
  const { runId } = await s.call('training.start', { modelKind: 'dbn', options: { hiddenUnits: [32], pretrainEpochs: 3, epochs: 3, seed: 7 } });
  let finished = false;
  void done.then(() => (finished = true));
  /** Epochs recorded, as seen by each training.get answered while the run was still running. */
  const seenRunning: number[] = [];
  const face = (await s.call('faces.listForReview', { sort: 'id', limit: 1 })).items[0].id;
  let decisions = 0;
  await firstEpoch;
  while (!finished) {
    const run = await s.call('training.get', { runId });
    assert.equal(run.id, runId);
    if (run.status === 'running') seenRunning.push(run.epochs.length);
    // A reviewer keeps deciding while the worker writes epochs, the model and its predictions:
    // every decision is stored (none refused because the project is locked).
    await s.call('labels.relabel', { sampleId: face, action: 'relabel', label: 2 + (decisions % 2), reviewer: 'r' });
    await s.call('labels.undo', { reviewer: 'r' });
    decisions += 2;
    await new Promise((r) => setTimeout(r, 20));
  }
  const result = await done;
  assert.equal(result.status, 'done');
  assert.ok(seenRunning.length >= 2, `calls answered while the run was running: ${seenRunning.length}`);
  assert.ok(new Set(seenRunning).size >= 2, `the run progressed between answers (epochs seen: ${[...new Set(seenRunning)].join(', ')})`);
  const models = await s.call('models.list', {});
  assert.ok(models.some((m) => m.runId === runId));
  const summary = await s.call('projects.summary', {});
  assert.equal(summary.review.auditRows, decisions, 'every relabel and undo made during the run is in the audit trail');
  assert.equal(summary.review.reviewedFaces, 0, 'the undos applied: the face ends unreviewed');
  await s.dispose();
});
