import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readFer2013, parsePixelText } from './fer2013.ts';
import { collect, makeTempDir, meanOf, writeText } from './test-fixtures.ts';

let dir = '';
let cleanup = () => {};

/** Row i's pixels: a horizontal gradient offset by i, so rows are distinguishable. */
const pixelsOf = (i: number) => Array.from({ length: 2304 }, (_, k) => ((k % 48) * 5 + i) % 256);
const PLUS_HEADER = 'Usage,Image name,neutral,happiness,surprise,sadness,anger,disgust,fear,contempt,unknown,NF';

before(() => {
  ({ dir, cleanup } = makeTempDir('fer2013'));
  const rows = [
    'emotion,pixels,Usage',
    `0,${pixelsOf(0).join(' ')},Training`, // line 2: angry
    `3,${pixelsOf(1).join(' ')},PublicTest`, // line 3: happy
    `6,${pixelsOf(2).slice(0, 2303).join(' ')},Training`, // line 4: 2303 pixels
    `2,${pixelsOf(3).join(' ').replace(/^\d+/, '256')},Training`, // line 5: value above 255
    `9,${pixelsOf(4).join(' ')},Training`, // line 6: unknown emotion
    `5,${pixelsOf(5).join(' ')},Holdout`, // line 7: unknown usage
    `4,${pixelsOf(6).join(' ')},PrivateTest`, // line 8: sad
    `1,${pixelsOf(7).join(' ')}`, // line 9: missing column
    `x,${pixelsOf(8).join(' ')},Training`, // line 10: emotion not a number
    `5,${pixelsOf(9).join(' ')},Training`, // line 11: surprise, FER+ has no image for it
  ];
  writeText(join(dir, 'fer2013.csv'), rows.join('\n') + '\n');
  const plus = [
    PLUS_HEADER,
    'Training,fer0000000.png,4,0,0,1,3,2,0,0,0,0', // no majority -> null
    'PublicTest,fer0000001.png,0,9,0,0,0,0,0,0,1,0', // happiness 9 -> happy
    'Training,fer0000002.png,10,0,0,0,0,0,0,0,0,0',
    'Training,fer0000003.png,10,0,0,0,0,0,0,0,0,0',
    'Training,fer0000004.png,10,0,0,0,0,0,0,0,0,0',
    'Training,fer0000005.png,10,0,0,0,0,0,0,0,0,0',
    'PrivateTest,fer0000006.png,0,0,0,6,0,0,0,4,0,0', // sadness 6 -> sad
    'Training,fer0000007.png,10,0,0,0,0,0,0,0,0,0',
    'Training,fer0000008.png,10,0,0,0,0,0,0,0,0,0',
    'Training,,0,0,0,0,0,0,0,0,0,10', // no image name
    'Training,fer0000010.png,10,0,0,0,0,0,0,0,0,0', // one row too many
  ];
  writeText(join(dir, 'fer2013new.csv'), plus.join('\n') + '\n');
});
after(() => cleanup());

test('pixel text parsing validates count, range and characters', () => {
  assert.equal((parsePixelText(pixelsOf(0).join(' ')) as Uint8Array)[47], 235);
  assert.match(parsePixelText('1 2 3') as string, /expected 2304 pixel values, got 3/);
  assert.match(parsePixelText('1 2 -3') as string, /not an integer/);
  assert.match(parsePixelText(`${pixelsOf(0).join(' ')} 7`) as string, /more than 2304/);
});

test('FER2013 alone: Kaggle labels mapped by name, Usage -> split, bad rows reported', async () => {
  const c = await collect(readFer2013(join(dir, 'fer2013.csv'), { ferPlusCsv: null }));
  assert.deepEqual(c.samples.map((s) => [s.sourceRef, s.split, s.givenLabel]), [
    ['fer2013:row:0', 'train', 6], // angry -> anger (6)
    ['fer2013:row:1', 'valid', 1], // happy
    ['fer2013:row:6', 'test', 2], // sad
    ['fer2013:row:9', 'train', 3], // surprise
  ]);
  assert.deepEqual(c.issues.map((i) => [i.line, i.field]), [[4, 'pixels'], [5, 'pixels'], [6, 'emotion'], [7, 'Usage'], [9, null], [10, 'emotion']]);
  assert.match(c.issues[0].message, /expected 2304 pixel values, got 2303/);
  assert.deepEqual(Array.from(c.samples[1].pixels.slice(0, 3)), [1, 6, 11]);
  assert.equal(c.samples[0].votes, null);
  assert.equal(c.progress.at(-1)!.done, 10);
});

test('FER2013 joined with FER+ by row order: votes, majority label, flagged rows, count mismatch', async () => {
  const c = await collect(readFer2013(dir));
  const [r0, r1, r6, r9] = c.samples;
  assert.deepEqual(r0.votes, [4, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0]);
  assert.equal(r0.givenLabel, null);
  assert.deepEqual(r0.extra, { fer2013Label: 6, ferplusImage: 'fer0000000.png' });
  assert.deepEqual([r1.givenLabel, r1.votes![1], r1.votes![11]], [1, 9, 1]);
  assert.equal(r6.givenLabel, 2);
  assert.equal(r9.sourceRef, 'fer2013:row:9');
  assert.deepEqual(r9.extra, { fer2013Label: 3, ferplusImage: null, ferplusNoImage: true });
  assert.equal(r9.votes![10], 10);
  const mismatch = c.issues.at(-1)!;
  assert.equal(mismatch.file, 'fer2013new.csv');
  assert.match(mismatch.message, /has 11 data rows but fer2013.csv has 10/);
});

test('FER2013 at another size is resized, skip() is honoured', async () => {
  const c = await collect(readFer2013(dir, { ferPlusCsv: null, size: 24, skip: (r) => r === 'fer2013:row:1' }));
  assert.deepEqual(c.samples.map((s) => s.sourceRef), ['fer2013:row:0', 'fer2013:row:6', 'fer2013:row:9']);
  const s = c.samples[0];
  assert.equal(s.pixels.length, 24 * 24);
  // The gradient survives the resize: left columns dark, right columns bright.
  assert.ok(meanOf(s.pixels, 24, 0, 0, 4, 24) < 40 && meanOf(s.pixels, 24, 20, 0, 24, 24) > 190);
});
