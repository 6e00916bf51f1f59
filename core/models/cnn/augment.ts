/**
 * Seeded augmentation of a batch of grey images (random shift whose uncovered border repeats
 * the nearest edge pixel, standing in for a random crop of an edge-padded image, and a
 * left-right mirror), done on plain arrays because it is a few thousand pixels per image and
 * needs the project's restorable RNG, not tfjs's. Edge fill rather than zeros: on [0, 1] faces
 * a zero band is a black bar the net must learn to ignore, which on the demo faces kept the
 * CNN at chance for the first epochs.
 */
import { readRow } from '../../train/matrix-rows.ts';
import type { Matrix } from '../../train/types.ts';
import type { Rng } from '../../util/rng.ts';

/**
 * Writes the augmented rows `rows` of `src` (n x h*w) into `dst` (rows.length x h*w); each
 * source row is read as float32 into one image-sized buffer first, so bytes need no float copy.
 * Each image draws dy, dx in [-maxShift, maxShift] and a flip bit, in that order; output pixel
 * (y, x) is source pixel (y + dy, x + dx) clamped to the image, then mirrored.
 */
export function augmentBatch(
  src: Matrix, rows: ArrayLike<number>, h: number, w: number,
  maxShift: number, flip: boolean, rng: Rng, dst: Float32Array,
): void {
  const size = h * w;
  if (src.cols !== size) throw new Error(`augment: rows have ${src.cols} values, expected ${h}x${w}`);
  const img = new Float32Array(size);
  for (let r = 0; r < rows.length; r++) {
    readRow(src, rows[r], img, 0);
    const o = r * size;
    const dy = maxShift > 0 ? rng.int(2 * maxShift + 1) - maxShift : 0;
    const dx = maxShift > 0 ? rng.int(2 * maxShift + 1) - maxShift : 0;
    const mirror = flip && rng.next() < 0.5;
    for (let y = 0; y < h; y++) {
      const sy = Math.min(h - 1, Math.max(0, y + dy));
      const orow = o + y * w;
      const srow = sy * w;
      for (let x = 0; x < w; x++) {
        const sx0 = Math.min(w - 1, Math.max(0, x + dx));
        dst[orow + x] = img[srow + (mirror ? w - 1 - sx0 : sx0)];
      }
    }
  }
}
