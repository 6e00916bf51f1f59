import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sequenceHash } from './sequence-hash.ts';

test('sequence fingerprint: FNV-1a over each value\'s four bytes, with the length', () => {
  // By hand: FNV-1a 32 of the bytes 01 00 00 00 is 0xfb69b604 (offset 0x811c9dc5, prime 0x01000193).
  assert.equal(sequenceHash([1]), '1:fb69b604');
  assert.equal(sequenceHash([]), '0:811c9dc5');
  assert.equal(sequenceHash(Int32Array.from([1])), sequenceHash([1]));
  // Order, values and length all count.
  assert.notEqual(sequenceHash([1, 2]), sequenceHash([2, 1]));
  assert.notEqual(sequenceHash([1, 2]), sequenceHash([1, 3]));
  assert.notEqual(sequenceHash([0]), sequenceHash([0, 0]));
});
