// The face-map job end to end on the demo project: the pixel map (PCA) and a trained model's
// feature map (UMAP) are computed in a real worker thread, stored in the project file, read
// back with every face's labels, reproduced exactly by the same seed; cancelling leaves no map.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FaceMap } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { readFaceMap } from '../../../db/face-map-store.ts';
import { FaceMapJobs } from './face-map-jobs.ts';
import { currentLabels, getMap } from './face-map.ts';
import { createDemoProject } from './project.ts';
import { TrainingJobs } from './training.ts';

let dir: string;
let db: ProjectDb;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-map-'));
  const path = join(dir, 'demo.arproj');
  await createDemoProject(path);
  db = openProject(path);
});
after(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

type Ev = { name: string; payload: Record<string, unknown> };
function waitFor(events: Ev[], name: string, pred: (p: Record<string, unknown>) => boolean = () => true, timeoutMs = 300_000): Promise<Record<string, unknown>> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      const e = events.find((x) => x.name === name && pred(x.payload));
      if (e) {
        clearInterval(t);
        resolve(e.payload);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(t);
        reject(new Error(`no ${name} event within ${timeoutMs} ms; got ${events.map((x) => x.name).join(', ')}`));
      }
    }, 20);
  });
}

async function computeMap(jobs: FaceMapJobs, events: Ev[], modelId: ModelId | null, seed: number): Promise<FaceMap> {
  const { jobId } = jobs.start({ modelId, seed });
  const done = await waitFor(events, 'map:done', (p) => p.jobId === jobId);
  assert.equal(done.status, 'done', String(done.error));
  const map = getMap(db, { modelId });
  assert.ok(map);
  return map;
}

/** Share of each face's 10 nearest faces on the map (brute force) with the same given label. */
function purity(m: FaceMap): number {
  const n = m.ids.length;
  let same = 0;
  let counted = 0;
  for (let i = 0; i < n; i++) {
    if (m.given[i] === null) continue;
    const d: [number, number][] = [];
    for (let j = 0; j < n; j++) if (j !== i) d.push([(m.x[i] - m.x[j]) ** 2 + (m.y[i] - m.y[j]) ** 2, j]);
    d.sort((a, b) => a[0] - b[0]);
    for (let t = 0; t < 10; t++) if (m.given[d[t][1]] === m.given[i]) same++;
    counted += 10;
  }
  return same / counted;
}

test('pixel map and feature map: computed in a worker, stored, read back with labels, reproducible, cancellable', async () => {
  const events: Ev[] = [];
  const emit = (name: string, payload: unknown) => void events.push({ name, payload: payload as Record<string, unknown> });
  const faces = db.stmt<[], number>('SELECT count(*) FROM samples', 'pluck').get()!;

  const jobs = new FaceMapJobs(db, emit);
  const pixels = await computeMap(jobs, events, null, 1);
  assert.equal(pixels.info.method, 'pca-pixels');
  assert.equal(pixels.ids.length, faces);
  assert.ok(pixels.x.every(Number.isFinite) && pixels.y.every(Number.isFinite));
  assert.ok(new Set(pixels.x).size > faces / 2, 'faces are spread out, not stacked');
  assert.ok(events.some((e) => e.name === 'map:progress' && e.payload.stage === 'pca'));
  assert.deepEqual(pixels.current, currentLabels(db).current);

  const training = new TrainingJobs(db, emit);
  training.start({ modelKind: 'dbn', options: { hiddenUnits: [64, 32], pretrainEpochs: 3, epochs: 15 } });
  const trained = await waitFor(events, 'training:done');
  assert.equal(trained.status, 'done', String(trained.error));
  const modelId = trained.modelId as ModelId;

  const a = await computeMap(jobs, events, modelId, 5);
  assert.equal(a.info.method, 'umap-features');
  assert.equal(a.ids.length, faces);
  assert.ok(a.predicted.every((p) => p !== null && p >= 0 && p < 8), 'every face has the model\'s predicted class');
  // Faces the model learned to tell apart sit apart: 10-NN label purity far above chance (1/8).
  const p = purity(a);
  assert.ok(p > 0.4, `feature-map purity ${p.toFixed(3)}`);
  const again = await computeMap(jobs, events, modelId, 5);
  assert.deepEqual(again.x, a.x, 'the same seed reproduces the map');
  assert.deepEqual(again.y, a.y);

  // Cancelled before it finishes: the job says so and the stored map is unchanged.
  const before = readFaceMap(db, modelId, 'umap-features')!;
  const { jobId } = jobs.start({ modelId, seed: 6 });
  await waitFor(events, 'map:progress', (e) => e.jobId === jobId);
  assert.equal(jobs.cancel(jobId), true);
  const cancelled = await waitFor(events, 'map:done', (e) => e.jobId === jobId);
  assert.equal(cancelled.status, 'cancelled');
  assert.equal(readFaceMap(db, modelId, 'umap-features')!.seed, before.seed);
  await training.dispose?.();
  await jobs.dispose();
});
