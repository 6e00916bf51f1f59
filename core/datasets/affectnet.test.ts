import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readAffectNet } from './affectnet.ts';
import { isHeldOut } from './import-pipeline.ts';
import { collect, makeTempDir, meanOf, patchPixels, writeImage, writeText } from './test-fixtures.ts';

const HEADER = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal';
const LM = '"1.0;2.0;3.0;4.0"';
let root = '';
let cleanup = () => {};

/** Image i: 120x100 with a 40x40 patch at (30+i, 20), left half 220, right half 90, background 40. */
const patchOf = (i: number) => ({ x: 30 + i, y: 20, width: 40, height: 40, left: 220, right: 90, background: 40 });

before(async () => {
  ({ dir: root, cleanup } = makeTempDir('affectnet'));
  const images = join(root, 'Manually_Annotated_Images');
  for (let i = 0; i < 6; i++) await writeImage(join(images, `${i}`, `img${i}.jpg`), 120, 100, patchPixels(120, 100, patchOf(i)), 'jpeg');
  await writeImage(join(images, 'v', 'val0.png'), 120, 100, patchPixels(120, 100, patchOf(0)), 'png');
  writeFileSync(join(images, 'corrupt.jpg'), 'not a jpeg');
  const row = (i: number, expr: string, va = '0.5,-0.25') => `${i}/img${i}.jpg,${30 + i},20,40,40,${LM},${expr},${va}`;
  const training = [
    HEADER,
    row(0, '1'), // line 2: happy
    row(1, '8', '-2,-2'), // line 3: none, valence/arousal "none"
    '2/img2.jpg,32,20,40', // line 4: wrong column count
    '3/img3.jpg,33,20,abc,40,"",3,0,0', // line 5: face_width not a number
    '4/img4.jpg,34,20,40,40,"",12,0,0', // line 6: expression out of range
    '4/img4.jpg,500,20,40,40,"",2,0,0', // line 7: box outside the image
    'missing/none.jpg,0,0,10,10,"",0,0,0', // line 8: missing image
    'corrupt.jpg,0,0,10,10,"",0,0,0', // line 9: corrupt image
    '5/img5.jpg,35,20,40,40,"bad"quote,2,0,0', // line 10: bad quoting
    '5/img5.jpg,35,20,40,40,"",2,0,1.5', // line 11: arousal out of range
    row(5, '10'), // line 12: non-face
    row(0, '1'), // line 13: duplicate of line 2
  ];
  writeText(join(root, 'Manually_Annotated_file_lists', 'training.csv'), training.join('\r\n') + '\r\n');
  writeText(join(root, 'Manually_Annotated_file_lists', 'validation.csv'), `${HEADER}\nv/val0.png,30,20,40,40,${LM},6,0.1,0.2\n`);
});
after(() => cleanup());

test('AffectNet: rows become cropped, labelled samples in input order; every bad row is an issue with its line and field', async () => {
  const c = await collect(readAffectNet(root, { validFraction: 0 }));
  assert.deepEqual(c.samples.map((s) => s.sourceRef), ['affectnet:0/img0.jpg', 'affectnet:1/img1.jpg', 'affectnet:5/img5.jpg', 'affectnet:v/val0.png']);
  const got = c.issues.map((i) => [i.file, i.line, i.field]);
  assert.deepEqual(got, [
    ['training.csv', 4, null],
    ['training.csv', 5, 'face_width'],
    ['training.csv', 6, 'expression'],
    ['training.csv', 7, 'face_x'],
    ['training.csv', 8, 'subDirectory_filePath'],
    ['training.csv', 9, 'subDirectory_filePath'],
    ['training.csv', 10, null],
    ['training.csv', 11, 'arousal'],
    ['training.csv', 13, 'subDirectory_filePath'],
  ]);
  assert.match(c.issues[0].message, /expected 9 fields, got 4/);
  assert.match(c.issues[1].message, /not a number: "abc"/);
  assert.match(c.issues[3].message, /outside/);
  assert.match(c.issues[4].message, /not found/);
  assert.match(c.issues[6].message, /quote/);
  assert.match(c.issues[8].message, /duplicate/);

  const [s0, s1, s5, v0] = c.samples;
  assert.equal(s0.givenLabel, 1);
  assert.deepEqual(s0.annotations, [{ annotator: 'affectnet', label: 1 }]);
  assert.equal(s0.valence, 0.5);
  assert.equal(s0.arousal, -0.25);
  assert.deepEqual([s1.givenLabel, s1.valence, s1.arousal], [8, null, null]);
  assert.deepEqual(s5.annotations, [{ annotator: 'affectnet', label: 10 }]);
  assert.deepEqual([s0.split, s1.split, s5.split, v0.split], ['train', 'train', 'train', 'test']);
  assert.equal(v0.givenLabel, 6);
  assert.deepEqual(s0.faceBox, { x: 30, y: 20, width: 40, height: 40 });
  assert.equal(s0.originalPath, join(root, 'Manually_Annotated_Images', '0', 'img0.jpg'));

  // The crop is the box: left half bright, right half dark, no background anywhere.
  for (const s of c.samples) {
    assert.equal(s.pixels.length, 48 * 48);
    assert.ok(Math.abs(meanOf(s.pixels, 48, 2, 2, 22, 46) - 220) < 12, `${s.sourceRef} left half`);
    assert.ok(Math.abs(meanOf(s.pixels, 48, 26, 2, 46, 46) - 90) < 12, `${s.sourceRef} right half`);
  }
  const last = c.progress.at(-1)!;
  assert.deepEqual(last, { done: 13, total: 13 });
});

test('AffectNet: skip() avoids decoding known faces but counts them as done; other sizes; hashed hold-out', async () => {
  const skipped: string[] = [];
  const c = await collect(readAffectNet(join(root, 'Manually_Annotated_file_lists', 'training.csv'), {
    size: 24,
    validFraction: 0.5,
    progressEvery: 2,
    skip: (ref) => (ref === 'affectnet:1/img1.jpg' ? (skipped.push(ref), true) : false),
  }));
  assert.deepEqual(skipped, ['affectnet:1/img1.jpg']);
  assert.deepEqual(c.samples.map((s) => s.sourceRef), ['affectnet:0/img0.jpg', 'affectnet:5/img5.jpg']);
  assert.equal(c.samples[0].pixels.length, 24 * 24);
  for (const s of c.samples) assert.equal(s.split, isHeldOut(s.sourceRef.slice('affectnet:'.length), 0.5) ? 'valid' : 'train');
  assert.equal(c.progress.at(-1)!.done, 12);
  // Estimates from the bytes read: known after the first rows, never below what is done.
  assert.ok(c.progress.length >= 7);
  for (const p of c.progress.slice(1)) assert.ok(p.total !== null && p.total >= p.done, JSON.stringify(p));
});

test('AffectNet: the hold-out is about the requested share and stable', () => {
  let n = 0;
  for (let i = 0; i < 20000; i++) if (isHeldOut(`${i % 1000}/${i}.jpg`, 0.05)) n++;
  assert.ok(n > 850 && n < 1150, `held out ${n} of 20000`);
  assert.equal(isHeldOut('12/abc.jpg', 0.05), isHeldOut('12/abc.jpg', 0.05));
});

test('AffectNet: an empty CSV and a header without the needed columns are issues, not crashes', async () => {
  const { dir, cleanup: done } = makeTempDir('affectnet-empty');
  try {
    writeText(join(dir, 'training.csv'), '');
    writeText(join(dir, 'validation.csv'), 'path,label\nx.jpg,1\n');
    const c = await collect(readAffectNet(dir));
    assert.equal(c.samples.length, 0);
    assert.deepEqual(c.issues.map((i) => [i.file, i.line, i.field]), [['training.csv', null, null], ['validation.csv', 1, 'subdirectory_filepath']]);
    assert.match(c.issues[0].message, /empty file/);
  } finally {
    done();
  }
});
