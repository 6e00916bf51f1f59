import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { ImportItem, ImportProgress } from '../api/domain.ts';
import { openProject } from './connection.ts';
import { IMPORT_STALE_MS, getImportJob, listImportIssues, listImportJobs, markInterruptedImports, writeImport } from './import-store.ts';
import { getSample } from './sample-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

const SIZE = { height: 4, width: 4 };
const countSamples = (p: ReturnType<typeof tempProject>) => p.db.sqlite.prepare('SELECT count(*) FROM samples').pluck().get() as number;

/** n face records; `issueAt` indices become importer issues, `failAt` makes the iterator throw there. */
async function* items(n: number, opts: { issueAt?: number[]; failAt?: number } = {}): AsyncGenerator<ImportItem> {
  yield { kind: 'progress', done: 0, total: n };
  for (let i = 0; i < n; i++) {
    if (i === opts.failAt) throw new Error(`disk read error at item ${i}`);
    if (opts.issueAt?.includes(i)) {
      yield { kind: 'issue', issue: { file: 'labels.csv', line: i + 2, field: 'emotion', message: `bad emotion at ${i}` } };
    } else {
      yield { kind: 'sample', record: makeRecord({ index: i, size: 4, votes: i % 2 ? [0, 10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0] : null, annotations: [{ annotator: 'sim-1', label: i % 8 }] }) };
    }
  }
}

test('an import writes every face in batches, stores issues, reports progress', async () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    const progress: ImportProgress[] = [];
    const report = await writeImport(p.db, { kind: 'demo', path: '/data/demo', options: { seed: 1 } }, items(25, { issueAt: [4, 17] }), {
      batchSize: 10,
      onProgress: (pr) => progress.push(pr),
    });
    assert.equal(report.status, 'done');
    assert.equal(report.accepted, 23);
    assert.equal(report.rejected, 2);
    assert.equal(report.skippedExisting, 0);
    assert.deepEqual(report.issues.map((i) => i.line), [6, 19]);
    assert.equal(countSamples(p), 23);
    assert.deepEqual(progress[0], { done: 0, total: 25, accepted: 0, rejected: 0 }, "the importer's own progress is passed on");
    assert.ok(progress.length >= 4, `progress per batch, got ${progress.length}`);
    assert.deepEqual(progress.at(-1), { done: 25, total: 25, accepted: 23, rejected: 2 });
    const job = getImportJob(p.db, report.jobId)!;
    assert.equal(job.status, 'done');
    assert.deepEqual([job.accepted, job.rejected, job.total], [23, 2, 25]);
    assert.deepEqual(job.options, { seed: 1 });
    assert.ok(job.finishedAt);
    assert.deepEqual(listImportIssues(p.db, report.jobId)[1], { file: 'labels.csv', line: 19, field: 'emotion', message: 'bad emotion at 17' });
    const s = getSample(p.db, 1)!;
    assert.equal(s.importJobId, report.jobId);
  } finally {
    p.remove();
  }
});

test('a face of the wrong size becomes an issue naming its field, the rest is imported', async () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    async function* mixed(): AsyncGenerator<ImportItem> {
      yield { kind: 'sample', record: makeRecord({ index: 0, size: 4 }) };
      yield { kind: 'sample', record: makeRecord({ index: 1, size: 5 }) };
      yield { kind: 'sample', record: makeRecord({ index: 2, size: 4 }) };
    }
    const report = await writeImport(p.db, { kind: 'demo', path: 'x' }, mixed());
    assert.equal(report.accepted, 2);
    assert.equal(report.issues.length, 1);
    assert.equal(report.issues[0].field, 'width');
    assert.equal(report.issues[0].file, 'faces/1.png');
    assert.match(report.issues[0].message, /demo-1: image is 5x5, the project's input size is 4x4/);
  } finally {
    p.remove();
  }
});

test('strict mode stops at the first issue, keeping what came before it', async () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    const report = await writeImport(p.db, { kind: 'demo', path: 'x' }, items(40, { issueAt: [23, 30] }), { batchSize: 10, strict: true });
    assert.equal(report.status, 'aborted');
    assert.equal(report.accepted, 23);
    assert.equal(report.rejected, 1);
    assert.equal(countSamples(p), 23);
    assert.equal(getImportJob(p.db, report.jobId)!.status, 'aborted');
  } finally {
    p.remove();
  }
});

test('an import broken mid-way keeps whole batches, and a re-run resumes without duplicates', async () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    const broken = await writeImport(p.db, { kind: 'demo', path: 'x' }, items(50, { failAt: 27 }), { batchSize: 10 });
    assert.equal(broken.status, 'failed');
    assert.match(broken.error!, /disk read error at item 27/);
    assert.equal(broken.accepted, 27);
    assert.equal(countSamples(p), 27);
    const rerun = await writeImport(p.db, { kind: 'demo', path: 'x' }, items(50), { batchSize: 10 });
    assert.equal(rerun.status, 'done');
    assert.equal(rerun.accepted, 23);
    assert.equal(rerun.skippedExisting, 27);
    assert.equal(countSamples(p), 50);
    assert.equal(p.db.sqlite.prepare('SELECT count(DISTINCT source_ref) FROM samples').pluck().get(), 50);
    assert.equal(p.db.sqlite.prepare('SELECT count(*) FROM annotations').pluck().get(), 50, 'one annotation per face, none doubled');
    assert.deepEqual(listImportJobs(p.db).map((j) => j.status), ['failed', 'done']);
  } finally {
    p.remove();
  }
});

test('an import killed with SIGKILL leaves whole batches and a consistent DB; the re-run completes it', async () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    const file = p.db.path;
    p.db.close();
    const fixture = join(dirname(fileURLToPath(import.meta.url)), 'import-crash.fixture.ts');
    const child = spawnSync(process.execPath, ['--import', 'tsx', fixture, file, '35', '60'], { encoding: 'utf8' });
    assert.equal(child.signal, 'SIGKILL', `the child should die by SIGKILL: ${child.stderr}`);
    const db = openProject(file);
    try {
      assert.equal(db.sqlite.pragma('integrity_check', { simple: true }), 'ok');
      assert.deepEqual(db.sqlite.pragma('foreign_key_check'), []);
      const stored = db.sqlite.prepare('SELECT count(*) FROM samples').pluck().get() as number;
      assert.equal(stored, 30, 'the three committed batches of 10; the 5 faces of the open batch are lost');
      const [job] = listImportJobs(db);
      assert.equal(job.status, 'failed', 'opening the project marked the crashed import interrupted');
      assert.match(job.error ?? '', /interrupted/);
      assert.equal(job.accepted, stored, 'the job counters were committed with their batch');
      assert.equal(markInterruptedImports(db), 0);
      async function* all(): AsyncGenerator<ImportItem> {
        for (let i = 0; i < 60; i++) yield { kind: 'sample', record: makeRecord({ index: i, size: 4 }) };
      }
      const rerun = await writeImport(db, { kind: 'demo', path: 'crash-test' }, all(), { batchSize: 10 });
      assert.deepEqual([rerun.accepted, rerun.skippedExisting], [30, 30]);
      assert.equal(db.sqlite.prepare('SELECT count(*) FROM samples').pluck().get(), 60);
    } finally {
      db.close();
    }
  } finally {
    p.remove();
  }
});

test('an abort signal stops the import between items', async () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    const ac = new AbortController();
    const report = await writeImport(p.db, { kind: 'demo', path: 'x' }, items(30), {
      batchSize: 5,
      onProgress: (pr) => {
        if (pr.accepted >= 10) ac.abort();
      },
      signal: ac.signal,
    });
    assert.equal(report.status, 'aborted');
    assert.equal(countSamples(p), 10);
  } finally {
    p.remove();
  }
});

test('opening a project marks only imports whose process is gone or silent as interrupted', () => {
  const p = tempProject({ inputSize: SIZE });
  try {
    // A pid that certainly exited: a child that has been reaped.
    const deadPid = spawnSync(process.execPath, ['-e', '0']).pid!;
    const host = hostname();
    const fresh = new Date().toISOString();
    const old = new Date(Date.now() - IMPORT_STALE_MS - 60_000).toISOString();
    const jobs: [string, number | null, string | null, string | null][] = [
      ['alive here', process.pid, host, fresh],
      ['dead pid here', deadPid, host, fresh],
      ['alive elsewhere', 1, 'another-host', fresh],
      ['silent elsewhere', 1, 'another-host', old],
      ['alive pid but silent for long (pid reused)', process.pid, host, old],
      ['no owner (older version)', null, null, null],
    ];
    const insert = p.db.sqlite.prepare("INSERT INTO import_jobs (kind, path, status, owner_pid, owner_host, heartbeat_at, started_at) VALUES ('demo', ?, 'running', ?, ?, ?, ?)");
    for (const [path, pid, h, beat] of jobs) insert.run(path, pid, h, beat, old);
    const file = p.db.path;
    p.db.close();
    const db = openProject(file);
    try {
      const status = Object.fromEntries(listImportJobs(db).map((j) => [j.path, j.status]));
      assert.deepEqual(status, {
        'alive here': 'running',
        'dead pid here': 'failed',
        'alive elsewhere': 'running',
        'silent elsewhere': 'failed',
        'alive pid but silent for long (pid reused)': 'failed',
        'no owner (older version)': 'failed',
      });
    } finally {
      db.close();
    }
  } finally {
    p.remove();
  }
});
