// The label-cleaning curve in the Re-learn view, in real Chromium against the real server,
// service and SQLite file: a few-annotator FER+ project (one vote per face, the 10-vote
// reference kept aside) with a tiny DBN parent, two review orders simulated with the real
// simulate-review (fresh parents trained on the cleaned labels), and the view draws one line
// per order with a point per budget and lists every point's figures as the curve files hold them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ModelId } from '../../api/domain.ts';
import { makeTempDir } from '../../core/datasets/test-fixtures.ts';
import { tinyFewVotesProject, writeTinyFerplus } from '../../electron/service/ops/few-votes.fixture.ts';
import { simulateReview } from '../../electron/service/ops/simulate-review.ts';
import { screenshotNotBlank, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
let cleanup = () => {};
let project = '';
let parentId: ModelId;

describe('the label-cleaning curve in the Re-learn view (browser mode)', { timeout: 170_000 }, () => {
  before(async () => {
    let dir: string;
    ({ dir, cleanup } = makeTempDir('curve-e2e'));
    const { folder } = await writeTinyFerplus(dir);
    project = join(dir, 'k1.arproj');
    parentId = await tinyFewVotesProject(folder, project);
    // Two budgets of a seeded random order, then a third budget in a later run: one curve of three points.
    await simulateReview(project, parentId, { order: 'random', seed: 2, budgets: [10, 20] });
    await simulateReview(project, parentId, { order: 'random', seed: 2, budgets: [40] });
    await simulateReview(project, parentId, { order: 'self_confidence', budgets: [15] });
    h = await startHarness();
    page = h.page;
    await h.service.openProject(project);
  });
  after(async () => {
    await h?.close();
    cleanup();
  });

  test('one line per order, a point per budget, every point listed', async () => {
    const curves = await h.service.call('relearn.cleaningCurves', { parentModelId: parentId });
    assert.deepEqual(curves.map((c) => [c.order, c.points.map((p) => p.reviewed)]), [['random', [0, 10, 20, 40]], ['self_confidence', [0, 15]]]);
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await page.keyboard.press('Alt+6');
    await page.getByTestId('view-relearn').waitFor();
    // The panel belongs to the parent picked in the form (the analysed one by default); it loads after the models.
    const panel = page.getByTestId('cleaning-curve');
    await panel.waitFor({ timeout: 20_000 });
    assert.equal(await page.getByTestId('relearn-parent').inputValue(), String(parentId));
    assert.equal(await panel.locator('path.line').count(), 2, 'one line per order');
    assert.deepEqual((await panel.locator('.legend .key').allTextContents()).map((t) => t.trim()), ['random', 'self_confidence']);
    // Each line has as many vertices as its curve has points (the path's M and L commands).
    const vertices = await panel.locator('path.line').evaluateAll((els) => els.map((e) => (e.getAttribute('d') ?? '').match(/[ML]/g)?.length ?? 0));
    assert.deepEqual(vertices, [4, 2]);
    const rows = await panel.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => td.textContent?.trim() ?? '')));
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const expected = curves.flatMap((c) => c.points.map((p) => [c.order, String(p.reviewed), String(p.relabelled), String(p.markedAmbiguous), pct(p.validAccuracy), '–']));
    assert.deepEqual(rows, expected);
    assert.match((await panel.textContent()) ?? '', /reference majority on valid \(\d+ faces\)/);
    await panel.scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'cleaning-curve-1');
    assert.deepEqual(h.problems, []);
  });
});
