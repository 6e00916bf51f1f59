// Evaluation, re-learning decisions and exports in real Chromium against the real back end,
// on the demo project. Two models are given fixed predictions on the test split (written to
// the project file; no training needed to check what the views do with them): a confusion
// cell opens exactly its faces in Review, and a comparison shows both matrices with the
// accuracy difference in points and McNemar's test. A stored re-learning run whose children
// do worse on test asks for confirmation, with the numbers, before they are adopted. Exports
// download through the browser: the files land in Chromium's downloads with the right content.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { NUM_CLASSES, type ModelId } from '../../api/domain.ts';
import { openProject, type ProjectDb } from '../../db/connection.ts';
import { createModel } from '../../db/model-store.ts';
import { writePredictions } from '../../db/prediction-store.ts';
import { referenceLabels } from '../../electron/service/ops/evaluation.ts';
import { storeRelearnRun } from '../../electron/service/ops/relearn-result.fixture.ts';
import { screenshotNotBlank, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
let db: ProjectDb;

const HAPPY = 1;
const ANGER = 6;
const NEUTRAL = 0;

async function failOnToastError(p: Page): Promise<void> {
  if (await p.getByTestId('toast-error').count()) throw new Error(`the app reported: ${(await p.getByTestId('toast-error').first().textContent())?.trim()}`);
}

/** A model that predicts `answer(i, reference)` for every published-labelled test face. */
function fixedModel(name: string, ids: Int32Array, answer: (i: number) => number): ModelId {
  const m = createModel(db, { kind: 'cnn', name, filePath: `${name}.none`, inputSize: { height: 48, width: 48 } });
  const probs = new Float32Array(ids.length * NUM_CLASSES);
  ids.forEach((_, i) => (probs[i * NUM_CLASSES + answer(i)] = 1));
  writePredictions(db, m, { sampleIds: Array.from(ids), probs });
  return m as ModelId;
}

describe('Review v2 in Chromium (browser mode)', { timeout: 300_000 }, () => {
  let cellFaces: number[] = [];
  let n = 0;
  let relearnRun = 0;

  before(async () => {
    h = await startHarness();
    page = h.page;
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await page.getByTestId('mode-demo').click();
    await page.getByTestId('project-submit').click();
    await page.getByTestId('project-summary').waitFor({ timeout: 90_000 });
    db = openProject(join(h.dir, 'demo.arproj'));
    const ref = referenceLabels(db, 'test', 'published');
    const keep = Array.from(ref.ids.keys()).filter((i) => ref.labels[i] >= 0);
    const ids = Int32Array.from(keep, (i) => ref.ids[i]);
    const labels = keep.map((i) => ref.labels[i]);
    n = ids.length;
    // Model A: right everywhere but 5 happy faces it calls anger.
    const happy = labels.flatMap((l, i) => (l === HAPPY ? [i] : [])).slice(0, 5);
    cellFaces = happy.map((i) => ids[i]).sort((a, b) => a - b);
    fixedModel('model-a', ids, (i) => (happy.includes(i) ? ANGER : labels[i]));
    // Model B: right everywhere but 30 non-neutral faces (none of A's 5) it calls neutral.
    const wrongB = labels.flatMap((l, i) => (l !== NEUTRAL && !happy.includes(i) ? [i] : [])).slice(0, 30);
    fixedModel('model-b', ids, (i) => (wrongB.includes(i) ? NEUTRAL : labels[i]));
    // The newest parent, so the Re-learn view opens on it (no model has an analysis).
    relearnRun = storeRelearnRun(db, { accuracy: { valid: [0.6, 0.625], test: [0.6, 0.59] } }).runId;
  });
  after(async () => {
    db?.close();
    await h?.close();
  });

  test('a confusion-matrix cell opens exactly its faces in Review', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByTestId('view-evaluation').waitFor();
    const options = await page.locator('[data-testid=eval-model] option').allTextContents();
    const a = options.find((o) => o.includes('model-a'));
    assert.ok(a, `model-a is offered (${options.join(', ')})`);
    await page.getByTestId('eval-model').selectOption({ label: a });
    await page.getByTestId('eval-split').selectOption('test');
    await page.getByTestId('run-evaluation').click();
    await page.getByTestId('evaluation-result').waitFor({ timeout: 30_000 });
    const cell = page.locator(`[data-testid=eval-heatmap] g.cell[data-cell="${HAPPY}-${ANGER}"]`);
    assert.equal(Number(await cell.locator('text.count').textContent()), 5);
    await cell.click();
    await page.waitForFunction(() => document.querySelector('nav button.nav-item.active')?.getAttribute('data-view') === 'review', undefined, { timeout: 10_000 });
    await page.getByTestId('review-list').waitFor({ timeout: 10_000 });
    await page.waitForFunction(() => document.querySelector('[data-testid=review-counter]')?.getAttribute('data-total') === '5', undefined, { timeout: 10_000 });
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=face-grid] [data-sample-id]').length >= 5, undefined, { timeout: 10_000 });
    const shown = (await page.locator('[data-testid=face-grid] [data-sample-id]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-sample-id'))))).filter((x) => x > 0);
    assert.deepEqual([...shown].sort((x, y) => x - y), cellFaces);
    assert.match((await page.getByTestId('review-list').textContent()) ?? '', /happy → anger/);
    // Back in the full queue, the model menu offers to analyse the models without scores, with their estimate.
    await page.getByTestId('leave-list').click();
    await page.getByTestId('review-toolbar').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=review-model] optgroup option').length >= 3, undefined, { timeout: 10_000 });
    const offers = await page.locator('[data-testid=review-model] optgroup option').allTextContents();
    const offerA = offers.find((o) => /^Analyse #\d+ model-a \(cnn\), duration unknown$/.test(o));
    assert.ok(offerA, `model-a is offered for analysis (${offers.join(' | ')})`);
    await page.getByTestId('review-model').selectOption({ label: offerA });
    assert.match((await page.getByTestId('review-analyse-offer').textContent()) ?? '', /with 5 folds: unknown \(the model has no recorded training epochs/);
    await page.getByRole('button', { name: 'Not now' }).click();
    assert.equal(await page.getByTestId('review-analyse-offer').count(), 0);
    await failOnToastError(page);
  });

  test('a comparison shows both matrices, the difference in points and McNemar', async () => {
    await page.keyboard.press('Alt+3');
    await page.getByTestId('view-evaluation').waitFor();
    const options = await page.locator('[data-testid=eval-compare] option').allTextContents();
    await page.getByTestId('eval-compare').selectOption({ label: options.find((o) => o.includes('model-b'))! });
    await page.getByTestId('run-evaluation').click();
    await page.getByTestId('compare-summary').waitFor({ timeout: 30_000 });
    assert.equal(await page.locator('[data-testid=compare-heatmap-a] g.cell').count(), 64);
    assert.equal(await page.locator('[data-testid=compare-heatmap-b] g.cell').count(), 64);
    // B is wrong on 30 faces A gets right, A on 5 that B gets right: B - A = -25 faces.
    const points = ((-25 / n) * 100).toFixed(1);
    assert.equal(await page.getByTestId('compare-points').textContent(), `−${points.slice(1)} points`);
    const mcnemar = (await page.getByTestId('compare-mcnemar').textContent()) ?? '';
    // 35 discordant faces: chi-square, (|30 - 5| - 1)^2 / 35 = 16.46, p < 0.001.
    assert.match(mcnemar, /chi-square with continuity correction, χ² = 16\.46, p < 0\.001/);
    assert.match(mcnemar, /30 only #\d+, 5 only #\d+/);
    assert.doesNotMatch((await page.getByTestId('comparison').textContent()) ?? '', /\(\+?-?0\.\d{3}\)/, 'no difference as a bare fraction');
    await page.getByTestId('comparison').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'review-v2-comparison');
    await failOnToastError(page);
    assert.deepEqual(h.problems, []);
  });

  test('adopting children that do worse on test asks first, with the numbers', async () => {
    await page.keyboard.press('Alt+6');
    await page.getByTestId('view-relearn').waitFor();
    await page.getByTestId('relearn-report').waitFor({ timeout: 20_000 });
    assert.match((await page.getByTestId('children-worse').textContent()) ?? '', /test \(60\.0% → 59\.0%, −1\.0 points\)/);
    // Discard is the primary action here; adopting only opens the confirmation.
    assert.ok(await page.getByTestId('discard-children').evaluate((b) => b.classList.contains('primary')));
    assert.ok(!(await page.getByTestId('adopt-children').evaluate((b) => b.classList.contains('primary'))));
    await page.getByTestId('adopt-children').click();
    const confirm = page.getByTestId('adopt-confirm');
    await confirm.waitFor();
    assert.match((await confirm.textContent()) ?? '', /test: parent alone 60\.0%, parent \+ children 59\.0% \(−1\.0 points\)/);
    assert.doesNotMatch((await confirm.textContent()) ?? '', /valid:/, 'valid improved: not listed');
    assert.equal(await page.getByTestId('children-decision').textContent(), 'undecided', 'nothing decided before the confirmation');
    await confirm.scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'review-v2-adopt-confirm');
    await page.getByTestId('adopt-confirm-yes').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=children-decision]')?.textContent === 'adopted', undefined, { timeout: 10_000 });
    assert.match((await page.getByTestId('children-decisions').textContent()) ?? '', /adopted .*\(confirmed although worse than the parent\)/);
    const report = await h.service.call('relearn.latest', { parentModelId: (await h.service.call('relearn.parents', {})).sort((a, b) => b.id - a.id)[0].id });
    assert.equal(report?.runId, relearnRun);
    assert.deepEqual(report?.decisions.map((d) => [d.decision, d.worseAccepted]), [['adopted', true]]);
    await failOnToastError(page);
  });

  test('exports download through the browser with the right content', async () => {
    const face = cellFaces[0];
    await h.service.call('labels.relabel', { sampleId: face as never, action: 'relabel', label: 2 as never, reviewer: 'e2e' });
    await page.getByTestId('export-panel').scrollIntoViewIfNeeded();
    const [labels] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-labels').click()]);
    assert.equal(labels.suggestedFilename(), 'Demo-faces-labels.csv');
    const csv = readFileSync((await labels.path())!, 'utf8').trimEnd().split('\n');
    assert.match(csv[0], /^sample_id,source_ref,dataset,split,given_label,current_label,last_decision,reviewer,decided_at$/);
    const faces = db.stmt<[], number>('SELECT count(*) FROM samples', 'pluck').get()!;
    assert.equal(csv.length - 1, faces, 'one row per face');
    const row = csv.find((l) => l.startsWith(`${face},`))!.split(',');
    assert.deepEqual([row[4], row[5], row[6], row[7]], ['happy', 'sad', 'relabel', 'e2e'], 'the decision just made is in the file');
    await page.getByTestId('delivered-labels').waitFor();
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-report').click()]);
    assert.match(report.suggestedFilename(), /^Demo-faces-report-model-\d+\.html$/);
    const html = readFileSync((await report.path())!, 'utf8');
    assert.match(html, /Decision on the children: <b>adopted<\/b>/);
    assert.match(html, /<b>1<\/b> faces reviewed \(latest decision: 1 relabel\)/);
    assert.match(html, /<tr><td>happy → sad<\/td><td>1<\/td><\/tr>/);
    await page.getByTestId('export-panel').scrollIntoViewIfNeeded();
    await screenshotNotBlank(page, 'review-v2-downloads');
    await failOnToastError(page);
    assert.deepEqual(h.problems, []);
  });
});
