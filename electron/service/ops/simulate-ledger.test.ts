// The ledger of measured cleaning-curve trainings: keyed by everything that decides a
// training's figures, merged when two simulations of one parent and order record at once.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ModelId } from '../../../api/domain.ts';
import { SimulationLedger, type LedgerContext, type MeasuredRun } from './simulate-ledger.ts';

const ctx: LedgerContext = { orderHash: '5:0000abcd', labelVersion: 3, validFaces: 100, testFaces: 0, devTestFaces: 20 };
const run = (acc: number): MeasuredRun => ({ seed: 1, scratchModelId: 2 as ModelId, validAccuracy: acc, testAccuracy: null, devTestAccuracy: acc / 2 });

test('a training is found only under the same order, labels, faces, budget and seed; a second record of one key replaces it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-ledger-'));
  try {
    const a = new SimulationLedger(dir, 1, 'random');
    a.record(ctx, 10, null, run(0.5));
    const b = new SimulationLedger(dir, 1, 'random');
    assert.equal(b.find(ctx, 10, null)?.run.validAccuracy, 0.5);
    for (const other of [{ ...ctx, orderHash: '5:0000abce' }, { ...ctx, labelVersion: 4 }, { ...ctx, validFaces: 99 }, { ...ctx, testFaces: 1 }, { ...ctx, devTestFaces: 21 }]) {
      assert.equal(b.find(other, 10, null), undefined, JSON.stringify(other));
    }
    assert.equal(b.find(ctx, 11, null), undefined);
    assert.equal(b.find(ctx, 10, 1), undefined, 'seed 1 is not the parent\'s own configuration');
    assert.equal(new SimulationLedger(dir, 2, 'random').find(ctx, 10, null), undefined, 'another parent');
    assert.equal(new SimulationLedger(dir, 1, 'crowdlab').find(ctx, 10, null), undefined, 'another order');
    b.record(ctx, 10, null, run(0.6));
    const entries = (JSON.parse(readFileSync(b.file, 'utf8')) as { entries: unknown[] }).entries;
    assert.equal(entries.length, 1);
    assert.equal(new SimulationLedger(dir, 1, 'random').find(ctx, 10, null)?.run.validAccuracy, 0.6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('two simulations of one parent and order recording at once keep each other\'s trainings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ar-ledger-'));
  try {
    const first = new SimulationLedger(dir, 1, 'random');
    const second = new SimulationLedger(dir, 1, 'random');
    first.record(ctx, 10, 1, run(0.5));
    second.record(ctx, 20, 1, run(0.7));
    first.record(ctx, 30, 1, run(0.8));
    const later = new SimulationLedger(dir, 1, 'random');
    assert.deepEqual([10, 20, 30].map((n) => later.find(ctx, n, 1)?.run.validAccuracy), [0.5, 0.7, 0.8]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
