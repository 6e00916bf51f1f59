import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { detectDatasetKind, readDataset } from './read-dataset.ts';
import { collect, makeTempDir, writeImage, writeText } from './test-fixtures.ts';

let dir = '';
let cleanup = () => {};
const AFFECT_HEADER = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal';

before(async () => {
  ({ dir, cleanup } = makeTempDir('detect'));
  writeText(join(dir, 'an', 'Manually_Annotated_file_lists', 'training.csv'), `${AFFECT_HEADER}\n`);
  writeText(join(dir, 'an-flat', 'training.csv'), `${AFFECT_HEADER}\n`);
  writeText(join(dir, 'kaggle', 'fer2013.csv'), 'emotion,pixels,Usage\n');
  writeText(join(dir, 'fp', 'FER2013Valid', 'label.csv'), '');
  await writeImage(join(dir, 'fold', 'happy', 'x.png'), 48, 48, new Uint8Array(48 * 48).fill(9), 'png');
  writeText(join(dir, 'team', 'labels.csv'), 'image,annotator,label\nx.png,a,happy\n');
  writeText(join(dir, 'misc', 'notes.csv'), 'a,b\n1,2\n');
});
after(() => cleanup());

test('detectDatasetKind recognises every layout and CSV, and answers null otherwise', () => {
  assert.equal(detectDatasetKind(join(dir, 'an')), 'affectnet');
  assert.equal(detectDatasetKind(join(dir, 'an-flat')), 'affectnet');
  assert.equal(detectDatasetKind(join(dir, 'an', 'Manually_Annotated_file_lists', 'training.csv')), 'affectnet');
  assert.equal(detectDatasetKind(join(dir, 'kaggle')), 'fer2013');
  assert.equal(detectDatasetKind(join(dir, 'kaggle', 'fer2013.csv')), 'fer2013');
  assert.equal(detectDatasetKind(join(dir, 'fp')), 'ferplus');
  assert.equal(detectDatasetKind(join(dir, 'fold')), 'folder');
  assert.equal(detectDatasetKind(join(dir, 'team')), 'multi');
  assert.equal(detectDatasetKind(join(dir, 'team', 'labels.csv')), 'multi');
  assert.equal(detectDatasetKind(join(dir, 'misc')), null);
  assert.equal(detectDatasetKind(join(dir, 'misc', 'notes.csv')), null);
  assert.equal(detectDatasetKind(join(dir, 'nope')), null);
});

test('readDataset dispatches to the reader of each kind', async () => {
  const folder = await collect(readDataset('folder', join(dir, 'fold')));
  assert.deepEqual(folder.samples.map((s) => [s.dataset, s.sourceRef]), [['folder', 'folder:happy/x.png']]);
  const multi = await collect(readDataset('multi', join(dir, 'team', 'labels.csv'), { imageRoot: join(dir, 'fold', 'happy') }));
  assert.deepEqual(multi.samples.map((s) => [s.dataset, s.givenLabel]), [['multi', 1]]);
  const multiDir = await collect(readDataset('multi', join(dir, 'team'), { imageRoot: join(dir, 'fold', 'happy') }));
  assert.deepEqual(multiDir.samples.map((s) => s.sourceRef), ['multi:x.png']);
  const fp = await collect(readDataset('ferplus', join(dir, 'fp')));
  assert.deepEqual(fp.issues.map((i) => [i.file, i.message]), [['FER2013Valid/label.csv', 'empty file']]);
  assert.throws(() => readDataset('demo' as never, dir), /unknown dataset kind/);
});
