// The review tools in real Chromium against the real server and SQLite file of the demo
// project: faces selected in the grid with Ctrl-/Shift-click and Shift+j, their suggested
// labels accepted with Shift+S as ONE batch of the audit trail and taken back by ONE undo; a
// tag put on a face with t, the queue filtered by it, and a review key working right after
// the filter was chosen (no click); a note written with m landing in the audit trail; and a
// saved view re-opened at its face after the queue was changed.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { createModel } from '../../db/model-store.ts';
import { upsertScores } from '../../db/score-store.ts';
import { screenshotNotBlank, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
let seeded: { ids: number[]; given: Map<number, number>; suggested: Map<number, number> };

/**
 * A scored model written into the demo file (an analysis would take minutes and prove nothing
 * more about these tools): KL decreasing with the index so the queue's order is the list's, and
 * on every other face a predicted class that differs from the given label (a suggestion).
 */
function seedScores(h: Harness): typeof seeded {
  const db = h.service.project!;
  const rows = db.stmt<[], { id: number; given_label: number }>("SELECT id, given_label FROM samples WHERE split = 'train' AND given_label BETWEEN 0 AND 7 ORDER BY id LIMIT 30").all();
  const model = createModel(db, { kind: 'cnn', name: 'seeded', filePath: 'seeded.json', inputSize: { height: 48, width: 48 } });
  const suggested = new Map<number, number>();
  rows.forEach((r, i) => {
    if (i % 2 === 0) suggested.set(r.id, (r.given_label + 3) % 8);
  });
  upsertScores(db, model, rows.map((r, i) => ({ sampleId: r.id, klAnnotator: 3 - i / 30, maxSoftmax: 0.7, predictedLabel: suggested.get(r.id) ?? r.given_label })));
  return { ids: rows.map((r) => r.id), given: new Map(rows.map((r) => [r.id, r.given_label])), suggested };
}

type Row = { id: number; sample_id: number; action: string; label: number | null; note: string | null; batch_id: number | null; reverts_id: number | null };
const auditRows = () => h.service.project!.stmt<[], Row>('SELECT id, sample_id, action, label, note, batch_id, reverts_id FROM relabels ORDER BY id').all();
const currentLabel = (id: number) => h.service.project!.stmt<[number], number>('SELECT current_label FROM sample_labels WHERE sample_id = ?', 'pluck').get(id);
const tile = (i: number) => `[data-testid=face-grid] [data-index="${i}"]`;
const shown = async () => Number(await page.getByTestId('face-detail').getAttribute('data-sample-id'));

/** Waits until the panel shows the face under the cursor and no decision is in flight. */
async function settle(): Promise<void> {
  await page.waitForFunction(() => {
    const panel = document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id');
    const cursor = document.querySelector('[data-testid=face-grid] .tile.current')?.getAttribute('data-sample-id');
    return !!panel && panel === cursor && !document.querySelector('[data-testid=face-detail] .actions button[disabled]');
  }, undefined, { timeout: 10_000 });
  await page.waitForTimeout(150);
}

async function waitForRows(n: number): Promise<Row[]> {
  for (let i = 0; i < 100 && auditRows().length < n; i++) await page.waitForTimeout(100);
  return auditRows();
}

describe('review tools (Chromium, browser mode)', { timeout: 170_000 }, () => {
  before(async () => {
    h = await startHarness();
    page = h.page;
    await h.service.openDemo();
    seeded = seedScores(h);
  });
  after(async () => {
    await h?.close();
  });

  test('multi-select and Shift+S accept the suggestions as one batch; one undo takes them all back', async () => {
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await page.keyboard.press('Alt+4');
    await page.getByTestId('face-detail').waitFor({ timeout: 20_000 });
    await settle();
    assert.equal(await shown(), seeded.ids[0], 'the queue is the seeded model in KL order');
    // The grid shows the suggestion of face 0.
    await page.locator(`${tile(0)} [data-testid=tile-suggestion]`).waitFor();

    await page.click(tile(1));
    await page.click(tile(2), { modifiers: ['Control'] });
    await page.click(tile(4), { modifiers: ['Shift'] });
    await settle();
    await page.keyboard.press('Shift+J');
    await settle();
    const chosen = [2, 3, 4, 5].map((i) => seeded.ids[i]);
    assert.equal(await page.getByTestId('selection-count').getAttribute('data-count'), '4');
    for (const i of [2, 3, 4, 5]) assert.equal(await page.locator(tile(i)).getAttribute('data-selected'), 'true', `tile ${i} selected`);
    assert.equal(await page.locator(tile(1)).getAttribute('data-selected'), null);

    await page.keyboard.press('Shift+S');
    const withSuggestion = chosen.filter((id) => seeded.suggested.has(id));
    const rows = await waitForRows(withSuggestion.length);
    assert.deepEqual(rows.map((r) => r.sample_id).sort(), [...withSuggestion].sort());
    assert.equal(new Set(rows.map((r) => r.batch_id)).size, 1, 'one batch');
    assert.notEqual(rows[0].batch_id, null);
    for (const id of withSuggestion) assert.equal(currentLabel(id), seeded.suggested.get(id));
    await page.waitForFunction(() => document.querySelector('[data-testid=selection-count]')?.getAttribute('data-count') === '0');
    await settle();

    await page.keyboard.press('u');
    const all = await waitForRows(2 * withSuggestion.length);
    await settle();
    const undos = all.slice(withSuggestion.length);
    assert.ok(undos.every((r) => r.action === 'undo'), 'one key press wrote an undo for every face of the batch');
    assert.equal(new Set(undos.map((r) => r.batch_id)).size, 1);
    for (const id of withSuggestion) assert.equal(currentLabel(id), seeded.given.get(id), `face ${id} back to its label`);
    await page.waitForTimeout(300);
    assert.equal(auditRows().length, 2 * withSuggestion.length, 'nothing else was written');
    await screenshotNotBlank(page, 'review-tools');
    assert.deepEqual(h.problems, []);
  });

  test('t tags the shown face, the tag filter shows it, and a key works right after choosing the filter', async () => {
    await page.keyboard.press('Home');
    await settle();
    const face = await shown();
    await page.keyboard.press('t');
    await page.waitForFunction(() => document.activeElement?.id === 'review-tag-input');
    await page.keyboard.type('glasses');
    await page.keyboard.press('Enter');
    await page.getByTestId('face-tag').filter({ hasText: 'glasses' }).waitFor();
    await page.selectOption('[data-testid=review-tag]', 'glasses');
    await page.waitForFunction(() => document.querySelector('[data-testid=review-counter]')?.getAttribute('data-total') === '1');
    await settle();
    assert.equal(await shown(), face);
    // No click: the filter handed the keyboard back to the faces.
    const before = auditRows().length;
    await page.keyboard.press('c');
    const rows = await waitForRows(before + 1);
    assert.deepEqual(rows.slice(before).map((r) => [r.sample_id, r.action]), [[face, 'confirm']]);
    assert.deepEqual(h.problems, []);
  });

  test('m writes a note that lands in the audit trail with the next decision', async () => {
    await page.selectOption('[data-testid=review-tag]', '');
    await page.waitForFunction(() => document.querySelector('[data-testid=review-counter]')?.getAttribute('data-total') === '30');
    await settle();
    await page.keyboard.press('j');
    await settle();
    const face = await shown();
    await page.keyboard.press('m');
    await page.waitForFunction(() => document.activeElement?.id === 'review-note-input');
    await page.keyboard.type('hand over the mouth');
    await page.keyboard.press('Enter');
    const before = auditRows().length;
    await page.keyboard.press('2');
    const rows = await waitForRows(before + 1);
    assert.deepEqual(rows.slice(before).map((r) => [r.sample_id, r.label, r.note]), [[face, 1, 'hand over the mouth']]);
    await settle();
    // The note went with that decision only.
    const next = auditRows().length;
    await page.keyboard.press('c');
    assert.equal((await waitForRows(next + 1)).at(-1)!.note, null);
    assert.deepEqual(h.problems, []);
  });

  test('a saved view re-opens its filters, order and face after the queue changed', async () => {
    // One step at a time, each waited for: the previous test's last decision may still be moving
    // the cursor when Home arrives on a loaded machine.
    const at = (id: number) => page.waitForFunction((want) => document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id') === String(want), id, { timeout: 10_000 });
    await settle();
    await page.keyboard.press('Home');
    await at(seeded.ids[0]);
    for (let i = 1; i <= 6; i++) {
      await page.keyboard.press('j');
      await at(seeded.ids[i]);
    }
    await settle();
    const face = await shown();
    assert.equal(face, seeded.ids[6]);
    await page.fill('[data-testid=view-name]', 'from seven');
    await page.click('[data-testid=save-view]');
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=review-views] option')].some((o) => o.textContent === 'from seven'));
    // Change the queue: only faces not yet reviewed, back at its top.
    await page.selectOption('[data-testid=review-reviewed]', 'no');
    await settle();
    assert.notEqual(await shown(), face);
    await page.selectOption('[data-testid=review-views]', 'from seven');
    await page.waitForFunction((id) => document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id') === String(id), face);
    await settle();
    assert.equal(await page.locator('[data-testid=review-reviewed]').inputValue(), '');
    assert.equal(await page.locator('[data-testid=face-grid] .tile.current').getAttribute('data-index'), '6');
    assert.equal(h.service.project!.stmt<[], number>("SELECT count(*) FROM review_queues WHERE key = 'view:from seven'", 'pluck').get(), 1);
    assert.deepEqual(h.problems, []);
  });
});
