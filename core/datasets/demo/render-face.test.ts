import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { NUM_CLASSES } from '../../../api/domain.ts';
import { Rng } from '../../util/rng.ts';
import { sampleAppearance } from './appearance.ts';
import { EXPRESSION_PROTOTYPES, varyExpression } from './expressions.ts';
import { renderFace, type FaceParams } from './render-face.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

function faceOf(cls: number, seed: number): FaceParams {
  const rng = new Rng(seed);
  return { appearance: sampleAppearance(rng), expression: varyExpression(EXPRESSION_PROTOTYPES[cls], 1, rng) };
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

test('same parameters and noise seed give identical bytes; another noise seed does not', () => {
  const p = faceOf(3, 1);
  assert.equal(sha(renderFace(p, 48, new Rng(9))), sha(renderFace(p, 48, new Rng(9))));
  assert.notEqual(sha(renderFace(p, 48, new Rng(9))), sha(renderFace(p, 48, new Rng(10))));
});

test('renders at any size with the same geometry, and rejects a bad size', () => {
  const p = { ...faceOf(1, 2), appearance: { ...faceOf(1, 2).appearance, noise: 0 } };
  const small = renderFace(p, 48, new Rng(1));
  const big = renderFace(p, 96, new Rng(1));
  assert.equal(small.length, 48 * 48);
  assert.equal(big.length, 96 * 96);
  // Box-downsampling the 96 px face gives the 48 px face up to anti-aliasing differences.
  let err = 0;
  for (let y = 0; y < 48; y++) for (let x = 0; x < 48; x++) {
    const i = 2 * y * 96 + 2 * x;
    err += Math.abs((big[i] + big[i + 1] + big[i + 96] + big[i + 97]) / 4 - small[y * 48 + x]);
  }
  assert.ok(err / (48 * 48) < 6, `mean abs difference ${err / (48 * 48)}`);
  assert.throws(() => renderFace(p, 4, new Rng(1)), /size/);
  assert.throws(() => renderFace(p, 47.5, new Rng(1)), /size/);
});

test('the expression changes the pixels where the face is, not the background', () => {
  const base = faceOf(0, 4);
  const neutral = renderFace(base, 48, new Rng(1));
  const happy = renderFace({ ...base, expression: EXPRESSION_PROTOTYPES[1] }, 48, new Rng(1));
  let centre = 0, corner = 0;
  for (let y = 0; y < 48; y++) for (let x = 0; x < 48; x++) {
    const d = Math.abs(neutral[y * 48 + x] - happy[y * 48 + x]);
    if (x >= 14 && x < 34 && y >= 26 && y < 40) centre += d;
    if (x < 5 && y < 5) corner += d;
  }
  assert.equal(corner, 0);
  assert.ok(centre / (20 * 14) > 5, `mean change around the mouth ${centre / 280}`);
});

test('contact sheet of 8 classes x 8 faces at 96 px is written and is not blank', async () => {
  const size = 96, cols = 8;
  const sheet = new Uint8Array(cols * size * NUM_CLASSES * size);
  const rng = new Rng(2026);
  for (let r = 0; r < NUM_CLASSES; r++) for (let c = 0; c < cols; c++) {
    const face = renderFace({ appearance: sampleAppearance(rng), expression: varyExpression(EXPRESSION_PROTOTYPES[r], 1, rng) }, size, rng);
    for (let y = 0; y < size; y++) sheet.set(face.subarray(y * size, (y + 1) * size), (r * size + y) * cols * size + c * size);
  }
  const dir = join(ROOT, 'test-output');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'demo-contact-sheet.png');
  await sharp(Buffer.from(sheet), { raw: { width: cols * size, height: NUM_CLASSES * size, channels: 1 } }).png().toFile(file);
  // Read it back through a real decoder: each tile has real contrast, and rows (classes) differ.
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  assert.equal(info.width, cols * size);
  assert.equal(info.height, NUM_CLASSES * size);
  for (let r = 0; r < NUM_CLASSES; r++) for (let c = 0; c < cols; c++) {
    let s = 0, s2 = 0;
    for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) {
      const p = data[((r * size + y) * cols * size + c * size + x) * info.channels];
      s += p;
      s2 += p * p;
    }
    const n = size * size, sd = Math.sqrt(s2 / n - (s / n) ** 2);
    assert.ok(sd > 12, `tile ${r},${c} is nearly flat (sd ${sd.toFixed(1)})`);
  }
});
