// The planted structure of the default demo dataset is real: classes are learnable from the
// pixels, blends are harder, annotators disagree more on blends, and each annotator's labels
// follow its published habit. Generates the default 2400/600/600 set once (a few seconds).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NUM_CLASSES, type SampleRecord } from '../../../api/domain.ts';
import { DEMO_ANNOTATORS } from './annotators.ts';
import { CONFUSION_PARTNERS } from './expressions.ts';
import { demoGroundTruth, generateDemoDataset, type DemoGroundTruth } from './generate-demo-dataset.ts';
import { pixelFeatures, predict, trainSoftmax } from './pixel-classifier.test-helper.ts';

const records = generateDemoDataset();
const truth = new Map<SampleRecord, DemoGroundTruth>(records.map((r) => [r, demoGroundTruth(r)!]));
const of = (r: SampleRecord) => truth.get(r)!;

test('default size, balance and planted rates', () => {
  const bySplit = (s: string) => records.filter((r) => r.split === s);
  assert.deepEqual([bySplit('train').length, bySplit('valid').length, bySplit('test').length], [2400, 600, 600]);
  const train = new Array(NUM_CLASSES).fill(0);
  for (const r of bySplit('train')) train[of(r).trueClass]++;
  assert.deepEqual(train, new Array(NUM_CLASSES).fill(300));
  const blended = records.filter((r) => of(r).ambiguous);
  const wrong = records.filter((r) => of(r).wrongLabel);
  assert.ok(blended.length / records.length > 0.12 && blended.length / records.length < 0.18, `blended ${blended.length}`);
  assert.ok(wrong.length / records.length > 0.025 && wrong.length / records.length < 0.055, `wrong ${wrong.length}`);
  const onPair = blended.filter((r) => CONFUSION_PARTNERS[of(r).trueClass].some(([k]) => k === of(r).blend!.other));
  assert.ok(onPair.length / blended.length > 0.8, `blends on confusion pairs ${onPair.length}/${blended.length}`);
});

/** Fraction of annotator pairs that gave the same label. */
function pairAgreement(r: SampleRecord): number {
  let same = 0, pairs = 0;
  for (let i = 0; i < r.annotations.length; i++) for (let j = i + 1; j < r.annotations.length; j++) {
    pairs++;
    if (r.annotations[i].label === r.annotations[j].label) same++;
  }
  return same / pairs;
}

test('annotators agree clearly less on blended faces than on clear ones', () => {
  const mean = (rs: SampleRecord[]) => rs.reduce((s, r) => s + pairAgreement(r), 0) / rs.length;
  const clear = mean(records.filter((r) => !of(r).ambiguous));
  const blended = mean(records.filter((r) => of(r).ambiguous));
  // Measured 0.72 (clear) vs 0.43 (blended) with the default seed.
  assert.ok(clear - blended > 0.2, `pairwise agreement clear ${clear.toFixed(3)} vs blended ${blended.toFixed(3)}`);
});

test("each annotator's empirical confusion on clear faces matches its habit", () => {
  for (const ann of DEMO_ANNOTATORS) {
    const counts = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
    for (const r of records) {
      if (of(r).ambiguous) continue;
      for (const a of r.annotations) if (a.annotator === ann.id) counts[of(r).trueClass][a.label]++;
    }
    let worst = 0;
    for (let k = 0; k < NUM_CLASSES; k++) {
      const n = counts[k].reduce((s, c) => s + c, 0);
      assert.ok(n > 150, `${ann.id}: only ${n} clear faces of class ${k}`);
      for (let j = 0; j < NUM_CLASSES; j++) {
        const p = ann.confusion[k][j];
        const diff = Math.abs(counts[k][j] / n - p);
        // Five binomial standard errors, plus a little slack for tiny p.
        assert.ok(diff < 5 * Math.sqrt((p * (1 - p)) / n) + 0.01, `${ann.id} [${k}][${j}]: ${(counts[k][j] / n).toFixed(3)} vs ${p.toFixed(3)}`);
        worst = Math.max(worst, diff);
      }
    }
    assert.ok(worst < 0.1, `${ann.id}: worst cell off by ${worst}`);
  }
});

test('a pixel logistic regression learns the classes well above chance; blends are harder', () => {
  const size = records[0].width;
  const train = records.filter((r) => r.split === 'train');
  const model = trainSoftmax(train.map((r) => pixelFeatures(r.pixels, size)), train.map((r) => r.givenLabel!), 8, 1);
  const accuracy = (rs: SampleRecord[]) => rs.filter((r) => predict(model, pixelFeatures(r.pixels, size)) === of(r).trueClass).length / rs.length;
  const clear = accuracy(records.filter((r) => r.split === 'valid' && !of(r).ambiguous));
  const blended = accuracy(records.filter((r) => r.split !== 'train' && of(r).ambiguous));
  // Chance is 1/8 = 12.5%. Measured with the default seed: 66.5% on the 510 clear valid faces, 48.7% on the
  // 199 blended valid+test faces (against their majority class).
  assert.ok(clear > 0.6, `clear-face accuracy ${clear.toFixed(3)}`);
  assert.ok(clear - blended > 0.12, `clear ${clear.toFixed(3)} vs blended ${blended.toFixed(3)}`);
});
