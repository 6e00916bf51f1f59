/**
 * Benchmark workloads of the DBN side, matching /shared/bench/peers.py (same shapes, seeded
 * uniform [0,1] pixels): one CD-1 epoch of our Rbm class (2304 -> 512, batch 64, default
 * options: momentum, weight decay, walking-distance statistics, free energy on the fixed
 * sample), one Adam epoch of our Mlp 2304-512-256-8, and Mlp inference in batches of 256.
 * Each returns a function that runs one pass, so the caller can warm up and repeat it.
 */
import { NUM_CLASSES } from '../../api/domain.ts';
import { DEFAULT_MLP_OPTIONS, Mlp } from '../../core/models/mlp/mlp.ts';
import { DEFAULT_RBM_OPTIONS, Rbm } from '../../core/models/rbm/rbm.ts';
import type { Matrix } from '../../core/train/types.ts';
import { Rng } from '../../core/util/rng.ts';

export const PIXELS = 2304;

export function uniformMatrix(rows: number, cols: number, seed: number): Matrix {
  const rng = new Rng(seed);
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = rng.next();
  return { data, rows, cols };
}

export function rbmEpochWorkload(x: Matrix): () => void {
  const rng = new Rng(1);
  const rbm = Rbm.create(PIXELS, 512, DEFAULT_RBM_OPTIONS, rng);
  return () => {
    rbm.trainEpoch(x, rng);
  };
}

function randomHidden(inputs: number, outputs: number, rng: Rng) {
  const w = new Float32Array(inputs * outputs);
  for (let k = 0; k < w.length; k++) w[k] = 0.01 * rng.normal();
  return { inputs, outputs, w, b: new Float32Array(outputs) };
}

export function makeBenchMlp(seed: number): Mlp {
  const rng = new Rng(seed);
  return Mlp.fromPretrained([randomHidden(PIXELS, 512, rng), randomHidden(512, 256, rng)], PIXELS, NUM_CLASSES, DEFAULT_MLP_OPTIONS, rng);
}

export function mlpEpochWorkload(x: Matrix): () => void {
  const rng = new Rng(2);
  const mlp = makeBenchMlp(3);
  const targets = new Float32Array(x.rows * NUM_CLASSES);
  for (let r = 0; r < x.rows; r++) targets[r * NUM_CLASSES + rng.int(NUM_CLASSES)] = 1;
  return () => {
    mlp.trainEpoch(x, targets, null, rng);
  };
}

export function mlpInferWorkload(x: Matrix): () => void {
  const mlp = makeBenchMlp(4);
  return () => {
    mlp.predict(x, 256);
  };
}
