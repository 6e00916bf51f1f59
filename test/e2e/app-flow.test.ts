// The whole app in real Chromium against the real back end: browser-mode server, service,
// SQLite project in a temp dir, real import, real training, real evaluation. One flow, in
// order, as a user would do it; each step depends on the one before. A screenshot of every
// view is saved under test-output/e2e/ and must not be blank.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLASS_NAMES } from '../../api/domain.ts';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { screenshotNotBlank, startHarness, writeClassFolderFixture, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

const count = (text: string | null) => Number((text ?? '').replace(/[^0-9]/g, ''));

/** Waits for `testId`; when an error message shows up first, fails with its text (e.g. an op not written yet). */
async function waitForOrError(p: Page, testId: string, timeout: number): Promise<void> {
  const wanted = p.getByTestId(testId).first();
  const error = p.getByTestId('toast-error').first();
  await Promise.race([wanted.waitFor({ timeout }), error.waitFor({ timeout })]);
  if (await error.isVisible()) throw new Error(`waiting for ${testId}, the app reported: ${(await error.textContent())?.trim()}`);
}

async function progressStates(p: Page, until: () => Promise<boolean>, timeoutMs: number): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const bar = p.locator('[data-testid=run-monitor] [role=progressbar]');
    const text = (await bar.count()) ? await bar.first().getAttribute('aria-valuetext').catch(() => null) : null;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
    if (await until()) return seen;
    await p.waitForTimeout(100);
  }
  throw new Error(`timed out after ${timeoutMs} ms; progress seen: ${seen.join(' | ')}`);
}

describe('affect-relearn in Chromium (browser mode)', { timeout: 170_000 }, () => {
  before(async () => {
    h = await startHarness();
    page = h.page;
  });
  after(async () => {
    await h?.close();
  });

  test('the shell loads with navigation, header and the project view, and shows call errors', async () => {
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    assert.equal(await page.getByTestId('project-name').textContent(), 'none open');
    assert.equal(await page.locator('nav button.nav-item').count(), 7);
    // A failing call must reach the user, with the server's reason.
    await page.getByTestId('mode-open').click();
    await page.getByTestId('project-path').fill(join(h.dir, 'no-such-project.arproj'));
    await page.getByTestId('project-submit').click();
    const toast = page.getByTestId('toast-error').first();
    await toast.waitFor({ timeout: 10_000 });
    assert.match((await toast.textContent()) ?? '', /Open project failed.*no-such-project/s);
    await toast.getByRole('button').click();
  });

  test('the demo project opens and its counts are charted', async () => {
    await page.getByTestId('mode-demo').click();
    await page.getByTestId('project-submit').click();
    await page.getByTestId('project-summary').waitFor({ timeout: 90_000 });
    assert.notEqual(await page.getByTestId('project-name').textContent(), 'none open');
    const total = count(await page.getByTestId('total-samples').textContent());
    const bySplit = await Promise.all(['train', 'valid', 'test'].map(async (s) => count(await page.getByTestId(`split-${s}`).textContent())));
    assert.ok(total > 0, 'the demo project has faces');
    assert.equal(bySplit.reduce((a, b) => a + b, 0), total, 'split counts add up to the total');
    assert.ok((await page.locator('[data-testid=project-summary] rect.bar').count()) >= 8, 'class bars are drawn');
    await screenshotNotBlank(page, '1-project');
  });

  test('a class-folder import reports its rejected rows in a filterable, virtualised table and adds its faces', async () => {
    const root = join(h.dir, 'fixture');
    const corrupt = 150;
    const fixture = await writeClassFolderFixture(root, { happy: 6, sad: 6, neutral: 6 }, corrupt);
    const before = count(await page.getByTestId('total-samples').textContent());
    await page.getByTestId('import-kind').selectOption('folder');
    await page.getByTestId('import-path').fill(root);
    await page.getByTestId('import-submit').click();
    const report = page.getByTestId('import-report');
    await report.waitFor({ timeout: 60_000 });
    assert.equal(count(await page.getByTestId('import-accepted').textContent()), fixture.good);
    const rejected = count(await page.getByTestId('import-rejected').textContent());
    assert.ok(rejected >= corrupt, `${rejected} rejected, expected at least the ${corrupt} corrupt files`);
    const table = page.getByTestId('issue-table');
    const issues = Number(await table.getAttribute('data-rows'));
    assert.ok(issues >= corrupt + 1, `${issues} issue rows`);
    // Virtualised: far fewer rows in the DOM than in the table, and scrolling brings the last ones.
    const domRows = await table.locator('tbody tr:not(.spacer)').count();
    assert.ok(domRows < 60, `${domRows} rows rendered for ${issues}`);
    assert.match((await table.textContent()) ?? '', /corrupt-000\.png/);
    await table.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.waitForFunction(() => /corrupt-149\.png/.test(document.querySelector('[data-testid=issue-table]')?.textContent ?? ''));
    await page.getByTestId('issue-filter').fill('bewildered');
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=issue-table] tbody tr').length === 1);
    assert.match((await table.textContent()) ?? '', /train\/bewildered/);
    await page.getByTestId('issue-filter').fill('');
    await page.waitForFunction(
      (n) => Number(document.querySelector('[data-testid=total-samples]')?.textContent?.replace(/[^0-9]/g, '')) === n,
      before + fixture.good,
      { timeout: 10_000 },
    );
    await screenshotNotBlank(page, '2-project-import');
  });

  test('an Adaptive DBN run shows live progress, curves and the growing network, then finishes', async () => {
    await page.keyboard.press('Alt+2');
    await page.getByTestId('view-training').waitFor();
    await page.getByTestId('kind-adbn').check({ force: true });
    const opts: Record<string, string> = { hiddenUnits: '24', maxLayers: '2', pretrainEpochs: '2', epochs: '3', batchSize: '32', maxSamples: '320' };
    for (const [k, v] of Object.entries(opts)) await page.getByTestId(`opt-${k}`).fill(v);
    // A METHOD constant set in the form is sent, recorded with the run and shown with it.
    await page.getByTestId('method-constants').locator('summary').click();
    await page.getByTestId('method-weightDecay').fill('0.0002');
    await page.getByTestId('start-training').click();
    const monitor = page.getByTestId('run-monitor');
    await waitForOrError(page, 'run-monitor', 20_000);
    let shotLive = false;
    const states = await progressStates(
      page,
      async () => {
        const status = await monitor.getAttribute('data-status');
        if (!shotLive && status === 'running' && (await page.getByTestId('network-growth').count())) {
          shotLive = true;
          await screenshotNotBlank(page, '3-training-live');
        }
        if (await page.getByTestId('toast-error').count()) throw new Error(`the app reported: ${(await page.getByTestId('toast-error').first().textContent())?.trim()}`);
        return status !== null && status !== 'running';
      },
      120_000,
    );
    assert.equal(await monitor.getAttribute('data-status'), 'done', `run ended as ${await monitor.getAttribute('data-status')}: ${await monitor.textContent()}`);
    assert.ok(states.length >= 3, `the progress bar moved (states: ${states.join(' | ')})`);
    assert.ok((await monitor.locator('path.line').count()) >= 1, 'loss/accuracy curves are drawn');
    assert.equal(await page.getByTestId('network-growth').count(), 1);
    assert.ok((await page.locator('[data-testid=network-growth] path.step').count()) >= 1, 'units per layer are drawn');
    assert.match((await page.getByTestId('layer-stack').getAttribute('aria-label')) ?? '', /\d+ hidden units/);
    assert.equal(await page.locator('[data-testid=run-list] [data-status=done]').count(), 1);
    const config = page.getByTestId('run-config');
    await config.locator('summary').click();
    assert.match((await config.locator('summary').textContent()) ?? '', /1 changed from the default/);
    assert.match((await config.textContent()) ?? '', /weight decay\s*0\.0002\s*\(changed\)/);
    assert.match((await config.textContent()) ?? '', /θ_G\s*0\.0005/, 'constants left alone are recorded at their defaults');
    await screenshotNotBlank(page, '3-training');
  });

  test('a DBN run can be cancelled mid-way and resumed to the end', async () => {
    await page.getByTestId('kind-dbn').check({ force: true });
    const opts: Record<string, string> = { hiddenUnits: '32, 16', pretrainEpochs: '2', epochs: '12', batchSize: '32', maxSamples: '320' };
    for (const [k, v] of Object.entries(opts)) await page.getByTestId(`opt-${k}`).fill(v);
    await page.getByTestId('start-training').click();
    // The header names the job from the start, before its first batch is reported.
    await page.waitForFunction(() => /Training #2/.test(document.querySelector('[data-testid=job-indicator]')?.textContent ?? ''), null, { timeout: 5_000 });
    const monitor = page.locator('[data-testid=run-monitor][data-run="2"]');
    await waitForOrError(page, 'run-monitor', 20_000);
    await monitor.waitFor({ timeout: 20_000 });
    // Every status the monitor shows, in order, so a brief one cannot slip by unseen.
    // (A string: a compiled function would carry the test runner's helpers into the page.)
    await page.evaluate(`(() => {
      window.runStatuses = [];
      const read = () => {
        // "cancelling" with a Cancel button still enabled is recorded as such: it must not occur.
        const b = document.querySelector('[data-testid=cancel-run]');
        const status = document.querySelector('[data-testid=run-status]')?.textContent?.trim() ?? '';
        const s = status === 'cancelling' && b && !b.disabled ? 'cancelling, Cancel enabled' : status;
        if (s && window.runStatuses[window.runStatuses.length - 1] !== s) window.runStatuses.push(s);
      };
      read();
      new MutationObserver(read).observe(document.querySelector('[data-testid=view-training]'), { subtree: true, childList: true, characterData: true, attributes: true });
    })()`);
    // Cancel once the run has really started (a batch reported).
    await page.waitForFunction(() => /batch \d+/.test(document.querySelector('[data-testid=run-monitor] [role=progressbar]')?.getAttribute('aria-valuetext') ?? ''), null, { timeout: 30_000 });
    await page.getByTestId('cancel-run').click();
    // "cancelling" shows at once, before the worker has stopped (it may stop within
    // milliseconds, so the recorded sequence of statuses below is what proves it).
    await page.waitForFunction(() => document.querySelector('[data-testid=run-monitor]')?.getAttribute('data-status') === 'cancelled', null, { timeout: 30_000 });
    // A cancelled run is stopped, not failed: no red full bar, and a word on resuming.
    assert.equal(await monitor.locator('[role=progressbar]').count(), 0);
    assert.match((await page.getByTestId('run-stopped').textContent()) ?? '', /Cancelled .*Resume continues/);
    const epochsAtCancel = count(await monitor.locator('.stats .v').first().textContent());
    await page.getByTestId('resume-run').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=run-monitor]')?.getAttribute('data-status') === 'done', null, { timeout: 60_000 });
    // Resume brought the panel back to running without a reload, and it ran to the end.
    assert.deepEqual(await page.evaluate(() => (window as unknown as { runStatuses: string[] }).runStatuses), ['running', 'cancelling', 'cancelled', 'running', 'done']);
    const epochsAtEnd = count(await monitor.locator('.stats .v').first().textContent());
    assert.ok(epochsAtEnd > epochsAtCancel, `resumed from ${epochsAtCancel} to ${epochsAtEnd} epochs`);
    assert.equal(await page.locator('[data-testid=run-list] [data-status=done]').count(), 2);
    // The list filters by kind: two training runs, no analysis yet.
    await page.getByTestId('run-filter').selectOption('analyze');
    assert.equal(await page.locator('[data-testid=run-list] [data-run]').count(), 0);
    await page.getByTestId('run-filter').selectOption('train');
    assert.equal(await page.locator('[data-testid=run-list] [data-kind=train]').count(), 2);
    await page.getByTestId('run-filter').selectOption('all');
    assert.equal(await page.getByTestId('toast-error').count(), 0);
  });

  test('evaluating the trained model draws the confusion matrix, whose cells add up to the evaluated faces', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByTestId('view-evaluation').waitFor();
    await waitForOrError(page, 'eval-model', 10_000);
    await page.getByTestId('eval-split').selectOption('test');
    await page.getByTestId('run-evaluation').click();
    await waitForOrError(page, 'heatmap', 60_000);
    const cells = await page.locator('[data-testid=heatmap] text.count').allTextContents();
    assert.equal(cells.length, 64);
    const n = count(await page.getByTestId('eval-n').textContent());
    assert.ok(n > 0);
    assert.equal(cells.reduce((a, c) => a + Number(c), 0), n);
    assert.equal(await page.locator('[data-testid=per-class] tbody tr').count(), 8);
    await screenshotNotBlank(page, '4-evaluation');
    // Side by side with the other model on the same split.
    const other = await page.locator('[data-testid=eval-compare] option:not([value=""])').first().getAttribute('value');
    await page.getByTestId('eval-compare').selectOption(other ?? '');
    await page.getByTestId('run-evaluation').click();
    await waitForOrError(page, 'comparison', 60_000);
    assert.equal(await page.locator('[data-testid=comparison] tbody tr').count(), 8);
    await page.getByTestId('comparison').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, '4-evaluation-compare');
    await page.locator('main').evaluate((el) => (el.scrollTop = 0));
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotNotBlank(page, '4-evaluation-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test("another model's predictions import from a CSV, show their accuracy and rejected rows, and can be evaluated", async () => {
    // A CSV as another tool would write it: every test face, its published class for even ids, one bad row.
    const faces = await h.service.call('faces.listForReview', { sort: 'id', filter: { split: 'test' }, limit: 1000 });
    assert.ok(faces.items.length > 0);
    const lines = [['sample_id', ...CLASS_NAMES].join(',')];
    for (const f of faces.items) {
      const c = f.id % 2 === 0 && f.givenLabel !== null && f.givenLabel < 8 ? f.givenLabel : (f.id + 3) % 8;
      lines.push([f.id, ...CLASS_NAMES.map((_, k) => (k === c ? '0.9' : (0.1 / 7).toFixed(6)))].join(','));
    }
    lines.push(`${faces.items[0].id},x,0,0,0,0,0,0,0`);
    const csv = join(h.dir, 'other-model.csv');
    writeFileSync(csv, lines.join('\n'));
    await page.getByTestId('pred-import-path').fill(csv);
    await page.getByTestId('pred-import-name').fill('other tool');
    await page.getByTestId('pred-import-submit').click();
    await waitForOrError(page, 'pred-import-report', 60_000);
    assert.equal(count(await page.getByTestId('pred-import-rows').textContent()), faces.items.length);
    assert.equal(count(await page.getByTestId('pred-import-rejected').textContent()), 1);
    assert.match((await page.getByTestId('pred-import-issues').textContent()) ?? '', new RegExp(`${lines.length}.*neutral.*"x" is not a probability`));
    // The shown accuracy is the service's evaluation of the new model, and the model is picked for evaluation.
    const model = (await h.service.call('models.list', {})).find((m) => m.name === 'other tool');
    assert.equal(model?.kind, 'imported');
    const ev = (await h.service.call('evaluation.list', { modelId: model!.id })).find((e) => e.split === 'test')!;
    assert.equal(await page.getByTestId('pred-import-acc-test').textContent(), `${(100 * ev.accuracy).toFixed(1)}%`);
    assert.equal(await page.getByTestId('eval-model').inputValue(), String(model!.id));
    await page.getByTestId('eval-compare').selectOption('');
    await page.getByTestId('run-evaluation').click();
    await page.waitForFunction((id) => document.querySelector('[data-testid=view-evaluation]')?.textContent?.includes(`#${id} other tool`), model!.id, { timeout: 30_000 });
    assert.equal(count(await page.getByTestId('eval-n').textContent()), ev.n_evaluated);
    await page.getByTestId('prediction-import').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, '4-evaluation-imported');
    await page.locator('main').evaluate((el) => (el.scrollTop = 0));
  });

  test('the review-workflow views open on this project, and the keyboard help opens and closes', async () => {
    // Each view has its own e2e test (review.test.ts, relearn.test.ts); here they must open on this project.
    for (const [keys, name, testId] of [[['g', 'r'], '5-review', 'face-detail'], [['Alt+5'], '6-annotators', 'view-annotators'], [['Alt+6'], '7-relearn', 'view-relearn']] as const) {
      for (const k of keys) await page.keyboard.press(k);
      await page.getByTestId(testId).waitFor({ timeout: 20_000 });
      await screenshotNotBlank(page, name);
    }
    await page.keyboard.press('?');
    await page.getByTestId('help-overlay').waitFor();
    await screenshotNotBlank(page, '8-help');
    await page.keyboard.press('Escape');
    await page.getByTestId('help-overlay').waitFor({ state: 'detached' });
    assert.deepEqual(h.problems, [], 'no console errors, page errors or CSP violations');
  });
});
