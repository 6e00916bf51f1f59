// The review workflow in real Chromium against the real server, service and SQLite file of
// the demo project: the queue opens in its default order, faces are relabelled by keyboard,
// one decision is undone, then the server is stopped and a new one started on the same file;
// after a reload the relabels are there, the undone one is not, the queue resumes at the
// face where the reviewer stopped, and the detail panel says how each face will train. Screenshots (light, dark, help) must not be blank.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { CLASS_NAMES, type SampleId } from '../../api/domain.ts';
import { startServer } from '../../electron/server/start-server.ts';
import { AppService } from '../../electron/service/app-service.ts';
import { screenshotNotBlank, startHarness, type Harness } from './harness.ts';

let h: Harness;
let page: Page;
let projectPath: string;
/** The server and service started after the restart (the harness closes only its own). */
let restarted: { server: Awaited<ReturnType<typeof startServer>>; service: AppService } | null = null;

const detailId = async (p: Page) => Number(await p.getByTestId('face-detail').getAttribute('data-sample-id'));
const tileId = async (p: Page, i: number) => Number(await p.locator(`[data-testid=face-grid] [data-index="${i}"]`).getAttribute('data-sample-id'));

/** Waits until the detail panel shows face `id` (the UI moved there and loaded it). */
async function waitForDetail(p: Page, id: number): Promise<void> {
  await p.waitForFunction((want) => Number(document.querySelector('[data-testid=face-detail]')?.getAttribute('data-sample-id')) === want, id, { timeout: 10_000 });
}

async function openReview(p: Page): Promise<void> {
  await p.keyboard.press('Alt+4');
  await p.getByTestId('view-review').waitFor();
  await p.getByTestId('face-detail').waitFor({ timeout: 20_000 });
  await p.waitForFunction(() => Number(document.querySelector('[data-testid=face-grid]')?.getAttribute('data-total')) > 0);
}

describe('review queue in Chromium (browser mode)', { timeout: 170_000 }, () => {
  before(async () => {
    h = await startHarness();
    page = h.page;
    const info = await h.service.openDemo();
    projectPath = info.path;
  });
  after(async () => {
    await h?.close();
    await restarted?.server.close();
    await restarted?.service.dispose();
  });

  const ids: number[] = [];
  let given: (number | null)[] = [];
  /** A class other than face i's given label (so the relabel really changes it), and its key. */
  const newLabel = (i: number, shift: number) => ((given[i] ?? 0) + shift) % 8;
  const keyFor = (label: number) => String(label + 1);

  test('the queue opens in the default order with the first face in detail', async () => {
    await page.goto(h.server.url);
    await page.getByTestId('view-project').waitFor();
    await openReview(page);
    // A fresh demo project has no analysed model: the order falls back to annotator disagreement, and says so.
    assert.match((await page.getByTestId('review-order').textContent()) ?? '', /annotator disagreement \(no model scores\), largest first/);
    const grid = page.getByTestId('face-grid');
    const total = Number(await grid.getAttribute('data-total'));
    assert.ok(total > 100, `${total} faces in the queue`);
    const tiles = await grid.locator('[role=option]').count();
    assert.ok(tiles > 0 && tiles < 400, `${tiles} tiles in the DOM for ${total} faces (virtualised)`);
    for (let i = 0; i < 7; i++) ids.push(await tileId(page, i));
    assert.equal(await detailId(page), ids[0]);
    assert.equal(await page.getByTestId('review-counter').getAttribute('data-reviewed'), '0');
    given = await Promise.all(ids.map(async (id) => (await h.service.call('faces.get', { id: id as SampleId })).givenLabel));
    // The annotators' labels and their distribution are shown for the current face.
    assert.ok((await page.getByTestId('annotator-labels').locator('.chip').count()) >= 3);
    await screenshotNotBlank(page, 'review-1-start');
  });

  test('relabel three faces by keyboard, mark one ambiguous, undo the last relabel', async () => {
    await page.getByTestId('face-grid').focus();
    await page.keyboard.press(keyFor(newLabel(0, 1)));
    await waitForDetail(page, ids[1]);
    await page.keyboard.press(keyFor(newLabel(1, 2)));
    await waitForDetail(page, ids[2]);
    // The grid shows the decision on the tile at once.
    const tile1 = page.locator('[data-testid=face-grid] [data-index="1"]');
    assert.equal(await tile1.locator('.label').textContent(), CLASS_NAMES[newLabel(1, 2)]);
    assert.equal(await tile1.locator('.mark').count(), 1);
    await page.keyboard.press('a'); // face 2 -> ambiguous
    await waitForDetail(page, ids[3]);
    await page.keyboard.press(keyFor(newLabel(3, 3))); // face 3 relabelled ...
    await waitForDetail(page, ids[4]);
    await page.keyboard.press('u'); // ... undone: back on face 3
    await waitForDetail(page, ids[3]);
    assert.equal(await page.getByTestId('review-status').textContent(), 'not reviewed');
    const history = page.locator('[data-testid=label-history] tr');
    assert.deepEqual(await history.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))), ['undo', 'relabel']);
    assert.equal(await page.locator('[data-testid=label-history] tr.undone').count(), 1);
    await page.keyboard.press('j');
    await waitForDetail(page, ids[4]);
    await page.keyboard.press('ArrowRight');
    await waitForDetail(page, ids[5]);
    await page.waitForFunction(() => document.querySelector('[data-testid=review-counter]')?.getAttribute('data-reviewed') === '3');
    // Every move is saved: wait until the DB holds the face the reviewer stopped at.
    const deadline = Date.now() + 5000;
    while ((await h.service.call('faces.getQueueState', { reviewer: 'reviewer' }))?.sampleId !== ids[5]) {
      assert.ok(Date.now() < deadline, 'the queue position reached the DB');
      await page.waitForTimeout(50);
    }
    await screenshotNotBlank(page, 'review-2-light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await screenshotNotBlank(page, 'review-3-dark');
    await page.keyboard.press('?');
    await page.getByTestId('review-shortcuts').waitFor();
    await screenshotNotBlank(page, 'review-4-help-dark');
    await page.keyboard.press('Escape');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  test('after a server restart on the same file and a reload, the decisions hold and the queue resumes there', async () => {
    await h.server.close();
    await h.service.dispose();
    const service = new AppService({ transport: 'browser', configDir: join(h.dir, 'config'), demoPath: projectPath, logFile: join(h.dir, 'logs', 'affect-relearn.log') });
    await service.openProject(projectPath);
    restarted = { service, server: await startServer({ service, port: 0, host: '127.0.0.1' }) };
    await page.goto(restarted.server.url);
    await page.getByTestId('view-project').waitFor();
    await openReview(page);
    await waitForDetail(page, ids[5]);
    assert.equal(await page.getByTestId('face-grid').locator('[aria-selected=true]').getAttribute('data-index'), '5');
    assert.equal(await page.getByTestId('review-counter').getAttribute('data-reviewed'), '3');

    const face = (i: number) => service.call('faces.get', { id: ids[i] as SampleId });
    const [f0, f1, f2, f3] = await Promise.all([face(0), face(1), face(2), face(3)]);
    assert.deepEqual([f0.currentLabel, f0.lastAction], [newLabel(0, 1), 'relabel']);
    assert.deepEqual([f1.currentLabel, f1.lastAction], [newLabel(1, 2), 'relabel']);
    assert.deepEqual([f2.currentLabel, f2.lastAction], [given[2], 'ambiguous']);
    assert.deepEqual([f3.currentLabel, f3.reviewed], [given[3], false], 'the undone relabel is not kept');
    assert.deepEqual(f3.history.map((x) => x.action), ['relabel', 'undo']);

    // Back to the first face by keyboard: its new label and its history are shown. On the way,
    // the face marked ambiguous says it is left out of training.
    for (let i = 0; i < 3; i++) await page.keyboard.press('k');
    await waitForDetail(page, ids[2]);
    assert.equal(await page.getByTestId('face-training').textContent(), 'left out of training: marked ambiguous by a reviewer');
    for (let i = 0; i < 2; i++) await page.keyboard.press('k');
    await waitForDetail(page, ids[0]);
    const name = CLASS_NAMES[newLabel(0, 1)];
    assert.equal(await page.getByTestId('face-training').textContent(), `trains as ${name}: a reviewer's decision, over the votes`);
    assert.match((await page.getByTestId('current-label').textContent()) ?? '', new RegExp(`${name}\\s*relabel`));
    assert.match((await page.getByTestId('label-history').textContent()) ?? '', new RegExp(`reviewer.*relabel → ${name}`, 's'));
    await screenshotNotBlank(page, 'review-5-resumed');

    // Esc in a filter gives the keys back to the faces; End jumps to the last face (a page read by offset).
    await page.getByTestId('review-split').focus();
    await page.keyboard.press('j');
    await waitForDetail(page, ids[0]);
    await page.keyboard.press('Escape');
    await page.keyboard.press('End');
    const total = Number(await page.getByTestId('face-grid').getAttribute('data-total'));
    // The cursor moves at once; the tile learns its face when the last page arrives: wait for both.
    await page.waitForFunction((last) => {
      const tile = document.querySelector('[data-testid=face-grid] [aria-selected=true]');
      return tile?.getAttribute('data-index') === String(last) && tile.hasAttribute('data-sample-id');
    }, total - 1, { timeout: 10_000 });
    const lastId = Number(await page.locator('[data-testid=face-grid] [aria-selected=true]').getAttribute('data-sample-id'));
    assert.ok(lastId > 0, `the last tile names its face (${lastId})`);
    await waitForDetail(page, lastId);
    assert.deepEqual(h.problems, []);
  });
});
