// Every review decision lands on the face the person saw, in real Chromium against the real
// server and SQLite file of the demo project. Keys are sent a few milliseconds apart (faster
// than a round trip to the service) and Enter is held so the system repeats it. The page
// records, at the moment each decision leaves for the service, which face the detail panel
// shows; the audit trail in the project file must name exactly those faces, every one of them
// displayed, and a held Enter must confirm one face only.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;

interface SentDecision {
  sampleId: number;
  action: string;
  /** The face the detail panel showed when the request was sent. */
  shown: number;
}

/**
 * Runs in the page before the app: every face id the detail panel ever shows (a
 * MutationObserver on its data attribute) and every labels.relabel call as it is sent. Plain
 * JavaScript in a string: a compiled TS function would carry the test runner's helpers along.
 */
const RECORD_IN_PAGE = `
  window.shownFaces = [];
  window.sentDecisions = [];
  const shownNow = () => Number(document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id') ?? NaN);
  new MutationObserver(() => {
    const id = shownNow();
    if (Number.isFinite(id) && window.shownFaces[window.shownFaces.length - 1] !== id) window.shownFaces.push(id);
  }).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-sample-id'] });
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (typeof data === 'string') {
      const msg = JSON.parse(data);
      if (msg.method === 'labels.relabel') window.sentDecisions.push({ sampleId: msg.params.sampleId, action: msg.params.action, shown: shownNow() });
    }
    return send.call(this, data);
  };
`;

const auditRows = () => h.service.project!.stmt<[], { sample_id: number; action: string }>('SELECT sample_id, action FROM relabels ORDER BY id').all();

/** Waits until no decision is in flight and the panel shows the face under the cursor. */
async function settle(p: Page): Promise<void> {
  let rows = -1;
  for (let i = 0; i < 100; i++) {
    await p.waitForFunction(() => {
      const shown = document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id');
      const cursor = document.querySelector('[data-testid=face-grid] [aria-selected=true]')?.getAttribute('data-sample-id');
      return !!shown && shown === cursor && !document.querySelector('[data-testid=face-detail] .actions button[disabled]');
    }, undefined, { timeout: 10_000 });
    await p.waitForTimeout(300);
    const now = auditRows().length;
    if (now === rows) return;
    rows = now;
  }
  assert.fail('the review never settled');
}

describe('review decisions land on the displayed face (Chromium, browser mode)', { timeout: 170_000 }, () => {
  before(async () => {
    h = await startHarness();
    page = h.page;
    await h.service.openDemo();
    await page.addInitScript({ content: RECORD_IN_PAGE });
  });
  after(async () => {
    await h?.close();
  });

  test('keys a few ms apart and a held Enter decide only faces that were on screen', async () => {
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await page.keyboard.press('Alt+4');
    await page.getByTestId('face-detail').waitFor({ timeout: 20_000 });
    await page.getByTestId('face-grid').focus();
    await settle(page);
    assert.equal(auditRows().length, 0);

    // A burst: moves and decisions interleaved, none waiting for the last to finish. "3" "3"
    // used to relabel a second face before it was shown, and "j" then "3" the face under the
    // moved cursor while the panel still showed the previous one.
    const burst = ['3', '3', 'j', '2', 'a', 'j', 'j', '5', 'c', 'n', 'j', '7', '7', 'Enter', 'j', '4'];
    await Promise.all(burst.map((k) => page.keyboard.press(k)));
    await settle(page);
    const afterBurst = auditRows();
    assert.ok((await page.evaluate(() => (window as unknown as { shownFaces?: number[] }).shownFaces?.length ?? 0)) > 1, 'the page recorded the faces it showed');
    // Between the burst's keys a decision that found its face on screen goes through; one
    // sent while the panel lagged is dropped. The first key met a settled panel.
    assert.ok(afterBurst.length >= 1, 'the burst decided at least one face');

    // A held Enter: one keydown, then the system's repeats every ~33 ms for 0.3 s.
    await page.keyboard.down('Enter');
    for (let i = 0; i < 9; i++) {
      await page.waitForTimeout(33);
      await page.keyboard.down('Enter');
    }
    await page.keyboard.up('Enter');
    await settle(page);
    const rows = auditRows();
    const held = rows.slice(afterBurst.length);
    assert.deepEqual(held.map((r) => r.action), ['confirm'], 'a held Enter confirms exactly one face');

    const sent = await page.evaluate(() => (window as unknown as { sentDecisions: SentDecision[] }).sentDecisions);
    const shown = new Set(await page.evaluate(() => (window as unknown as { shownFaces: number[] }).shownFaces));
    // What reached the file is what was sent, in order, and each was sent for the face on screen.
    assert.deepEqual(rows.map((r) => [r.sample_id, r.action]), sent.map((d) => [d.sampleId, d.action]));
    for (const d of sent) assert.equal(d.sampleId, d.shown, `decision ${d.action} on face ${d.sampleId} was sent while face ${d.shown} was shown`);
    for (const r of rows) assert.ok(shown.has(r.sample_id), `face ${r.sample_id} was decided but never displayed`);
    // Each decision moved on to the next face, so no face took two of them.
    assert.equal(new Set(rows.map((r) => r.sample_id)).size, rows.length, 'no face was decided twice');
    assert.deepEqual(h.problems, []);
  });
});
