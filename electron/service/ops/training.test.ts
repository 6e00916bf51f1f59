// The app's training jobs run in a real worker thread: events reach the service while the main
// thread stays free, cancel stops a run, and the run list is read back from the project file.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createRun, listRuns } from '../../../db/run-store.ts';
import { createDemoProject } from './project.ts';
import { TrainingJobs } from './training.ts';

let dir: string;
let db: ProjectDb;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-jobs-'));
  const path = join(dir, 'demo.arproj');
  await createDemoProject(path);
  db = openProject(path);
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function waitFor(events: { name: string; payload: unknown }[], name: string, timeoutMs = 120_000): Promise<unknown> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      if (Date.now() - started > timeoutMs) {
        clearInterval(t);
        reject(new Error(`no ${name} event within ${timeoutMs} ms; got ${events.map((e) => e.name).join(', ')}`));
      }
      const e = events.find((x) => x.name === name);
      if (e) {
        clearInterval(t);
        resolve(e.payload);
      }
    }, 20);
  });
}

test('a run trains in a worker thread while the main thread keeps answering', async () => {
  const events: { name: string; payload: unknown }[] = [];
  const jobs = new TrainingJobs(db, (name, payload) => events.push({ name, payload }));
  const { runId } = jobs.start({ modelKind: 'dbn', options: { hiddenUnits: [32], pretrainEpochs: 2, epochs: 2, maxSamples: 400 } });
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 10);
  const done = (await waitFor(events, 'training:done')) as { status: string; modelId: number | null };
  clearInterval(ticker);
  assert.equal(done.status, 'done');
  assert.ok(done.modelId);
  assert.ok(ticks > 10, `the main thread's timer kept running during training (${ticks} ticks)`);
  assert.ok(events.some((e) => e.name === 'training:progress'));
  assert.ok(events.filter((e) => e.name === 'training:epoch').length >= 4);
  const info = jobs.get(runId)!;
  assert.equal(info.status, 'done');
  assert.equal(info.modelId, done.modelId);
  assert.ok(info.epochs.length >= 4);
  assert.equal(jobs.list().find((r) => r.id === runId)?.status, 'done');
});

test('cancel stops a running worker; resume continues from the checkpoint epoch in a new worker and finishes', async () => {
  const events: { name: string; payload: unknown }[] = [];
  const jobs = new TrainingJobs(db, (name, payload) => events.push({ name, payload }));
  // 20 + 20 epochs on 400 faces: long enough that the cancel lands mid-run, short enough to resume to the end.
  const planned = 40;
  const { runId } = jobs.start({ modelKind: 'dbn', options: { hiddenUnits: [32], pretrainEpochs: 20, epochs: 20, patience: 50, maxSamples: 400 } });
  await waitFor(events, 'training:epoch');
  assert.equal(jobs.cancel(runId), true);
  const done = (await waitFor(events, 'training:done')) as { status: string };
  assert.equal(done.status, 'cancelled');
  const stopped = jobs.get(runId)!;
  assert.equal(stopped.status, 'cancelled');
  assert.equal(stopped.modelId, null);
  // An announced epoch is checkpointed first (run-training.ts), so the last recorded epoch is the checkpoint's.
  const at = stopped.epochs.at(-1)!.epoch;
  assert.ok(at >= 1 && at < planned, `cancelled after epoch ${at} of ${planned}`);
  assert.throws(() => jobs.resume(999_999 as never), /no training run/);

  // Resumed, the run reads as running at once (its worker has not yet written that to the
  // file), in the list too, so the UI offers Cancel and not a second Resume.
  events.length = 0;
  jobs.resume(runId);
  assert.equal(jobs.get(runId)?.status, 'running');
  assert.equal(jobs.list().find((r) => r.id === runId)?.status, 'running');
  assert.throws(() => jobs.resume(runId), /already running/);
  const resumed = (await waitFor(events, 'training:done')) as { status: string; modelId: number | null; error: string | null };
  assert.equal(resumed.status, 'done', resumed.error ?? '');
  const epochs = events.filter((e) => e.name === 'training:epoch').map((e) => (e.payload as { epoch: { epoch: number } }).epoch.epoch);
  assert.equal(epochs[0], at + 1, `the resumed worker started at epoch ${epochs[0]}, the checkpoint was epoch ${at}`);
  const info = jobs.get(runId)!;
  assert.equal(info.status, 'done');
  assert.equal(info.modelId, resumed.modelId);
  assert.ok(info.modelId);
  // Every planned epoch recorded exactly once across the two workers, in order.
  assert.deepEqual(info.epochs.map((e) => e.epoch), Array.from({ length: planned }, (_, i) => i + 1));
  assert.deepEqual(info.epochs.map((e) => e.phase), [...new Array<string>(20).fill('pretrain:1'), ...new Array<string>(20).fill('finetune')]);
  assert.throws(() => jobs.resume(runId), /already finished/);
});

test('the run list holds every run: training, analysis (fold models) and re-learning (children)', () => {
  const jobs = new TrainingJobs(db, () => {});
  const analyze = createRun(db, { kind: 'analyze', modelKind: 'cnn', config: { modelId: 1, folds: 5, nMin: 3 } });
  const relearn = createRun(db, { kind: 'relearn', modelKind: 'cnn', config: { parentModelId: 1, groups: 'auto' } });
  const listed = jobs.list();
  assert.deepEqual(
    listed.filter((r) => r.id === analyze || r.id === relearn).map((r) => [r.id, r.kind, r.subject]),
    [[analyze, 'analyze', 'model #1 · 5-fold'], [relearn, 'relearn', 'children of model #1']],
  );
  assert.ok(listed.some((r) => r.kind === 'train'), 'the training runs are still there');
  assert.deepEqual(listed.map((r) => r.id), listRuns(db).map((r) => r.id), 'one entry per run in the file');
  assert.equal(jobs.get(analyze)?.kind, 'analyze');
  // Only a training run is resumed from here; an analysis is started again.
  assert.throws(() => jobs.resume(analyze), /no training run/);
});
