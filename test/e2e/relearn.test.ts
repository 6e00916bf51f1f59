// The Annotators and Re-learn views in real Chromium against the real back end, on the demo
// project: the annotators' kappa and confusion heatmap (a cell click hands its faces to the
// review queue), then a small DBN parent, its k-fold analysis with a live progress bar, the
// confusion groups, child re-learning, the before/after table, the changed faces, adopting
// the children and the exports written inside the project folder. Screenshots must not be blank.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type { ModelId } from '../../api/domain.ts';
import { getModel } from '../../db/model-store.ts';
import { screenshotNotBlank, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

/** Closes the info / success toasts so screenshots show the view. */
async function dismissToasts(p: Page): Promise<void> {
  for (const b of await p.locator('[data-testid=toast-success] button, [data-testid=toast-info] button').all()) await b.click().catch(() => {});
}

async function failOnToastError(p: Page): Promise<void> {
  if (await p.getByTestId('toast-error').count()) throw new Error(`the app reported: ${(await p.getByTestId('toast-error').first().textContent())?.trim()}`);
}

/** Polls until `done()`; fails early on an error toast; returns the progress texts seen. */
async function until(p: Page, done: () => Promise<boolean>, timeoutMs: number, bar?: string): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await failOnToastError(p);
    if (bar) {
      const b = p.locator(`${bar} [role=progressbar]`);
      const text = (await b.count()) ? await b.first().getAttribute('aria-valuetext').catch(() => null) : null;
      if (text && seen[seen.length - 1] !== text) seen.push(text);
    }
    if (await done()) return seen;
    await p.waitForTimeout(150);
  }
  throw new Error(`timed out after ${timeoutMs} ms; progress seen: ${seen.join(' | ')}`);
}

/** The Review view lists exactly the `n` faces handed over. */
async function expectReviewList(n: number): Promise<void> {
  await page.getByTestId('review-list').waitFor({ timeout: 10_000 });
  await until(page, async () => Number(await page.getByTestId('review-counter').getAttribute('data-total')) === n, 10_000);
}

describe('Annotators and Re-learn views in Chromium (browser mode)', { timeout: 400_000 }, () => {
  let parentId: ModelId;
  /** Changed faces the report counts for the kind of change shown as thumbnails (0: none; -1: not reached). */
  let shown = -1;

  before(async () => {
    h = await startHarness();
    page = h.page;
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await page.getByTestId('mode-demo').click();
    await page.getByTestId('project-submit').click();
    await page.getByTestId('project-summary').waitFor({ timeout: 90_000 });
  });
  after(async () => {
    await h?.close();
  });

  test('the Annotators view shows Fleiss kappa, agreement bars and a clickable confusion heatmap', async () => {
    await page.keyboard.press('Alt+5');
    await page.getByTestId('view-annotators').waitFor();
    await page.getByTestId('fleiss-kappa').waitFor({ timeout: 30_000 });
    const kappa = Number(await page.getByTestId('fleiss-kappa').textContent());
    assert.ok(kappa > 0 && kappa < 1, `the simulated annotators agree partly (kappa ${kappa})`);
    assert.ok((await page.locator('[data-testid=view-annotators] rect.bar').count()) >= 2, 'agreement bars are drawn');
    assert.equal(await page.locator('[data-testid=annotator-heatmap] g.cell').count(), 64);
    const names = await page.locator('[data-testid=annotator-select] option').allTextContents();
    assert.ok(names.length >= 2, `several annotators (${names.join(', ')})`);
    await screenshotNotBlank(page, 'annotators-1');
    await page.getByTestId('annotator-heatmap').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'annotators-2-heatmap');
    // A heatmap cell (row 0 = consensus neutral, column 0 = said neutral) hands its faces to the Review view.
    const cell = page.locator('[data-testid=annotator-heatmap] g.cell').first();
    const cellCount = Number(await cell.locator('text.count').textContent());
    await cell.click();
    await page.waitForFunction(() => document.querySelector('nav button.nav-item.active')?.getAttribute('data-view') === 'review', undefined, { timeout: 10_000 });
    await expectReviewList(cellCount);
    await page.keyboard.press('Alt+5');
    await page.getByTestId('view-annotators').waitFor();
    // The first listed disagreement opens the Review view too.
    const first = page.getByTestId('disagreement').first();
    assert.ok(await first.count(), 'a simulated annotator disagrees somewhere');
    const n = Number(await first.locator('.num').textContent());
    await first.click();
    await page.waitForFunction(() => document.querySelector('nav button.nav-item.active')?.getAttribute('data-view') === 'review', undefined, { timeout: 10_000 });
    await expectReviewList(n);
    await failOnToastError(page);
  });

  test('a small DBN parent trains', async () => {
    const { runId } = await h.service.call('training.start', { modelKind: 'dbn', options: { hiddenUnits: [128], pretrainEpochs: 3, epochs: 25, patience: 25, learningRate: 0.01, maxSamples: 1600, seed: 4 } });
    const deadline = Date.now() + 120_000;
    for (;;) {
      const run = await h.service.call('training.get', { runId });
      if (run.status !== 'running') {
        assert.equal(run.status, 'done', run.error ?? '');
        parentId = run.modelId!;
        break;
      }
      assert.ok(Date.now() < deadline, 'training finished in time');
      await new Promise((r) => setTimeout(r, 300));
    }
  });

  test('the Re-learn view runs the analysis with progress and lists the confusion groups', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('view-relearn').waitFor();
    await page.getByTestId('relearn-parent').waitFor({ timeout: 10_000 });
    await page.getByTestId('relearn-parent').selectOption(String(parentId));
    await page.getByTestId('relearn-folds').fill('3');
    await page.getByTestId('relearn-nmin').fill('20');
    await page.getByTestId('run-analysis').click();
    // A reload while the job runs: the view finds the running job again and follows it.
    await page.locator('[data-testid=view-relearn] [role=progressbar]').waitFor({ timeout: 10_000 });
    // The reload returns to the view it left (Re-learn), which finds the running job again.
    await page.reload();
    await page.getByTestId('view-relearn').waitFor();
    await page.locator('[data-testid=view-relearn] [role=progressbar]').waitFor({ timeout: 10_000 });
    assert.equal(await page.getByTestId('relearn-parent').inputValue(), String(parentId));
    assert.equal(await page.getByTestId('relearn-folds').inputValue(), '3');
    await screenshotNotBlank(page, 'relearn-0-analysis-running');
    const seen = await until(page, async () => (await page.getByTestId('confusion-groups').count()) > 0, 180_000, '[data-testid=view-relearn]');
    assert.ok(seen.length >= 2, `the analysis progress bar moved (${seen.join(' | ')})`);
    assert.match((await page.getByTestId('analysis-summary').textContent()) ?? '', /3-fold out-of-sample/);
    assert.ok((await page.locator('[data-testid=confusion-groups] rect.bar').count()) >= 1, 'group counts are charted');
    const picked = await page.locator('[data-testid=confusion-groups] input[type=checkbox]:checked').count();
    assert.ok(picked >= 1, 'groups with >= n_min cases are picked');
    await dismissToasts(page);
    await screenshotNotBlank(page, 'relearn-1-groups');
  });

  test('child re-learning ends in the before/after table, the changed faces and an adoption', async () => {
    // Two children at most keep the test short.
    const boxes = page.locator('[data-testid=confusion-groups] input[type=checkbox]:checked');
    while ((await boxes.count()) > 2) await boxes.last().uncheck();
    await page.getByTestId('child-epochs').fill('3');
    // Children at the parent's own learning rate move far enough from this small parent to change answers.
    await page.getByTestId('child-lr-scale').fill('1');
    await page.getByTestId('replay-ratio').fill('1.5');
    // Another combination rule than the published one, chosen in the form.
    await page.getByTestId('relearn-combine').selectOption('gate');
    await page.getByTestId('start-relearn').click();
    await until(page, async () => (await page.getByTestId('relearn-report').count()) > 0, 180_000);
    for (const split of ['valid', 'test']) {
      const table = page.locator(`[data-testid=before-after-${split}] table.per-class tbody tr`);
      assert.equal(await table.count(), 8, `${split}: one row per class`);
    }
    // The view shows the run's own figures, not merely some percentage.
    const report = (await h.service.call('relearn.latest', { parentModelId: parentId }))!;
    for (const s of report.splits) {
      assert.equal((await page.getByTestId(`acc-after-${s.split}`).textContent())?.trim(), `${(s.parentChildren.accuracy * 100).toFixed(1)}%`, `${s.split} accuracy P+C`);
    }
    assert.equal((await page.getByTestId('tau').textContent())?.trim(), report.tau.toFixed(4));
    assert.equal(report.rule, 'gate', 'the run used the rule chosen in the form');
    assert.match((await page.getByTestId('relearn-rule').textContent()) ?? '', /under the rule gate\..*a logistic gate on both distributions/s);
    // The learning rate and replay set in the form reached the children.
    assert.equal(report.childLearningRateScale, 1);
    assert.equal((await page.getByTestId('child-lr-used').textContent())?.trim(), "Children fine-tuned at 1.00 × the parent's learning rate.");
    // (a ratio of 1 never replays more faces than there are cases; the pools may cap 1.5 below 1.5 x cases)
    assert.ok(report.children.some((c) => c.nReplay > c.nCases), report.children.map((c) => `${c.name}: ${c.nCases} cases, ${c.nReplay} replay`).join('; '));
    await page.getByTestId('relearn-rules').locator('summary').click();
    for (const x of report.rules) {
      for (const sp of x.splits) {
        assert.equal((await page.getByTestId(`rule-${x.rule}-${sp.split}`).textContent())?.trim(), `${(sp.parentAccuracy * 100).toFixed(1)}% → ${(sp.accuracy * 100).toFixed(1)}%`, `${x.rule} on ${sp.split}`);
      }
    }
    assert.equal(await page.locator('[data-testid=relearn-rules] tbody tr').count(), 3, 'every rule is listed');
    await page.getByTestId('changed-faces').waitFor();
    await dismissToasts(page);
    await page.getByTestId('relearn-report').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'relearn-2-report');
    await page.getByTestId('adopt-children').click();
    // Children that do worse than the parent on valid or test are adopted only after a confirmation.
    if (report.worseThanParent.length) await page.getByTestId('adopt-confirm-yes').click();
    else assert.equal(await page.getByTestId('adopt-confirm').count(), 0, 'no confirmation when the children do better');
    await until(page, async () => (await page.getByTestId('children-decision').textContent()) === 'adopted', 10_000);
    for (const c of report.children) assert.equal(getModel(h.service.project!, c.modelId)?.status, 'adopted');
    // The first kind of change that has faces shows them as thumbnails, as many as the report counts.
    shown = 0;
    for (const split of ['valid', 'test'] as const) {
      for (const change of ['wrong-to-right', 'right-to-wrong'] as const) {
        if (shown) break;
        await page.getByTestId(`changed-${split}-${change}`).click();
        const expected = report.splits.find((s) => s.split === split)![change === 'wrong-to-right' ? 'wrongToRight' : 'rightToWrong'];
        await until(page, async () => (await page.locator('[data-testid=changed-face]').count()) === Math.min(expected, 48), 10_000);
        shown = expected;
      }
    }
    await page.getByTestId('changed-faces').scrollIntoViewIfNeeded();
    await dismissToasts(page);
    await screenshotNotBlank(page, 'relearn-3-changed');
  });

  test('a changed-face thumbnail opens the changed faces in the review queue', async () => {
    assert.ok(shown >= 0, 'the re-learning test did not get as far as the changed faces');
    assert.ok(shown > 0, 'children at the parent\'s learning rate under the gate change answers on this seeded demo');
    await page.getByTestId('changed-face').first().click();
    await expectReviewList(Math.min(shown, 48));
    await page.keyboard.press('Alt+6');
    await page.getByTestId('relearn-report').waitFor();
  });

  test('exports are written inside the project folder and their paths shown', async () => {
    for (const kind of ['labels', 'model'] as const) {
      await page.getByTestId(`export-${kind}`).click();
      await until(page, async () => (await page.getByTestId(`export-result-${kind}`).count()) > 0, 30_000);
    }
    const labels = (await page.locator('[data-testid=export-result-labels] code').first().textContent())!;
    assert.ok(existsSync(labels), labels);
    assert.match(readFileSync(labels, 'utf8').split('\n')[0], /^sample_id,source_ref/);
    const files = await page.locator('[data-testid=export-result-model] code').allTextContents();
    assert.ok(files.some((f) => f.endsWith('model.json')) && files.every((f) => existsSync(f)), files.join(', '));
    await page.getByTestId('export-panel').scrollIntoViewIfNeeded();
    await dismissToasts(page);
    await screenshotNotBlank(page, 'relearn-4-export');
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.getByTestId('relearn-report').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'relearn-5-dark');
    await page.emulateMedia({ colorScheme: 'light' });
    assert.deepEqual(h.problems, []);
  });
});
