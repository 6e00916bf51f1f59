/**
 * Seeded augmentation of a batch of grey images (random shift whose uncovered border repeats
 * the nearest edge pixel, standing in for a random crop of an edge-padded image, and a
 * left-right mirror), done on plain arrays because it is a few thousand pixels per image and
 * needs the project's restorable RNG, not tfjs's. Edge fill rather than zeros: on [0, 1] faces
 * a zero band is a black bar the net must learn to ignore, which on the demo faces kept the
 * CNN at chance for the first epochs.
 */
import type { Rng } from '../../util/rng.ts';

/**
 * Writes the augmented rows `rows` of `src` (n x h*w) into `dst` (rows.length x h*w).
 * Each image draws dy, dx in [-maxShift, maxShift] and a flip bit, in that order; output pixel
 * (y, x) is source pixel (y + dy, x + dx) clamped to the image, then mirrored.
 */
export function augmentBatch(
  src: Float32Array, rows: ArrayLike<number>, h: number, w: number,
  maxShift: number, flip: boolean, rng: Rng, dst: Float32Array,
): void {
  const size = h * w;
  for (let r = 0; r < rows.length; r++) {
    const s = rows[r] * size;
    const o = r * size;
    const dy = maxShift > 0 ? rng.int(2 * maxShift + 1) - maxShift : 0;
    const dx = maxShift > 0 ? rng.int(2 * maxShift + 1) - maxShift : 0;
    const mirror = flip && rng.next() < 0.5;
    for (let y = 0; y < h; y++) {
      const sy = Math.min(h - 1, Math.max(0, y + dy));
      const orow = o + y * w;
      const srow = s + sy * w;
      for (let x = 0; x < w; x++) {
        const sx0 = Math.min(w - 1, Math.max(0, x + dx));
        dst[orow + x] = src[srow + (mirror ? w - 1 - sx0 : sx0)];
      }
    }
  }
}

/** Copies rows without augmentation (evaluation). */
export function gatherRows(src: Float32Array, rows: ArrayLike<number>, size: number, dst: Float32Array): void {
  for (let r = 0; r < rows.length; r++) dst.set(src.subarray(rows[r] * size, rows[r] * size + size), r * size);
}
