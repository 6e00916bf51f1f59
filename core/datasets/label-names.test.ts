import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASS_NAMES, LABEL_CODE_NAMES } from '../../api/domain.ts';
import { FER2013_TO_LABEL, FERPLUS_TO_LABEL, ferPlusMajority, labelCodeFromName, pluralityClass, votesFromFerPlusOrder } from './label-names.ts';

test('class names and synonyms map by name, case-insensitively', () => {
  CLASS_NAMES.forEach((n, i) => assert.equal(labelCodeFromName(n), i));
  const cases: [string, number][] = [
    ['Happiness', 1], ['SADNESS', 2], ['surprised', 3], ['Fearful', 4], ['disgusted', 5], ['Angry', 6], ['anger', 6],
    ['contemptuous', 7], [' Neutral ', 0], ['none', 8], ['Uncertain', 9], ['NF', 10], ['not-a-face', 10], ['non_face', 10],
    ['Non-Face', 10], ['unknown', 11],
  ];
  for (const [name, code] of cases) assert.equal(labelCodeFromName(name), code, name);
  for (const bad of ['', '3', 'happy!', 'joyful', 'neutralx']) assert.equal(labelCodeFromName(bad), null, bad);
});

test('FER2013 and FER+ orders land on the right project classes', () => {
  assert.deepEqual(FER2013_TO_LABEL.map((c) => LABEL_CODE_NAMES[c]), ['anger', 'disgust', 'fear', 'happy', 'sad', 'surprise', 'neutral']);
  assert.deepEqual(FERPLUS_TO_LABEL.map((c) => LABEL_CODE_NAMES[c]), ['neutral', 'happy', 'surprise', 'sad', 'anger', 'disgust', 'fear', 'contempt', 'unknown', 'not_face']);
});

test('FER+ votes reorder into label-code order', () => {
  // fer0000000.png: neutral 4, sadness 1, anger 3, disgust 2.
  const v = votesFromFerPlusOrder([4, 0, 0, 1, 3, 2, 0, 0, 0, 0]);
  assert.deepEqual(v, [4, 0, 1, 0, 0, 2, 3, 0, 0, 0, 0, 0]);
  assert.throws(() => votesFromFerPlusOrder([1, 2, 3]));
});

test('FER+ majority needs strictly more than half of all votes, on an emotion', () => {
  assert.equal(ferPlusMajority([6, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0]), 0);
  assert.equal(ferPlusMajority([5, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), null);
  assert.equal(ferPlusMajority([0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 3]), 7); // 4 of 7
  assert.equal(ferPlusMajority([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0]), null); // NF wins: no emotion label
  assert.equal(ferPlusMajority(new Array(12).fill(0)), null);
});

test('plurality of annotator labels: ties and non-class labels give null', () => {
  assert.equal(pluralityClass([1, 1, 2]), 1);
  assert.equal(pluralityClass([1, 2]), null);
  assert.equal(pluralityClass([8, 9, 3]), 3);
  assert.equal(pluralityClass([8, 10]), null);
  assert.equal(pluralityClass([]), null);
});
