// Benchmark (not a test): the review queue at 300,000 faces. Builds a project in a temp dir
// (synthetic 16x16 pixels, three identified annotators per face, a model with per-face
// scores), then times through the service, and through the browser-mode WebSocket, the
// calls a reviewer's day is made of: the first page of the queue (with its counts), a deep
// page by cursor, a jump by offset, a resume at a deep face, a filtered queue, the no-model
// disagreement order, one face in detail, and the relabel / undo round-trip. Then the relabel
// under load: while another process upserts a score for every face (as an analysis does),
// relabels from the service are timed, with the app's chunked writes and with the whole write
// in one transaction for comparison.
//
//   node --import tsx bench/review-queue.ts [--faces 300000] [--keep]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import type { RequestName, ResultOf } from '../api/contract.ts';
import type { SampleId, SampleRecord, Split } from '../api/domain.ts';
import { openProject } from '../db/connection.ts';
import { createModel } from '../db/model-store.ts';
import { insertSampleBatch } from '../db/sample-store.ts';
import { upsertScores, type ScoreInput } from '../db/score-store.ts';
import { logIn } from '../electron/server/launch-login.ts';
import { startServer } from '../electron/server/start-server.ts';
import { AppService } from '../electron/service/app-service.ts';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const N = arg('faces', 300_000);
const KEEP = process.argv.includes('--keep');
const SIZE = 16;

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296);
}

function buildProject(path: string): void {
  const t0 = performance.now();
  const db = openProject(path, { create: true, name: 'bench-300k', inputSize: { height: SIZE, width: SIZE } });
  const rand = rng(1);
  const pixels = new Uint8Array(SIZE * SIZE);
  const BATCH = 5000;
  for (let start = 0; start < N; start += BATCH) {
    const records: SampleRecord[] = [];
    for (let i = start; i < Math.min(N, start + BATCH); i++) {
      for (let k = 0; k < pixels.length; k++) pixels[k] = (i * 31 + k * 7) & 255;
      const given = Math.floor(rand() * 8);
      const split: Split = i % 10 === 0 ? 'test' : i % 10 === 1 ? 'valid' : 'train';
      // Three annotators; a third of the faces get one dissenting label.
      const annotations = ['ann-A', 'ann-B', 'ann-C'].map((annotator, a) => ({ annotator, label: a === 2 && rand() < 0.33 ? (given + 1) % 8 : given }));
      records.push({ sourceRef: `bench:${i}`, dataset: 'multi', split, width: SIZE, height: SIZE, pixels: pixels.slice(), originalPath: null, faceBox: null, givenLabel: given, valence: null, arousal: null, annotations, votes: null, extra: null });
    }
    insertSampleBatch(db, records);
    if ((start / BATCH) % 10 === 0) process.stderr.write(`\r  faces ${start + records.length} / ${N}`);
  }
  const model = createModel(db, { kind: 'cnn', name: 'bench', filePath: 'bench.json', inputSize: { height: SIZE, width: SIZE } });
  const ids = db.stmt<[], number>('SELECT id FROM samples ORDER BY id', 'pluck').all();
  const srand = rng(2);
  for (let start = 0; start < ids.length; start += 50_000) {
    const rows: ScoreInput[] = ids.slice(start, start + 50_000).map((id) => {
      const kl = srand() * 3;
      return { sampleId: id, predictedLabel: Math.floor(srand() * 8), klAnnotator: kl, margin: srand(), maxSoftmax: 0.3 + 0.7 * srand(), misclassified: srand() < 0.2 };
    });
    upsertScores(db, model, rows);
  }
  db.close();
  process.stderr.write(`\r  built ${N} faces with scores in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

type Caller = <M extends RequestName>(method: M, params: unknown) => Promise<ResultOf<M>>;

async function time<T>(label: string, fn: () => Promise<T>, runs = 5): Promise<T> {
  let result!: T;
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    result = await fn();
    ms.push(performance.now() - t);
  }
  const cold = ms[0];
  ms.sort((a, b) => a - b);
  console.log(`  ${label.padEnd(58)} first ${cold.toFixed(1).padStart(7)} ms   median ${ms[Math.floor(ms.length / 2)].toFixed(1).padStart(7)} ms   min ${ms[0].toFixed(1).padStart(7)} ms`);
  return result;
}

async function measure(name: string, call: Caller): Promise<void> {
  console.log(`\n${name}`);
  const opts = await time('faces.reviewOptions', () => call('faces.reviewOptions', {}));
  const modelId = opts.defaultModelId!;
  const q = { modelId, sort: 'kl_annotator' as const };
  const t = performance.now();
  const first = await call('faces.listForReview', { ...q, limit: 100, withCounts: true });
  console.log(`  ${'cold first page + counts (the view opening)'.padEnd(58)} ${(performance.now() - t).toFixed(1).padStart(7)} ms   (${first.counts!.total} faces)`);
  await time('first page (100) with counts', () => call('faces.listForReview', { ...q, limit: 100, withCounts: true }));
  await time('first page (100) without counts', () => call('faces.listForReview', { ...q, limit: 100 }));
  const depth = Math.min(1000, Math.floor(N / 100) - 2);
  let page = first;
  for (let i = 0; i < depth && page.next; i++) page = await call('faces.listForReview', { ...q, limit: 100, after: page.next });
  await time(`page ${depth + 2} by cursor (after ${(depth + 1) * 100} faces)`, () => call('faces.listForReview', { ...q, limit: 100, after: page.next! }));
  await time(`jump by offset to ${Math.floor(N / 2)}`, () => call('faces.listForReview', { ...q, limit: 100, offset: Math.floor(N / 2) }), 3);
  const deep = page.items[50].id;
  await time(`resume: startAt a face ~${depth * 100} deep (its index)`, () => call('faces.listForReview', { ...q, limit: 1, startAt: deep }), 3);
  await time('filtered: test split, not reviewed, first page + counts', () => call('faces.listForReview', { ...q, filter: { split: 'test', reviewed: false }, limit: 100, withCounts: true }), 3);
  await time('confusion pair given 3 -> predicted 5, first page', () => call('faces.listForReview', { ...q, filter: { givenLabel: 3, predicted: 5 }, limit: 100 }), 3);
  await time('annotator disagreement filter, first page', () => call('faces.listForReview', { ...q, filter: { disagreement: true }, limit: 100 }), 3);
  await time('no model: disagreement order, first page + counts', () => call('faces.listForReview', { sort: 'disagreement', limit: 100, withCounts: true }), 3);
  const face = first.items[0].id;
  await time('faces.get (detail with model output)', () => call('faces.get', { id: face, modelId }));
  await time('labels.relabel + labels.undo round-trip', async () => {
    await call('labels.relabel', { sampleId: face, action: 'relabel', label: 2, reviewer: 'bench' });
    return call('labels.undo', { reviewer: 'bench' });
  }, 10);
  await time('faces.saveQueueState (every move)', () => call('faces.saveQueueState', { reviewer: 'bench', query: { ...q, filter: {} }, sampleId: face as SampleId, index: 0 }), 10);
}

/**
 * Relabel round-trips (relabel, then undo) through the service while bench/bulk-score-writer.ts
 * writes every face's score from another process; prints the wait distribution.
 */
async function relabelUnderLoad(path: string, call: Caller, mode: 'chunked' | 'single', reviewer = true): Promise<void> {
  const opts = await call('faces.reviewOptions', {});
  const face = (await call('faces.listForReview', { modelId: opts.defaultModelId, sort: 'kl_annotator', limit: 1 })).items[0].id;
  const writer = join(dirname(fileURLToPath(import.meta.url)), 'bulk-score-writer.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', writer, path, String(opts.defaultModelId), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  let writeMs = '';
  const started = new Promise<void>((resolve) => lines.on('line', (l) => (l === 'start' ? resolve() : l.startsWith('done') ? (writeMs = l.slice(5)) : undefined)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await started;
  if (!reviewer) {
    await exited;
    console.log(`  ${`the ${N}-row score write alone (${mode})`.padEnd(58)} ${writeMs} ms`);
    return;
  }
  // A fast reviewer: a decision every 250 ms. A relabel that fails (SQLite gave up waiting for
  // the lock after the 5 s busy timeout) is counted, not timed. Beside each relabel, a bare
  // BEGIN IMMEDIATE on a connection of its own times the wait for the write lock alone.
  const probe = openProject(path);
  const ms: number[] = [];
  const lockMs: number[] = [];
  let failed = 0;
  for (let k = 0; !writeMs; k++) {
    const t = performance.now();
    try {
      await call('labels.relabel', { sampleId: face, action: 'relabel', label: 2 + (k % 2), reviewer: 'bench' });
      ms.push(performance.now() - t);
    } catch {
      failed++;
    }
    const l = performance.now();
    try {
      probe.sqlite.exec('BEGIN IMMEDIATE');
      lockMs.push(performance.now() - l);
      probe.sqlite.exec('COMMIT');
    } catch {
      // busy timeout: counted with the relabels that failed
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  await exited;
  probe.close();
  const report = (label: string, xs: number[]) => {
    xs.sort((a, b) => a - b);
    const q = (f: number) => (xs.length ? xs[Math.min(xs.length - 1, Math.floor(f * xs.length))].toFixed(1) : '–').padStart(7);
    console.log(`  ${label.padEnd(58)} median ${q(0.5)} ms   p95 ${q(0.95)} ms   max ${q(1)} ms   (${xs.length}, ${xs.filter((x) => x > 50).length} over 50 ms)`);
  };
  report(`relabel round-trip during a ${N}-row score write (${mode})`, ms);
  report('write-lock wait alone (BEGIN IMMEDIATE, another connection)', lockMs);
  console.log(`  ${''.padEnd(58)} ${failed} relabels failed (database locked); the write took ${writeMs} ms`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ar-bench-review-'));
  const path = join(dir, 'bench.arproj');
  console.log(`review queue benchmark: ${N} faces in ${dir}`);
  buildProject(path);
  const service = new AppService({ transport: 'test', configDir: join(dir, 'config'), backend: async () => null });
  await service.openProject(path);
  try {
    await measure('through the service (in-process)', (m, p) => service.call(m, p));
    console.log('\nrelabel while another process writes scores (the UI\'s wait for the write lock)');
    await relabelUnderLoad(path, (m, p) => service.call(m, p), 'chunked', false);
    await relabelUnderLoad(path, (m, p) => service.call(m, p), 'chunked');
    await relabelUnderLoad(path, (m, p) => service.call(m, p), 'single');
    const server = await startServer({ service, port: 0, host: '127.0.0.1' });
    const url = new URL(server.url);
    const ws = new WebSocket(`ws://127.0.0.1:${url.port}/ws`, { headers: { Cookie: await logIn(server.url) } });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    let nextId = 1;
    const pending = new Map<number, (m: { type: string; result?: unknown; error?: { message: string } }) => void>();
    ws.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { type: string; id?: number; result?: unknown; error?: { message: string } };
      if (msg.id !== undefined) pending.get(msg.id)?.(msg);
    });
    const viaWs: Caller = (method, params) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, (m) => (pending.delete(id), m.type === 'result' ? resolve(m.result as never) : reject(new Error(m.error?.message))));
        ws.send(JSON.stringify({ type: 'call', id, method, params }));
      });
    await measure('through the browser-mode WebSocket (JSON frames)', viaWs);
    ws.close();
    await server.close();
  } finally {
    await service.dispose();
    if (!KEEP) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
