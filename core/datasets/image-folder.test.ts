import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readImageFolder } from './image-folder.ts';
import { collect, makeTempDir, meanOf, writeImage, writeText } from './test-fixtures.ts';

let flat = '';
let split = '';
let cleanup = () => {};
const grey = (v: number, w = 48, h = 48) => new Uint8Array(w * h).fill(v);

before(async () => {
  const tmp = makeTempDir('folders');
  cleanup = tmp.cleanup;
  flat = join(tmp.dir, 'flat');
  await writeImage(join(flat, 'Happy', 'a.jpg'), 48, 48, grey(200), 'jpeg');
  await writeImage(join(flat, 'Happy', 'sub', 'b.png'), 64, 32, grey(100), 'png'); // wide: cover crops
  await writeImage(join(flat, 'sadness', 'c.png'), 48, 48, grey(30), 'png');
  await writeImage(join(flat, 'bored', 'd.png'), 48, 48, grey(30), 'png'); // unknown class
  await writeImage(join(flat, 'bored', 'e.png'), 48, 48, grey(30), 'png');
  writeFileSync(join(flat, 'sadness', 'broken.png'), 'no png here');
  writeText(join(flat, 'sadness', 'notes.txt'), 'ignored: not an image');
  split = join(tmp.dir, 'split');
  await writeImage(join(split, 'train', 'angry', 'a.png'), 48, 48, grey(10), 'png');
  await writeImage(join(split, 'val', 'surprised', 'b.png'), 48, 48, grey(20), 'png');
  await writeImage(join(split, 'test', 'Neutral', 'c.png'), 48, 48, grey(30), 'png');
});
after(() => cleanup());

test('class folders: labels by folder name, everything train, unknown folder and broken file reported', async () => {
  const c = await collect(readImageFolder(flat));
  assert.deepEqual(c.samples.map((s) => [s.sourceRef, s.split, s.givenLabel]), [
    ['folder:Happy/a.jpg', 'train', 1],
    ['folder:Happy/sub/b.png', 'train', 1],
    ['folder:sadness/c.png', 'train', 2],
  ]);
  assert.deepEqual(c.issues.map((i) => [i.file, i.line, i.field]), [['bored', null, null], ['sadness/broken.png', null, null]]);
  assert.match(c.issues[0].message, /unknown class folder name "bored": its 2 images are skipped/);
  assert.ok(Math.abs(meanOf(c.samples[0].pixels, 48, 0, 0, 48, 48) - 200) < 3);
  assert.ok(Math.abs(meanOf(c.samples[1].pixels, 48, 0, 0, 48, 48) - 100) < 3);
  assert.deepEqual(c.progress.at(-1), { done: 6, total: 6 });
});

test('split folders map to train/valid/test; skip() and a hashed hold-out', async () => {
  const c = await collect(readImageFolder(split));
  assert.deepEqual(c.samples.map((s) => [s.sourceRef, s.split, s.givenLabel]), [
    ['folder:test/Neutral/c.png', 'test', 0],
    ['folder:train/angry/a.png', 'train', 6],
    ['folder:val/surprised/b.png', 'valid', 3],
  ]);
  const skipped = await collect(readImageFolder(flat, { skip: (r) => r === 'folder:Happy/a.jpg', validFraction: 1 }));
  assert.deepEqual(skipped.samples.map((s) => [s.sourceRef, s.split]), [['folder:Happy/sub/b.png', 'valid'], ['folder:sadness/c.png', 'valid']]);
});

test('contain and fill keep the whole wide image, cover crops it', async () => {
  const { dir, cleanup: done } = makeTempDir('aspect');
  try {
    // 96x48: left half black, right half white.
    const px = new Uint8Array(96 * 48);
    for (let y = 0; y < 48; y++) for (let x = 48; x < 96; x++) px[y * 96 + x] = 255;
    await writeImage(join(dir, 'happy', 'w.png'), 96, 48, px, 'png');
    const run = async (fit: 'cover' | 'contain' | 'fill') => (await collect(readImageFolder(dir, { fit }))).samples[0].pixels;
    const cover = await run('cover');
    const contain = await run('contain');
    const fill = await run('fill');
    assert.ok(meanOf(cover, 48, 0, 0, 20, 48) < 5 && meanOf(cover, 48, 28, 0, 48, 48) > 250); // centre cut: black | white
    assert.ok(meanOf(contain, 48, 0, 0, 48, 10) < 5 && meanOf(contain, 48, 28, 14, 48, 34) > 250); // letterbox bands
    assert.ok(meanOf(fill, 48, 0, 0, 20, 48) < 5 && meanOf(fill, 48, 28, 0, 48, 48) > 250);
    assert.ok(meanOf(contain, 48, 0, 0, 48, 48) < meanOf(fill, 48, 0, 0, 48, 48) - 30);
  } finally {
    done();
  }
});
