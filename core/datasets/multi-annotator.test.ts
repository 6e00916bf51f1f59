import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readMultiAnnotatorCsv } from './multi-annotator.ts';
import { collect, makeTempDir, meanOf, writeImage, writeText } from './test-fixtures.ts';

let dir = '';
let cleanup = () => {};

before(async () => {
  ({ dir, cleanup } = makeTempDir('multi'));
  for (const [name, v] of [['a.png', 10], ['b.png', 120], ['c.jpg', 240]] as const) await writeImage(join(dir, 'imgs', name), 48, 48, new Uint8Array(48 * 48).fill(v), name.endsWith('png') ? 'png' : 'jpeg');
  // Unsorted: rows of one image are scattered through the file.
  writeText(join(dir, 'team.csv'), [
    'Image,Annotator,Label,Split',
    'imgs/b.png,ann,Happy,test', // 2
    'imgs/a.png,bob,sad,', // 3
    'imgs/b.png,bob,happiness,', // 4
    'imgs/a.png,ann,Sadness,', // 5
    'imgs/c.jpg,ann,angry,', // 6
    'imgs/b.png,cy,surprised,', // 7
    'imgs/a.png,cy,bored,', // 8: unknown label
    'imgs/c.jpg,bob,fear,', // 9: tie with ann -> null
    'imgs/a.png,ann,happy,', // 10: ann already labelled a.png
    'imgs/missing.png,ann,happy,', // 11: missing image
    'imgs/c.jpg,cy,uncertain,', // 12: non-class label kept, not counted in the majority
    'imgs/a.png,dee,neutral,valid', // 13
    'imgs/b.png,dee,neutral,train', // 14: contradicts test
    'imgs/a.png,,neutral,', // 15: empty annotator
    'imgs/a.png,eve', // 16: wrong count
  ].join('\n'));
});
after(() => cleanup());

test('multi-annotator CSV: grouped per image in first-appearance order, identities kept, majority label, bad rows reported', async () => {
  const c = await collect(readMultiAnnotatorCsv(join(dir, 'team.csv')));
  assert.deepEqual(c.samples.map((s) => [s.sourceRef, s.split, s.givenLabel]), [
    ['multi:imgs/b.png', 'test', 1],
    ['multi:imgs/a.png', 'valid', 2],
    ['multi:imgs/c.jpg', 'train', null],
  ]);
  const [b, a, cc] = c.samples;
  assert.deepEqual(b.annotations, [{ annotator: 'ann', label: 1 }, { annotator: 'bob', label: 1 }, { annotator: 'cy', label: 3 }]);
  assert.deepEqual(a.annotations, [{ annotator: 'bob', label: 2 }, { annotator: 'ann', label: 2 }, { annotator: 'dee', label: 0 }]);
  assert.deepEqual(cc.annotations, [{ annotator: 'ann', label: 6 }, { annotator: 'bob', label: 4 }, { annotator: 'cy', label: 9 }]);
  assert.ok(Math.abs(meanOf(b.pixels, 48, 0, 0, 48, 48) - 120) < 3);
  assert.deepEqual(c.issues.map((i) => [i.line, i.field]), [[8, 'Label'], [10, 'Annotator'], [14, 'Split'], [15, 'Annotator'], [16, null], [11, 'Image']]);
  assert.match(c.issues.at(-1)!.message, /not found/);
  assert.deepEqual(c.progress.at(-1), { done: 9, total: 9 });
});

test('multi-annotator CSV: image root option, skip(), missing columns', async () => {
  writeText(join(dir, 'other', 'rel.csv'), 'path,rater,emotion\na.png,x,happy\nb.png,x,sad\n');
  const c = await collect(readMultiAnnotatorCsv(join(dir, 'other', 'rel.csv'), { imageRoot: join(dir, 'imgs'), skip: (r) => r === 'multi:a.png' }));
  assert.deepEqual(c.samples.map((s) => [s.sourceRef, s.givenLabel, s.split]), [['multi:b.png', 2, 'train']]);
  assert.deepEqual(c.issues, []);
  writeText(join(dir, 'other', 'bad.csv'), 'path,who,emotion\na.png,x,happy\n');
  const bad = await collect(readMultiAnnotatorCsv(join(dir, 'other', 'bad.csv')));
  assert.deepEqual(bad.issues.map((i) => [i.line, i.field]), [[1, 'annotator']]);
});
