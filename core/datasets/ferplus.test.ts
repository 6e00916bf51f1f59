import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readFerPlus } from './ferplus.ts';
import { collect, makeTempDir, meanOf, patchPixels, writeImage, writeText } from './test-fixtures.ts';

let root = '';
let cleanup = () => {};

before(async () => {
  ({ dir: root, cleanup } = makeTempDir('ferplus'));
  const face = (v: number) => patchPixels(48, 48, { x: 8, y: 8, width: 32, height: 32, left: v, right: 255 - v, background: 0 });
  for (let i = 0; i < 4; i++) await writeImage(join(root, 'FER2013Train', `fer000000${i}.png`), 48, 48, face(40 * i), 'png');
  await writeImage(join(root, 'FER2013Valid', 'fer0000010.png'), 48, 48, face(200), 'png');
  writeText(join(root, 'FER2013Train', 'label.csv'), [
    'fer0000000.png,"(0, 0, 48, 48)",4,0,0,1,3,2,0,0,0,0', // line 1: no majority
    'fer0000001.png,"(8, 8, 32, 32)",0,7,1,0,0,0,0,0,2,0', // line 2: happiness, cropped to the patch
    'fer0000002.png,"(0, 0, 48, 48)",1,2,x,0,0,0,0,0,0,0', // line 3: bad vote
    'fer0000003.png,"(0, 0, 48)",10,0,0,0,0,0,0,0,0,0', // line 4: bad box
    'fer0000009.png,"(0, 0, 48, 48)",10,0,0,0,0,0,0,0,0,0', // line 5: missing image
    'fer0000003.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,6,0,4', // line 6: contempt
    'fer0000003.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,6,0', // line 7: 11 fields
    'fer0000002.png,"(40, 40, 48, 48)",10,0,0,0,0,0,0,0,0,0', // line 8: box outside the image
  ].join('\r\n'));
  writeText(join(root, 'FER2013Valid', 'label.csv'), 'fer0000010.png,"(0, 0, 48, 48)",0,0,0,0,0,0,0,0,0,10\n');
});
after(() => cleanup());

test('FER+ folders: votes by label code, majority label, crop by box, issues with file, line and field', async () => {
  const c = await collect(readFerPlus(root));
  assert.deepEqual(c.samples.map((s) => [s.sourceRef, s.split, s.givenLabel]), [
    ['ferplus:FER2013Train/fer0000000.png', 'train', null],
    ['ferplus:FER2013Train/fer0000001.png', 'train', 1],
    ['ferplus:FER2013Train/fer0000003.png', 'train', 7],
    ['ferplus:FER2013Valid/fer0000010.png', 'valid', null], // NF majority is not an emotion label
  ]);
  assert.deepEqual(c.samples[0].votes, [4, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0]);
  assert.deepEqual(c.samples[1].votes, [0, 7, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2]);
  assert.equal(c.samples[3].votes![10], 10);
  assert.deepEqual(c.samples[0].annotations, []);
  assert.deepEqual(c.issues.map((i) => [i.file, i.line, i.field]), [
    ['FER2013Train/label.csv', 3, 'surprise'],
    ['FER2013Train/label.csv', 4, 'box'],
    ['FER2013Train/label.csv', 5, 'name'],
    ['FER2013Train/label.csv', 7, null],
    ['FER2013Train/label.csv', 8, 'box'],
  ]);
  // fer0000001 was cropped to its patch: left half 40, right half 215, no black border.
  const p = c.samples[1].pixels;
  assert.ok(Math.abs(meanOf(p, 48, 2, 2, 22, 46) - 40) < 4);
  assert.ok(Math.abs(meanOf(p, 48, 26, 2, 46, 46) - 215) < 4);
  // fer0000000 was not cropped: its border stays black.
  assert.ok(meanOf(c.samples[0].pixels, 48, 0, 0, 48, 6) < 3);
  assert.deepEqual(c.progress.at(-1), { done: 9, total: 9 });
});

test('FER+ skip() and an absent root', async () => {
  const c = await collect(readFerPlus(root, { skip: (r) => r.startsWith('ferplus:FER2013Train/') }));
  assert.deepEqual(c.samples.map((s) => s.sourceRef), ['ferplus:FER2013Valid/fer0000010.png']);
  const none = await collect(readFerPlus(join(root, 'nope')));
  assert.equal(none.samples.length, 0);
  assert.match(none.issues[0].message, /no FER2013Train/);
});

test('FER+ --votes-per-face: K votes kept as annotations, plurality label, the 10 as reference; same draw on a resume', async () => {
  const k3 = await collect(readFerPlus(root, { votesPerFace: 3, voteSeed: 5 }));
  assert.equal(k3.samples.length, 4);
  for (const s of k3.samples) {
    const full = s.referenceVotes!;
    assert.equal(full.reduce((a, b) => a + b, 0), 10, `${s.sourceRef}: reference keeps all 10 votes`);
    assert.equal(s.votes!.reduce((a, b) => a + b, 0), 3, `${s.sourceRef}: 3 votes kept`);
    s.votes!.forEach((n, c) => assert.ok(n <= full[c]));
    const top = Math.max(...s.votes!);
    if (s.givenLabel !== null) assert.equal(s.votes![s.givenLabel], top, `${s.sourceRef}: the label is a plurality of the kept votes`);
  }
  // fer0000003 has contempt 6, NF 4: K=3 keeps a contempt plurality unless 2+ NF votes are drawn.
  const contempt = k3.samples[2];
  assert.equal(contempt.givenLabel, contempt.votes![7] >= 2 ? 7 : null);
  // K = 1 on the valid face (10 NF votes): no class label, the NF vote kept.
  const k1 = await collect(readFerPlus(root, { votesPerFace: 1 }));
  assert.equal(k1.samples[3].givenLabel, null);
  assert.equal(k1.samples[3].votes![10], 1);
  // Without the flag nothing changes: no reference, FER+'s majority rule.
  const all = await collect(readFerPlus(root));
  assert.ok(all.samples.every((s) => s.referenceVotes === undefined));
  // A resume that skips the first faces draws the same votes for the rest.
  const resumed = await collect(readFerPlus(root, { votesPerFace: 3, voteSeed: 5, skip: (r) => r.endsWith('fer0000000.png') }));
  assert.deepEqual(resumed.samples.map((s) => s.votes), k3.samples.slice(1).map((s) => s.votes));
  await assert.rejects(async () => collect(readFerPlus(root, { votesPerFace: 11 })), /1\.\.10/);
});
