/**
 * Seeded augmentation of a batch of grey images (random shift with zero fill, standing in for a
 * random crop of a padded image, and a left-right mirror), done on plain arrays because it is
 * a few thousand pixels per image and needs the project's restorable RNG, not tfjs's.
 */
import type { Rng } from '../../util/rng.ts';

/**
 * Writes the augmented rows `rows` of `src` (n x h*w) into `dst` (rows.length x h*w).
 * Each image draws dy, dx in [-maxShift, maxShift] and a flip bit, in that order.
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
      const sy = y + dy;
      const orow = o + y * w;
      if (sy < 0 || sy >= h) {
        dst.fill(0, orow, orow + w);
        continue;
      }
      const srow = s + sy * w;
      for (let x = 0; x < w; x++) {
        const sx0 = x + dx;
        const sx = mirror ? w - 1 - sx0 : sx0;
        dst[orow + x] = sx0 < 0 || sx0 >= w ? 0 : src[srow + sx];
      }
    }
  }
}

/** Copies rows without augmentation (evaluation). */
export function gatherRows(src: Float32Array, rows: ArrayLike<number>, size: number, dst: Float32Array): void {
  for (let r = 0; r < rows.length; r++) dst.set(src.subarray(rows[r] * size, rows[r] * size + size), r * size);
}
