// Dataset health in real Chromium against the real server, service and SQLite file of the
// demo project: the Health panel computes the report and shows the planted exact duplicates
// (within train and across every split combination) and blank faces, and a finding's button
// opens exactly those faces in Review. Screenshots must not be blank.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotNotBlank, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

const text = async (p: Page, id: string) => ((await p.getByTestId(id).textContent()) ?? '').trim();

describe('dataset health in Chromium (browser mode)', { timeout: 170_000 }, () => {
  before(async () => {
    h = await startHarness();
    page = h.page;
    await h.service.openDemo();
  });
  after(async () => {
    await h?.close();
  });

  test('the Health panel finds the demo\'s planted duplicates and blanks', async () => {
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await page.getByTestId('health-panel').waitFor({ timeout: 20_000 });
    await page.getByTestId('health-compute').click();
    await page.getByTestId('health-count-exactDuplicates').waitFor({ timeout: 60_000 });
    // demo planted-health.ts: train 3+10, train 4+11+12, train 20+valid 5, train 21+test 7, train 22+valid 8+test 9.
    assert.equal(await text(page, 'health-count-exactDuplicates'), '5');
    assert.equal(await text(page, 'health-count-crossSplitDuplicates'), '3');
    assert.equal(await text(page, 'health-count-blank'), '3');
    const report = await h.service.call('health.latest', {});
    assert.ok(report);
    assert.deepEqual(report.summary.exactDuplicates, {
      groups: 5,
      redundantFaces: 7,
      withinSplit: { train: 2, valid: 0, test: 0 },
      crossSplit: { 'train+valid': 1, 'train+test': 1, 'valid+test': 0, 'train+valid+test': 1 },
    });
    await page.getByTestId('health-panel').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'health-1-panel');
    assert.deepEqual(h.problems, []);
  });

  test('a duplicate finding opens exactly its faces in Review, groups together', async () => {
    const { sampleIds } = await h.service.call('health.faces', { finding: 'exactDuplicates' });
    assert.equal(sampleIds.length, 12);
    await page.getByTestId('health-open-exactDuplicates').click();
    await page.getByTestId('view-review').waitFor();
    await page.getByTestId('review-list').waitFor({ timeout: 20_000 });
    assert.match(await text(page, 'review-list'), /Exact duplicates/);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=face-grid]')?.getAttribute('data-total')) === 12, null, { timeout: 20_000 });
    const shown: number[] = [];
    for (let i = 0; i < 12; i++) shown.push(Number(await page.locator(`[data-testid=face-grid] [data-index="${i}"]`).getAttribute('data-sample-id')));
    assert.deepEqual(shown, sampleIds);
    await screenshotNotBlank(page, 'health-2-review');
    assert.deepEqual(h.problems, []);
  });

  test('"keep this one" marks the shown face\'s twin a duplicate: it leaves training, in the audit trail', async () => {
    const first = Number(await page.getByTestId('face-detail').getAttribute('data-sample-id'));
    const { twins } = await h.service.call('health.twins', { sampleId: first as never });
    assert.equal(twins.length, 1, 'demo train 3 has one twin, train 10');
    await page.getByTestId('face-twins').waitFor({ timeout: 10_000 });
    await page.getByTestId('keep-one').click();
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=review-counter]')?.getAttribute('data-reviewed')) === 1, null, { timeout: 10_000 });
    const twin = await h.service.call('faces.get', { id: twins[0] });
    assert.equal(twin.history.at(-1)?.duplicateOf, first);
    assert.deepEqual(twin.training, { included: false, note: `left out of training: duplicate of face ${first} (a reviewer's decision)` });
    assert.deepEqual(h.problems, []);
  });
});
