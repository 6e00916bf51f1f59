/**
 * A small planted classification problem for tests and quick checks: each of the 8 classes
 * has its own random prototype image (blocks of bright pixels), and a sample is its class's
 * prototype with pixel noise and a few flipped blocks. A model that learns anything beats
 * chance (1/8) by far; a model that learns nothing cannot.
 */
import { NUM_CLASSES } from '../../../api/domain.ts';
import type { Matrix, TrainingData } from '../../train/types.ts';
import { Rng } from '../../util/rng.ts';

export function plantedImages(n: number, side: number, rng: Rng, prototypes: Float32Array[]): { x: Matrix; y: Int32Array } {
  const I = side * side;
  const data = new Float32Array(n * I);
  const y = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const k = r % NUM_CLASSES;
    y[r] = k;
    for (let i = 0; i < I; i++) {
      const p = prototypes[k][i];
      const v = p * 0.8 + 0.1 + 0.15 * rng.normal();
      data[r * I + i] = Math.min(1, Math.max(0, rng.next() < 0.1 ? 1 - v : v));
    }
  }
  return { x: { data, rows: n, cols: I }, y };
}

export function makePrototypes(side: number, rng: Rng): Float32Array[] {
  const protos: Float32Array[] = [];
  const block = Math.max(2, Math.floor(side / 4));
  for (let k = 0; k < NUM_CLASSES; k++) {
    const p = new Float32Array(side * side);
    for (let by = 0; by < side; by += block) {
      for (let bx = 0; bx < side; bx += block) {
        const on = rng.next() < 0.5 ? 1 : 0;
        for (let yy = by; yy < Math.min(side, by + block); yy++) for (let xx = bx; xx < Math.min(side, bx + block); xx++) p[yy * side + xx] = on;
      }
    }
    protos.push(p);
  }
  return protos;
}

/** Training data with a validation split, all from one seed. */
export function plantedTrainingData(nTrain: number, nValid: number, side: number, seed: number): TrainingData {
  const rng = new Rng(seed);
  const protos = makePrototypes(side, rng);
  const train = plantedImages(nTrain, side, rng, protos);
  const valid = plantedImages(nValid, side, rng, protos);
  return { x: train.x, y: train.y, soft: null, valid, height: side, width: side };
}
