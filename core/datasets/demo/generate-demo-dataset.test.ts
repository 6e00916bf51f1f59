import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { NUM_CLASSES, type ImportItem, type SampleRecord } from '../../../api/domain.ts';
import { DEMO_ANNOTATORS } from './annotators.ts';
import { demoGroundTruth, demoImportItems, generateDemoDataset, generateDemoFace } from './generate-demo-dataset.ts';

const SMALL = { counts: { train: 80, valid: 24, test: 16 } };

function hashDataset(records: SampleRecord[]): string {
  const h = createHash('sha256');
  for (const r of records) {
    h.update(r.sourceRef).update(r.pixels).update(JSON.stringify([r.givenLabel, r.annotations, r.extra, r.valence, r.arousal]));
  }
  return h.digest('hex');
}

test('same seed gives identical bytes and labels; another seed gives another dataset', () => {
  const a = hashDataset(generateDemoDataset(SMALL));
  assert.equal(hashDataset(generateDemoDataset(SMALL)), a);
  assert.notEqual(hashDataset(generateDemoDataset({ ...SMALL, seed: 7 })), a);
});

test('a face does not depend on how many faces come before or after it', () => {
  const few = generateDemoDataset({ counts: { train: 16, valid: 0, test: 0 } });
  const more = generateDemoDataset({ counts: { train: 16, valid: 8, test: 0 } });
  assert.equal(hashDataset(few), hashDataset(more.slice(0, 16)));
});

test('records have the shape the importer expects', () => {
  const records = generateDemoDataset({ ...SMALL, size: 32 });
  assert.equal(records.length, 120);
  assert.deepEqual(records.slice(0, 2).map((r) => r.sourceRef), ['demo:train:000000', 'demo:train:000001']);
  assert.equal(records[80].sourceRef, 'demo:valid:000000');
  assert.equal(new Set(records.map((r) => r.sourceRef)).size, records.length);
  for (const r of records) {
    assert.equal(r.dataset, 'demo');
    assert.equal(r.originalPath, null);
    assert.equal(r.width, 32);
    assert.equal(r.pixels.length, 32 * 32);
    assert.ok(r.annotations.length >= 3 && r.annotations.length <= 5);
    assert.equal(new Set(r.annotations.map((x) => x.annotator)).size, r.annotations.length);
    assert.ok(r.annotations.every((x) => DEMO_ANNOTATORS.some((a) => a.id === x.annotator) && x.label >= 0 && x.label < NUM_CLASSES));
    const t = demoGroundTruth(r)!;
    assert.ok(t, 'ground truth in extra');
    assert.equal(r.givenLabel === t.trueClass, !t.wrongLabel);
    assert.equal(t.ambiguous, t.blend !== null);
    if (t.blend) assert.ok(t.blend.weight >= 0.35 && t.blend.weight < 0.5 && t.blend.other !== t.trueClass);
    assert.ok(r.valence! >= -1 && r.valence! <= 1 && r.arousal! >= -1 && r.arousal! <= 1);
  }
  // Classes are balanced within each split.
  const perClass = new Array(NUM_CLASSES).fill(0);
  for (const r of records.filter((x) => x.split === 'train')) perClass[demoGroundTruth(r)!.trueClass]++;
  assert.deepEqual(perClass, new Array(NUM_CLASSES).fill(10));
});

test('bad options are rejected with the option named', () => {
  assert.throws(() => generateDemoDataset({ counts: { train: -1 } }), /counts\.train/);
  assert.throws(() => generateDemoDataset({ size: 3 }), /"size"/);
  assert.throws(() => generateDemoDataset({ seed: 1.5 }), /"seed"/);
  assert.throws(() => generateDemoDataset({ blendRate: 2 }), /"blendRate"/);
});

test('the import stream yields the same records plus progress', async () => {
  const items: ImportItem[] = [];
  for await (const item of demoImportItems(SMALL, 50)) items.push(item);
  const samples = items.flatMap((i) => (i.kind === 'sample' ? [i.record] : []));
  assert.equal(hashDataset(samples), hashDataset(generateDemoDataset(SMALL)));
  const progress = items.flatMap((i) => (i.kind === 'progress' ? [i] : []));
  assert.deepEqual(progress.map((p) => p.done), [0, 50, 100, 120]);
  assert.ok(progress.every((p) => p.total === 120));
  assert.ok(!items.some((i) => i.kind === 'issue'));
});

test('one face can be regenerated alone, and at a display size with the same labels', () => {
  const all = generateDemoDataset(SMALL);
  const again = generateDemoFace('valid', 5, SMALL);
  assert.equal(hashDataset([again]), hashDataset([all[85]]));
  const big = generateDemoFace('valid', 5, { ...SMALL, size: 128 });
  assert.equal(big.pixels.length, 128 * 128);
  assert.deepEqual([big.givenLabel, big.annotations, big.extra], [again.givenLabel, again.annotations, again.extra]);
  assert.throws(() => generateDemoFace('test', 16, SMALL), /index 16/);
});
