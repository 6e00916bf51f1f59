/**
 * Benchmark workloads of the CNN baseline, matching /shared/bench/peers.py's cnn_epoch and
 * cnn_infer: seeded uniform [0,1] 48x48 images, random labels, the real trainer code (default
 * options: Adam 1e-3, batch 64, dropout 0.25, shift/flip augmentation) for one training pass,
 * and eval-mode predict in batches of 256. A small untimed pass first warms up the kernels.
 * Run directly: node --import tsx bench/workloads/cnn.ts [n] -> JSON on stdout.
 */
import { initBackend } from '../../core/backend/init-backend.ts';
import { createCnnTrainer } from '../../core/models/cnn/cnn-trainer.ts';
import type { TrainingData } from '../../core/train/types.ts';
import { Rng } from '../../core/util/rng.ts';

const SIZE = 48;

function randomData(n: number, seed: number): TrainingData {
  const rng = new Rng(seed);
  const x = new Float32Array(n * SIZE * SIZE);
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(8);
  return { x: { data: x, rows: n, cols: SIZE * SIZE }, y, soft: null, valid: null, height: SIZE, width: SIZE };
}

async function warmUp(): Promise<void> {
  const t = createCnnTrainer({ maxEpochs: 2 }, randomData(64, 1), 1);
  await t.step();
  t.predict(randomData(64, 2).x);
  t.dispose();
}

/** Seconds for one training epoch over n images (batch 64). */
export async function cnnEpoch(n: number): Promise<number> {
  await initBackend();
  await warmUp();
  const trainer = createCnnTrainer({ maxEpochs: 2 }, randomData(n, 0), 0);
  const t0 = performance.now();
  await trainer.step();
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  return seconds;
}

/** Seconds for eval-mode class probabilities of n images (batch 256). */
export async function cnnInfer(n: number): Promise<number> {
  await initBackend();
  await warmUp();
  const data = randomData(n, 0);
  const trainer = createCnnTrainer({}, data, 0);
  const t0 = performance.now();
  trainer.predict(data.x);
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  return seconds;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const n = Number(process.argv[2] ?? 1024);
  const backend = (await initBackend()).name;
  console.log(JSON.stringify({ backend, n_cnn: n, cnn_epoch: await cnnEpoch(n), cnn_infer: await cnnInfer(n) }));
}
