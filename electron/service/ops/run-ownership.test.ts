// One owner per training run, with a real second process holding the run: while it lives, the
// claim, the app's resume, `affect-relearn train --resume` and the training job itself refuse
// the run, the app lists it as 'running-elsewhere' with the owner's pid and host, and the
// refused job leaves the run as it was, and the model row it may be saving is not tidied away.
// Once the owner is killed the run reads 'interrupted', its half-saved model goes when the
// project opens, and the run is taken over. A lease from another host is honoured while its heartbeat is fresh.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { RunId } from '../../../api/domain.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createModel, getModel } from '../../../db/model-store.ts';
import { claimRun, RUN_STALE_MS, runningElsewhere, RunningElsewhereError } from '../../../db/run-lease.ts';
import { createRun, getRun } from '../../../db/run-store.ts';
import { TrainingJobs } from './training.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..', '..');
let dir: string;
let path: string;
let db: ProjectDb;
let owner: ChildProcess | null = null;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-lease-'));
  path = join(dir, 'p.arproj');
  db = openProject(path, { create: true, name: 'p' });
});
after(() => {
  if (owner && owner.exitCode === null) owner.kill('SIGKILL');
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

const newRun = () => createRun(db, { kind: 'train', modelKind: 'dbn', config: runConfig('dbn', { epochs: 1, pretrainEpochs: 1, hiddenUnits: [8], maxSamples: 50 }) as unknown as Record<string, unknown> });

/** Starts a process that claims the run and keeps its lease alive. */
async function ownInAnotherProcess(runId: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'db', 'run-lease.fixture.ts'), path, String(runId)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, fail) => {
    createInterface({ input: child.stdout! }).on('line', (l) => l === 'claimed' && ok());
    child.once('exit', (code) => fail(new Error(`the owner exited (${code}) before claiming`)));
  });
  return child;
}

test('a run alive in another process is refused everywhere and shown as running elsewhere; once it dies it is taken over', async () => {
  const runId = newRun();
  owner = await ownInAnotherProcess(runId);
  const expected = { pid: owner.pid, host: hostname() };

  const elsewhere = runningElsewhere(db, runId);
  assert.deepEqual({ pid: elsewhere?.pid, host: elsewhere?.host }, expected);
  assert.throws(() => claimRun(db, runId), (e: unknown) => e instanceof RunningElsewhereError && e.owner.pid === owner!.pid && /running elsewhere/.test(e.message));

  const jobs = new TrainingJobs(db, () => {});
  const info = jobs.get(runId as RunId)!;
  assert.equal(info.status, 'running-elsewhere');
  assert.deepEqual({ pid: info.runningElsewhere?.pid, host: info.runningElsewhere?.host }, expected);
  assert.throws(() => jobs.resume(runId as RunId), /running elsewhere \(process \d+ on /);

  const cli = spawnSync(process.execPath, [join(ROOT, 'bin', 'affect-relearn.js'), 'train', '--project', path, '--resume', String(runId), '--json'], { encoding: 'utf8', timeout: 120_000 });
  assert.equal(cli.status, 1, cli.stderr);
  assert.match(JSON.parse(cli.stdout.trim()).error, new RegExp(`run ${runId} is running elsewhere \\(process ${owner.pid} on `));

  // The job itself (what the worker runs) refuses too, and does not mark the other's run failed.
  const refused = await runTrainingJob(path, runId as RunId, { resume: true });
  assert.equal(refused.status, 'failed');
  assert.match(refused.error ?? '', /running elsewhere/);
  assert.equal(getRun(db, runId)!.status, 'running');
  assert.equal(getRun(db, runId)!.error, null);

  // A model row the owner is saving is not tidied away by another process opening the project.
  const saving = createModel(db, { runId, kind: 'dbn', name: 'being saved', filePath: join(db.modelsDir, 'saving.arsnap'), inputSize: { height: 48, width: 48 } });
  openProject(path).close();
  assert.ok(getModel(db, saving), "a live owner's model row is left alone");

  owner.kill('SIGKILL');
  await new Promise((r) => owner!.once('exit', r));
  openProject(path).close();
  assert.equal(getModel(db, saving), null, 'its owner dead, the half-saved model is removed on open');
  assert.equal(runningElsewhere(db, runId), null, 'a dead owner on this host holds nothing');
  assert.equal(jobs.get(runId as RunId)!.status, 'interrupted');
  claimRun(db, runId);
  assert.deepEqual(db.sqlite.prepare('SELECT owner_pid, owner_host FROM runs WHERE id = ?').raw().get(runId), [process.pid, hostname()]);
});

test('a lease held on another host counts while its heartbeat is fresh, and is taken over when stale', () => {
  const runId = newRun();
  db.sqlite.prepare("UPDATE runs SET status = 'running' WHERE id = ?").run(runId);
  const hold = (ageMs: number) =>
    db.sqlite.prepare("UPDATE runs SET owner_pid = 1, owner_host = 'another-host', heartbeat_at = ? WHERE id = ?").run(new Date(Date.now() - ageMs).toISOString(), runId);
  hold(1_000);
  assert.throws(() => claimRun(db, runId), /running elsewhere \(process 1 on another-host/);
  hold(RUN_STALE_MS + 5_000);
  claimRun(db, runId);
  assert.deepEqual(db.sqlite.prepare('SELECT owner_pid, owner_host FROM runs WHERE id = ?').raw().get(runId), [process.pid, hostname()]);
  // Not running at all: nothing to refuse, whoever held it last.
  hold(1_000);
  db.sqlite.prepare("UPDATE runs SET status = 'cancelled' WHERE id = ?").run(runId);
  claimRun(db, runId);
});
