// The run's ETA covers every planned epoch, and exists from the first batches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEtaSeconds } from './training-eta.ts';

test('ETA of the whole run: rest of this epoch plus the planned epochs after it', () => {
  // Epoch 3 of 10, a quarter done, finished epochs took 4 s and 6 s (mean 5 s): 0.75*5 + 7*5.
  assert.equal(runEtaSeconds({ epoch: 3, batch: 25, batches: 100, planned: 10, epochSeconds: [4, 6], epochElapsed: 1 }), 38.75);
  // The last planned epoch, finished: nothing left.
  assert.equal(runEtaSeconds({ epoch: 10, batch: 100, batches: 100, planned: 10, epochSeconds: [5], epochElapsed: 5 }), 0);
  // An epoch beyond the plan (never negative).
  assert.equal(runEtaSeconds({ epoch: 12, batch: 50, batches: 100, planned: 10, epochSeconds: [2], epochElapsed: 1 }), 1);
});

test('before any epoch ends the estimate comes from the first batches', () => {
  // 10 of 200 batches in 2 s: 40 s per epoch; 190/200 of this one plus 4 more epochs.
  assert.equal(runEtaSeconds({ epoch: 1, batch: 10, batches: 200, planned: 5, epochSeconds: [], epochElapsed: 2 }), 0.95 * 40 + 4 * 40);
  assert.equal(runEtaSeconds({ epoch: 1, batch: 0, batches: 200, planned: 5, epochSeconds: [], epochElapsed: 0.5 }), null, 'no batch yet: no estimate');
});
