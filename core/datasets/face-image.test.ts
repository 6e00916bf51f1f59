import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { decodeFaceImage, fitBoxToImage } from './face-image.ts';
import { makeTempDir, maxAbsDifference, patchPixels, writeImage, writeText } from './test-fixtures.ts';

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

test('a boxed face comes out as libvips would crop, resize and grey it, within rounding, in every format', async () => {
  const sharp = (await import('sharp')).default;
  const { dir, cleanup } = makeTempDir('face-image-box');
  try {
    // A smooth gradient, so that sharp's Lanczos kernel and the import's triangle filter differ
    // by rounding only; sharp itself is the independent oracle.
    const w = 90;
    const h = 70;
    const px = new Uint8Array(w * h);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.round(40 + 1.5 * x + y);
    const box = { x: 17, y: 9, width: 50, height: 44 };
    const reference = await sharp(px, { raw: { width: w, height: h, channels: 1 } })
      .extract({ left: box.x, top: box.y, width: box.width, height: box.height })
      .resize(24, 24, { fit: 'cover', position: 'centre' }).greyscale().raw().toBuffer();
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const path = join(dir, `g.${format}`);
      const img = sharp(px, { raw: { width: w, height: h, channels: 1 } });
      await (format === 'png' ? img.png() : format === 'jpeg' ? img.jpeg({ quality: 100 }) : img.webp({ lossless: true })).toFile(path);
      const r = await decodeFaceImage({ path, box, size: { width: 24, height: 24 }, fit: 'cover', autoOrient: false });
      assert.ok(r.ok, format);
      assert.deepEqual(r.box, box);
      const worst = maxAbsDifference(r.pixels, reference);
      assert.ok(worst <= (format === 'jpeg' ? 3 : 2), `${format}: largest difference ${worst}`);
    }
    // A box outside the image is refused before any decode, and a missing file named.
    const out = await decodeFaceImage({ path: join(dir, 'g.png'), box: { x: 80, y: 0, width: 40, height: 20 }, size: { width: 24, height: 24 }, fit: 'cover', autoOrient: false });
    assert.equal(out.ok ? null : out.problem, 'box');
    const gone = await decodeFaceImage({ path: join(dir, 'gone.jpg'), box, size: { width: 24, height: 24 }, fit: 'cover', autoOrient: false });
    assert.equal(gone.ok ? null : gone.problem, 'missing');
  } finally {
    cleanup();
  }
});
