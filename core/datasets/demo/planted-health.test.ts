import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactDuplicateGroups, summariseExactDuplicates } from '../../health/exact-duplicates.ts';
import { imageChecks, imageStats } from '../../health/image-stats.ts';
import { pixelHash } from '../../health/pixel-hash.ts';
import { generateDemoDataset, generateDemoFace } from './generate-demo-dataset.ts';

test('the demo holds the planted duplicate groups and blanks, found by the health checks', () => {
  const records = generateDemoDataset({ counts: { train: 40, valid: 32, test: 32 } });
  const faces = records.map((r, id) => ({ id, split: r.split, pixelHash: pixelHash(r.pixels, r.width, r.height) }));
  const same = (a: number, b: number) => Buffer.from(records[a].pixels).equals(Buffer.from(records[b].pixels));
  const groups = exactDuplicateGroups(faces, same);
  assert.deepEqual(
    groups.map((g) => g.ids.map((i) => records[i].sourceRef)),
    [
      ['demo:train:000003', 'demo:train:000010'],
      ['demo:train:000004', 'demo:train:000011', 'demo:train:000012'],
      ['demo:train:000020', 'demo:valid:000005'],
      ['demo:train:000021', 'demo:test:000007'],
      ['demo:train:000022', 'demo:valid:000008', 'demo:test:000009'],
    ],
  );
  assert.deepEqual(summariseExactDuplicates(groups), {
    groups: 5,
    redundantFaces: 7,
    withinSplit: { train: 2, valid: 0, test: 0 },
    crossSplit: { 'train+valid': 1, 'train+test': 1, 'valid+test': 0, 'train+valid+test': 1 },
  });
  const blanks = records.filter((r) => imageChecks(imageStats(r.pixels)).blank).map((r) => r.sourceRef);
  assert.deepEqual(blanks, ['demo:train:000030', 'demo:valid:000030', 'demo:test:000030']);
  // A copy carries its source's labels and says what it copies; the slot keeps its own id and split.
  const copy = records.find((r) => r.sourceRef === 'demo:valid:000005')!;
  const source = records.find((r) => r.sourceRef === 'demo:train:000020')!;
  assert.equal(copy.split, 'valid');
  assert.deepEqual(copy.annotations, source.annotations);
  assert.equal(copy.extra?.plantedDuplicateOf, 'demo:train:000020');
  // One face alone is the same face as in the set.
  assert.deepEqual(generateDemoFace('valid', 5, { counts: { train: 40, valid: 32, test: 32 } }).pixels, copy.pixels);
});

test('a demo too small for a planted slot or its source simply has fewer plants', () => {
  const records = generateDemoDataset({ counts: { train: 8, valid: 8, test: 8 } });
  const faces = records.map((r, id) => ({ id, split: r.split, pixelHash: pixelHash(r.pixels, r.width, r.height) }));
  assert.deepEqual(exactDuplicateGroups(faces, (a, b) => Buffer.from(records[a].pixels).equals(Buffer.from(records[b].pixels))), []);
});
