// Bulk writes hold the write lock in short transactions: score upserts and prediction writes of
// many rows commit in chunks of at most CHUNK_ROWS rows, and a relabel from another process
// gets the lock while a whole split's scores are being written, instead of after them.
// (How long it waits is measured by bench/review-queue.ts, not asserted here.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NUM_CLASSES } from '../api/domain.ts';
import { CHUNK_ROWS, writeInChunks } from './chunked-write.ts';
import { openProject, type ProjectDb } from './connection.ts';
import { createModel } from './model-store.ts';
import { readPredictions, writePredictions } from './prediction-store.ts';
import { recordDecision } from './relabel-store.ts';
import { insertSampleBatch } from './sample-store.ts';
import { listScores, upsertScores } from './score-store.ts';
import { makeRecord, tempProject } from './test-support.ts';

function addFaces(db: ProjectDb, n: number): number[] {
  for (let s = 0; s < n; s += 2000) insertSampleBatch(db, Array.from({ length: Math.min(2000, n - s) }, (_, i) => makeRecord({ index: s + i, size: 4 })));
  return db.stmt<[], number>('SELECT id FROM samples ORDER BY id', 'pluck').all();
}

/** Rows of `table` committed by each transaction db.write runs while fn runs. */
function rowsPerTransaction(db: ProjectDb, table: string, fn: () => void): number[] {
  const count = () => db.stmt<[], number>(`SELECT count(*) FROM ${table}`, 'pluck').get()!;
  const sizes: number[] = [];
  const write = db.write.bind(db);
  db.write = <T>(body: () => T): T => {
    const before = count();
    const r = write(body);
    sizes.push(count() - before);
    return r;
  };
  try {
    fn();
  } finally {
    db.write = write;
  }
  return sizes;
}

test('score upserts and prediction writes commit at most CHUNK_ROWS rows per transaction, and all of them', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const n = CHUNK_ROWS * 3 + 17;
    const ids = addFaces(p.db, n);
    const model = createModel(p.db, { kind: 'cnn', name: 'm', filePath: 'm.bin', inputSize: { height: 4, width: 4 } });
    const scores = rowsPerTransaction(p.db, 'scores', () => upsertScores(p.db, model, ids.map((id) => ({ sampleId: id, margin: id / n }))));
    assert.ok(scores.length >= 4, `${scores.length} transactions`);
    assert.ok(Math.max(...scores) <= CHUNK_ROWS, `a transaction of ${Math.max(...scores)} rows`);
    assert.equal(scores.reduce((a, b) => a + b, 0), n);
    assert.equal(listScores(p.db, model).length, n);

    const probs = new Float32Array(n * NUM_CLASSES).map((_, i) => (i % NUM_CLASSES) / 28);
    const preds = rowsPerTransaction(p.db, 'predictions', () => writePredictions(p.db, model, { sampleIds: ids, probs }));
    assert.ok(preds.length >= 4 && Math.max(...preds) <= CHUNK_ROWS, preds.join(','));
    assert.deepEqual(readPredictions(p.db, model).probs, probs);
  } finally {
    p.remove();
  }
});

test('inside a caller transaction the rows are written in it, whole', () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const ids = addFaces(p.db, CHUNK_ROWS + 5);
    const model = createModel(p.db, { kind: 'cnn', name: 'm', filePath: 'm.bin', inputSize: { height: 4, width: 4 } });
    assert.throws(() =>
      p.db.write(() => {
        upsertScores(p.db, model, ids.map((id) => ({ sampleId: id, margin: 0.5 })));
        throw new Error('caller fails');
      }),
    );
    assert.equal(listScores(p.db, model).length, 0, 'the caller rolled back every chunk');
    assert.equal(writeInChunks(p.db, 0, () => {}), 0);
  } finally {
    p.remove();
  }
});

test('a relabel from another process commits while a bulk score write is under way, not after it', async () => {
  const p = tempProject({ inputSize: { height: 4, width: 4 } });
  try {
    const n = CHUNK_ROWS * 40;
    const ids = addFaces(p.db, n);
    const model = createModel(p.db, { kind: 'cnn', name: 'm', filePath: 'm.bin', inputSize: { height: 4, width: 4 } });
    const fixture = join(dirname(fileURLToPath(import.meta.url)), 'bulk-writer.fixture.ts');
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, p.db.path, String(model)], { stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = createInterface({ input: child.stdout! });
    let done = false;
    const started = new Promise<void>((resolve) => lines.on('line', (l) => (l === 'start' ? resolve() : l === 'done' ? (done = true) : undefined)));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await started;
    // Each relabel records how many scores were committed when it got the lock.
    const seen: number[] = [];
    for (let k = 0; !done && k < 2000; k++) {
      p.db.write(() => {
        recordDecision(p.db, { sampleId: ids[k % n], action: 'relabel', label: k % 8, reviewer: 'ui' });
        seen.push(p.db.stmt<[number], number>('SELECT count(*) FROM scores WHERE model_id = ?', 'pluck').get(model)!);
      });
      await new Promise((r) => setTimeout(r, 5));
    }
    assert.equal(await exited, 0);
    assert.equal(listScores(p.db, model).length, n);
    const during = seen.filter((c) => c > 0 && c < n);
    assert.ok(during.length >= 3, `relabels committed between the bulk write's chunks: ${during.length} (counts seen: ${[...new Set(seen)].slice(0, 20).join(',')})`);
  } finally {
    p.remove();
  }
});
