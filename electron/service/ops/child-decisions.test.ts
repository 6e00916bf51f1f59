// Adopting children that do worse than the parent needs confirmation with the numbers, and
// every adopt / discard is recorded with its time, on a real project file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { getModel } from '../../../db/model-store.ts';
import { tempProject } from '../../../db/test-support.ts';
import { decideChildren, latestRelearn } from './relearn-jobs.ts';
import { storeRelearnRun } from './relearn-result.fixture.ts';

test('children better on valid and test are adopted at once, and the decision is kept with its time', (t) => {
  const p = tempProject();
  t.after(() => p.remove());
  const { runId, parentId, childId } = storeRelearnRun(p.db, { accuracy: { valid: [0.6, 0.62], test: [0.58, 0.6] } });
  const before = latestRelearn(p.db, parentId)!;
  assert.deepEqual(before.worseThanParent, []);
  assert.deepEqual(before.decisions, []);
  const t0 = Date.now();
  const r = decideChildren(p.db, runId, 'adopted');
  assert.equal(r.decision, 'adopted');
  assert.equal(getModel(p.db, childId)!.status, 'adopted');
  assert.equal(r.decisions.length, 1);
  assert.equal(r.decisions[0].decision, 'adopted');
  assert.equal(r.decisions[0].worseAccepted, false);
  assert.ok(Math.abs(Date.parse(r.decisions[0].decidedAt) - t0) < 60_000, `decided now (${r.decisions[0].decidedAt})`);
  const again = decideChildren(p.db, runId, 'discarded');
  assert.deepEqual(again.decisions.map((d) => d.decision), ['adopted', 'discarded'], 'the history is kept, oldest first');
  assert.equal(again.decision, 'discarded');
});

test('children worse on test are not adopted without confirmation; the refusal gives the numbers', (t) => {
  const p = tempProject();
  t.after(() => p.remove());
  const { runId, parentId, childId } = storeRelearnRun(p.db, { accuracy: { valid: [0.6, 0.61], test: [0.622, 0.61] } });
  const r = latestRelearn(p.db, parentId)!;
  assert.deepEqual(r.worseThanParent, [{ split: 'test', parentAccuracy: 0.622, parentChildrenAccuracy: 0.61 }]);
  assert.throws(() => decideChildren(p.db, runId, 'adopted'), (e: Error & { code?: string }) => {
    assert.equal(e.code, 'conflict');
    assert.match(e.message, /test 62\.2% → 61\.0% \(−1\.2 points\)/);
    return true;
  });
  assert.equal(getModel(p.db, childId)!.status, 'active', 'nothing changed');
  assert.deepEqual(latestRelearn(p.db, parentId)!.decisions, []);
  // Discarding needs no confirmation; adopting with it is recorded as such.
  assert.equal(decideChildren(p.db, runId, 'discarded').decision, 'discarded');
  const adopted = decideChildren(p.db, runId, 'adopted', true);
  assert.equal(adopted.decision, 'adopted');
  assert.deepEqual(adopted.decisions.map((d) => [d.decision, d.worseAccepted]), [['discarded', false], ['adopted', true]]);
});
