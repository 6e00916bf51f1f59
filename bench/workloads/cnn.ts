/**
 * Benchmark workloads of the CNN baseline, matching /shared/bench/peers.py's cnn_epoch and
 * cnn_infer: seeded uniform [0,1] 48x48 images, random labels, the real trainer code (default
 * options: Adam 1e-3, batch 64, dropout 0.25, shift/flip augmentation) for one training pass,
 * and eval-mode predict in batches of 256, on the engine runtime the process selected
 * (`engineRuntime()`: whatever bench/run.ts chose, else the best present). A small untimed pass
 * first compiles the graphs and warms up the kernels.
 * Run directly: node --import tsx bench/workloads/cnn.ts [n] -> JSON on stdout;
 * `... cnn.ts --step [batches]` -> seconds per training step (wall and process CPU) instead;
 * `--threads N` (last) selects the runtime with N threads first.
 */
import { createCnnTrainer } from '../../core/models/cnn/cnn-trainer.ts';
import { engineRuntime, selectRuntime } from '../../core/runtime/select-runtime.ts';
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
  const t = createCnnTrainer({ maxEpochs: 2 }, randomData(64, 1), 1, engineRuntime());
  await t.step();
  t.predict(randomData(64, 2).x);
  t.dispose();
}

/** Seconds for one training epoch over n images (batch 64). */
export async function cnnEpoch(n: number): Promise<number> {
  await warmUp();
  const trainer = createCnnTrainer({ maxEpochs: 2 }, randomData(n, 0), 0, engineRuntime());
  // Includes compiling the step graph once (tens of ms), as every training run pays it.
  const t0 = performance.now();
  await trainer.step();
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  return seconds;
}

/** Seconds for eval-mode class probabilities of n images (batch 256). */
export async function cnnInfer(n: number): Promise<number> {
  await warmUp();
  const data = randomData(n, 0);
  const trainer = createCnnTrainer({}, data, 0, engineRuntime());
  // Compile the inference graph outside the timing, as the epoch workload does for its step.
  trainer.predict({ data: data.x.data.subarray(0, SIZE * SIZE), rows: 1, cols: SIZE * SIZE });
  const t0 = performance.now();
  trainer.predict(data.x);
  const seconds = (performance.now() - t0) / 1000;
  trainer.dispose();
  return seconds;
}

/**
 * Wall and process-CPU seconds per training step (batch 64, default options: augmentation,
 * dropout mask, the step graph, running statistics, Adam), over one epoch of `batches` steps
 * after an untimed epoch. CPU time is the steadier figure on a busy machine at one thread.
 */
export async function cnnStep(batches: number): Promise<{ wall: number; cpu: number }> {
  const trainer = createCnnTrainer({ maxEpochs: 3 }, randomData(64 * batches, 0), 0, engineRuntime());
  await trainer.step();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await trainer.step();
  const wall = (performance.now() - t0) / 1000 / batches;
  const c = process.cpuUsage(c0);
  trainer.dispose();
  return { wall, cpu: (c.user + c.system) / 1e6 / batches };
}

const main = import.meta.url === `file://${process.argv[1]}`;
const threadsAt = process.argv.indexOf('--threads');
if (main && threadsAt > 0) await selectRuntime({ threads: Number(process.argv[threadsAt + 1]) });
if (main && process.argv[2] === '--step') {
  const batches = Number(process.argv[3] ?? 8);
  const runtime = engineRuntime();
  console.log(JSON.stringify({ runtime: runtime.name, threads: runtime.threads, batches, ...(await cnnStep(batches)) }));
} else if (main) {
  const n = Number(process.argv[2] ?? 1024);
  const runtime = engineRuntime();
  console.log(JSON.stringify({ runtime: runtime.name, threads: runtime.threads, n_cnn: n, cnn_epoch: await cnnEpoch(n), cnn_infer: await cnnInfer(n) }));
}
