import assert from 'node:assert/strict';
import { test } from 'node:test';
import sharp from 'sharp';
import { fitGrey, greyCrop, resampleGrey } from './grey-resample.ts';
import { maxAbsDifference } from './test-fixtures.ts';

test('halving a row averages the pixels under each output pixel with triangle weights (hand-computed)', () => {
  // Output centre 1.0 in input coordinates, support 2: pixels at 0.5, 1.5, 2.5 weigh 0.75, 0.75, 0.25.
  assert.deepEqual(Array.from(resampleGrey(Uint8Array.from([0, 80, 160, 240]), 4, 1, 2, 1)), [Math.round(100 / 1.75), Math.round(320 / 1.75)]);
  // Doubling: centres at 0.25, 0.75, 1.25, 1.75 interpolate linearly between the two pixels.
  assert.deepEqual(Array.from(resampleGrey(Uint8Array.from([0, 200]), 2, 1, 4, 1)), [0, 50, 150, 200]);
  // A constant image stays constant at any size, a copy at its own size.
  const flat = new Uint8Array(35 * 21).fill(77);
  assert.ok(resampleGrey(flat, 35, 21, 13, 48).every((v) => v === 77));
  const same = resampleGrey(flat, 35, 21, 35, 21);
  assert.notEqual(same, flat);
  assert.deepEqual(same, flat);
});

test('grey is the luminance of linear-light sRGB, as libvips computes it, and ignores alpha', async () => {
  const w = 64;
  const h = 48;
  const rgba = new Uint8Array(w * h * 4);
  let s = 12345;
  for (let i = 0; i < rgba.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    rgba[i] = s >>> 24;
  }
  const box = { x: 0, y: 0, width: w, height: h };
  const oracle = await sharp(rgba, { raw: { width: w, height: h, channels: 4 } }).removeAlpha().greyscale().raw().toBuffer();
  assert.ok(maxAbsDifference(greyCrop(rgba, w, 4, box), oracle) <= 1);
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) rgb.set(rgba.subarray(i * 4, i * 4 + 3), i * 3);
  assert.deepEqual(greyCrop(rgb, w, 3, box), greyCrop(rgba, w, 4, box));
  // Pure primaries: Rec. 709 weights in linear light, then the sRGB curve.
  const [r, g, b] = greyCrop(Uint8Array.from([255, 0, 0, 0, 255, 0, 0, 0, 255]), 3, 3, { x: 0, y: 0, width: 3, height: 1 });
  const srgb = (l: number) => Math.round((1.055 * l ** (1 / 2.4) - 0.055) * 255);
  assert.deepEqual([r, g, b], [srgb(0.2126), srgb(0.7152), srgb(0.0722)]);
  // The crop takes exactly the box.
  const grey = Uint8Array.from({ length: 6 * 4 }, (_, i) => i);
  assert.deepEqual(Array.from(greyCrop(grey, 6, 1, { x: 2, y: 1, width: 3, height: 2 })), [8, 9, 10, 14, 15, 16]);
  assert.throws(() => greyCrop(grey, 6, 5, box), /5 channels/);
});

test('cover, contain and fill place the image as sharp does (sharp as the oracle on a smooth image)', async () => {
  const w = 90;
  const h = 60;
  const px = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) px[y * w + x] = Math.round(30 + 2 * x + 0.5 * y);
  for (const fit of ['cover', 'contain', 'fill'] as const) {
    for (const [W, H] of [[48, 48], [30, 40], [120, 70]] as const) {
      const oracle = await sharp(px, { raw: { width: w, height: h, channels: 1 } })
        .resize(W, H, { fit, position: 'centre', background: { r: 0, g: 0, b: 0 } }).greyscale().raw().toBuffer();
      const ours = fitGrey(px, w, h, { width: W, height: H }, fit);
      assert.ok(maxAbsDifference(ours, oracle) <= 2, `${fit} ${W}x${H}: largest difference ${maxAbsDifference(ours, oracle)}`);
    }
  }
  // contain pads with black: a 60x30 image in 20x20 is 20x10 with five black rows above and below.
  const wide = fitGrey(new Uint8Array(60 * 30).fill(200), 60, 30, { width: 20, height: 20 }, 'contain');
  assert.ok(wide.subarray(0, 5 * 20).every((v) => v === 0));
  assert.ok(wide.subarray(5 * 20, 15 * 20).every((v) => v === 200));
  assert.ok(wide.subarray(15 * 20).every((v) => v === 0));
});
