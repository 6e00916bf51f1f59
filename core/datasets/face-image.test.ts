import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFaceImage, fitBoxToImage } from './face-image.ts';
import { makeTempDir, patchPixels, writeImage, writeText } from './test-fixtures.ts';

test('a box inside the image is kept, a small overshoot is clipped, a far one is rejected', () => {
  assert.deepEqual(fitBoxToImage({ x: 10, y: 5, width: 20, height: 30 }, 100, 80), { box: { x: 10, y: 5, width: 20, height: 30 } });
  assert.deepEqual(fitBoxToImage({ x: -1, y: 60, width: 50, height: 22 }, 100, 80), { box: { x: 0, y: 60, width: 49, height: 20 } });
  assert.match((fitBoxToImage({ x: 60, y: 0, width: 50, height: 10 }, 100, 80) as { message: string }).message, /outside the 100x80 image/);
  assert.match((fitBoxToImage({ x: 0, y: 0, width: 0, height: 10 }, 100, 80) as { message: string }).message, /empty face box/);
});

test('decoding crops exactly the box, and names missing and corrupt files', async () => {
  const { dir, cleanup } = makeTempDir('face-image');
  try {
    const path = join(dir, 'p.png');
    await writeImage(path, 64, 40, patchPixels(64, 40, { x: 20, y: 10, width: 24, height: 24, left: 250, right: 5, background: 128 }), 'png');
    const r = await decodeFaceImage({ path, box: { x: 20, y: 10, width: 24, height: 24 }, size: { width: 24, height: 24 }, fit: 'cover', autoOrient: false });
    assert.ok(r.ok);
    // At the box's own size nothing is resampled: the pixels are exactly the patch.
    assert.deepEqual(Array.from(r.pixels.slice(0, 24)), [...new Array(12).fill(250), ...new Array(12).fill(5)]);
    assert.ok(!r.pixels.includes(128));
    const missing = await decodeFaceImage({ path: join(dir, 'nope.png'), box: null, size: { width: 8, height: 8 }, fit: 'cover', autoOrient: true });
    assert.deepEqual(missing.ok ? null : missing.problem, 'missing');
    writeText(join(dir, 'empty.jpg'), '');
    const empty = await decodeFaceImage({ path: join(dir, 'empty.jpg'), box: null, size: { width: 8, height: 8 }, fit: 'cover', autoOrient: true });
    assert.deepEqual(empty.ok ? null : empty.problem, 'corrupt');
  } finally {
    cleanup();
  }
});
