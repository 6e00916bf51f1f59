import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../util/rng.ts';
import { augmentBatch } from './augment.ts';

test('a shifted image repeats its edge pixels (no black band) and mirrors after shifting', () => {
  const h = 6, w = 5, maxShift = 2;
  // Pixel value encodes its position and is never 0, so any zero fill would show.
  const src = Float32Array.from({ length: h * w }, (_, k) => 1 + Math.floor(k / w) * 10 + (k % w));
  const rows = new Int32Array(40);
  const dst = new Float32Array(rows.length * h * w);
  augmentBatch({ data: src, rows: 1, cols: h * w }, rows, h, w, maxShift, true, new Rng(5), dst);
  // Replay the draws (dy, dx, flip per image) to know what each output should be.
  const rng = new Rng(5);
  const seen = new Set<string>();
  for (let r = 0; r < rows.length; r++) {
    const dy = rng.int(2 * maxShift + 1) - maxShift;
    const dx = rng.int(2 * maxShift + 1) - maxShift;
    const mirror = rng.next() < 0.5;
    seen.add(`${dy},${dx},${mirror}`);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const sy = Math.min(h - 1, Math.max(0, y + dy));
        const sx0 = Math.min(w - 1, Math.max(0, x + dx));
        const sx = mirror ? w - 1 - sx0 : sx0;
        assert.equal(dst[r * h * w + y * w + x], src[sy * w + sx], `image ${r} (${dy},${dx},${mirror}) pixel ${y},${x}`);
      }
    }
  }
  assert.ok(!dst.includes(0), 'no zero-filled pixel');
  assert.ok(seen.size >= 10, `only ${seen.size} distinct augmentations in 40 images`);
});
