// Every review decision lands on the face the person saw, in real Chromium against the real
// server and SQLite file of the demo project. Keys are sent a few milliseconds apart (faster
// than a round trip to the service) and Enter is held so the system repeats it. The page
// records, at the moment each decision leaves for the service, which face the detail panel
// shows; the audit trail in the project file must name exactly those faces, every one of them
// displayed, and a held Enter must confirm one face only. Then the detail panel of a train
// face scored out-of-fold must lead with that distribution, labelled so, the model's own
// output second; and the Project view counts the reviewed faces as Review does, live.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CLASS_NAMES } from '../../api/domain.ts';
import { createModel, stampLabelVersion } from '../../db/model-store.ts';
import { labelVersion } from '../../db/relabel-store.ts';
import { writePredictions } from '../../db/prediction-store.ts';
import { upsertScores } from '../../db/score-store.ts';
import { startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
let seeded: ReturnType<typeof seedOutOfFoldAnalysis>;

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

/**
 * A model and its k-fold analysis written into the demo file: the parent's own output fits
 * each train face's given label (as a model does on faces it trained on), the out-of-fold
 * output leans elsewhere, and the scores say they came from the latter (as analysis-scores.ts
 * records). Training five fold models here would take minutes and prove nothing more about
 * the panel.
 */
function seedOutOfFoldAnalysis(h: Harness): { faces: number[]; oofPredicted: Map<number, number> } {
  const db = h.service.project!;
  const rows = db.stmt<[], { id: number; given_label: number }>("SELECT id, given_label FROM samples WHERE split = 'train' AND given_label BETWEEN 0 AND 7 ORDER BY id LIMIT 40").all();
  const parent = createModel(db, { kind: 'cnn', name: 'seeded parent', filePath: 'seeded.json', inputSize: { height: 48, width: 48 } });
  const oof = createModel(db, { kind: 'cnn', name: 'out-of-fold (5-fold) of seeded parent', filePath: 'seeded.json', inputSize: { height: 48, width: 48 }, structure: { role: 'out-of-fold', ofModel: parent, folds: 5 } });
  const own = new Float32Array(rows.length * 8).fill(0.01);
  const held = new Float32Array(rows.length * 8).fill(0.05);
  const oofPredicted = new Map<number, number>();
  rows.forEach((r, i) => {
    own[i * 8 + r.given_label] = 0.93;
    const other = (r.given_label + 4) % 8;
    held[i * 8 + other] = 0.65;
    oofPredicted.set(r.id, other);
  });
  const ids = rows.map((r) => r.id);
  writePredictions(db, parent, { sampleIds: ids, probs: own });
  writePredictions(db, oof, { sampleIds: ids, probs: held, folds: ids.map((_, i) => i % 5) });
  // An out-of-fold set counts once stamped with the labels it was computed on (analysis's last write).
  stampLabelVersion(db, oof, labelVersion(db));
  upsertScores(db, parent, rows.map((r, i) => ({ sampleId: r.id, klAnnotator: 2 - i / 40, predictedLabel: oofPredicted.get(r.id)!, selfConfidence: 0.05, extra: { split: 'train', source: 'out-of-fold', fold: i % 5 } })));
  return { faces: ids, oofPredicted };
}

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
    seeded = seedOutOfFoldAnalysis(h);
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
    // What reached the file is what was sent, in order (a relabel to the class a face already
    // has is stored as a confirm), and each was sent for the face on screen.
    assert.deepEqual(rows.map((r) => r.sample_id), sent.map((d) => d.sampleId));
    rows.forEach((r, i) => assert.ok(r.action === sent[i].action || (sent[i].action === 'relabel' && r.action === 'confirm'), `row ${i}: ${r.action} for ${sent[i].action}`));
    for (const d of sent) assert.equal(d.sampleId, d.shown, `decision ${d.action} on face ${d.sampleId} was sent while face ${d.shown} was shown`);
    for (const r of rows) assert.ok(shown.has(r.sample_id), `face ${r.sample_id} was decided but never displayed`);
    // Each decision moved on to the next face, so no face took two of them.
    assert.equal(new Set(rows.map((r) => r.sample_id)).size, rows.length, 'no face was decided twice');
    assert.deepEqual(h.problems, []);
  });

  test('a train face scored out-of-fold shows that distribution first, labelled, the model\'s own output second', async () => {
    await page.keyboard.press('Home');
    await settle(page);
    const id = Number(await page.getByTestId('face-detail').getAttribute('data-sample-id'));
    assert.ok(seeded.faces.includes(id), `the queue is the seeded model's (face ${id})`);
    const legend = await page.locator('[data-testid=face-distribution] .legend .key').allTextContents();
    assert.match(legend[0], /^out-of-fold model \(fold \d\)$/);
    assert.match(legend[1], /own output/);
    assert.match((await page.getByTestId('model-source').textContent()) ?? '', new RegExp(`^${CLASS_NAMES[seeded.oofPredicted.get(id)!]} .*out-of-fold model`));
    await page.getByTestId('score-source').waitFor();
    // The first bar of the out-of-fold class is the out-of-fold probability, not the parent's 1%.
    const row = page.locator('[data-testid=face-distribution] tr').nth(seeded.oofPredicted.get(id)!);
    const bars = (await row.locator('.val').allTextContents()).map((x) => x.trim());
    assert.deepEqual(bars.slice(0, 2), ['65%', '1%']);
    assert.deepEqual(h.problems, []);
  });

  test('the Project view counts the same reviewed faces as Review, without a reload', async () => {
    const inReview = Number(await page.getByTestId('review-counter').getAttribute('data-reviewed'));
    const effective = h.service.project!.stmt<[], { n: number }>("SELECT count(DISTINCT sample_id) AS n FROM relabels r WHERE action <> 'undo' AND NOT EXISTS (SELECT 1 FROM relabels u WHERE u.reverts_id = r.id)").get()!.n;
    // Every decision of this file was on the seeded model's faces, which are the whole queue.
    assert.equal(inReview, effective);
    await page.keyboard.press('Alt+1');
    await page.waitForFunction((n) => document.querySelector('[data-testid=reviewed-faces]')?.getAttribute('data-reviewed') === String(n), effective, { timeout: 10_000 });
    // One more decision in Review shows in the Project view on the next visit.
    await page.keyboard.press('Alt+4');
    await settle(page);
    await page.keyboard.press('End');
    await settle(page);
    await page.keyboard.press('n');
    await settle(page);
    await page.keyboard.press('Alt+1');
    await page.waitForFunction((n) => document.querySelector('[data-testid=reviewed-faces]')?.getAttribute('data-reviewed') === String(n), effective + 1, { timeout: 10_000 });
    assert.deepEqual(h.problems, []);
  });
});
