// Analysis and re-learning through the service, in real worker threads, on the demo project:
// events arrive, the latest analysis and re-learning are read back, the changed faces agree
// with the counts of the routing, adopting marks the children, and the HTML report exports.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EventName } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import { getModel } from '../../../db/model-store.ts';
import { AppService } from '../app-service.ts';

let dir: string;
let service: AppService;
const events: { name: EventName; payload: Record<string, unknown> }[] = [];
let parentId: ModelId;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-relearn-jobs-'));
  service = new AppService({ transport: 'test', configDir: dir, backend: async () => null, checkContract: true });
  service.onEvent((name, payload) => events.push({ name, payload: payload as unknown as Record<string, unknown> }));
  await service.call('projects.createDemo', { path: join(dir, 'demo.arproj') });
});
after(async () => {
  // Every event the analysis and re-learning jobs pushed kept its schema in the contract.
  assert.deepEqual(service.contractBreaches, []);
  await service.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function waitFor(name: EventName, match: (p: Record<string, unknown>) => boolean, timeoutMs = 240_000): Promise<Record<string, unknown>> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const t = setInterval(() => {
      const e = events.find((x) => x.name === name && match(x.payload));
      if (e) {
        clearInterval(t);
        resolve(e.payload);
      } else if (Date.now() - started > timeoutMs) {
        clearInterval(t);
        reject(new Error(`no ${name} within ${timeoutMs} ms; got ${events.map((x) => x.name).join(', ')}`));
      }
    }, 25);
  });
}

test('analysis and re-learning run as jobs and their results read back', async () => {
  const { runId } = await service.call('training.start', { modelKind: 'dbn', options: { hiddenUnits: [32], pretrainEpochs: 1, epochs: 3, maxSamples: 500, seed: 2 } });
  const trained = await waitFor('training:done', (p) => p.runId === runId);
  assert.equal(trained.status, 'done', String(trained.error));
  const modelId = trained.modelId as ModelId;
  parentId = modelId;

  assert.equal(await service.call('analysis.latest', { modelId }), null);
  const { jobId } = await service.call('analysis.start', { modelId, folds: 2, nMin: 3 });
  const done = await waitFor('analysis:done', (p) => p.jobId === jobId);
  assert.equal(done.status, 'done', String(done.error));
  assert.ok(events.some((e) => e.name === 'analysis:progress' && e.payload.jobId === jobId && e.payload.stage === 'fold'));
  const analysis = (await service.call('analysis.latest', { modelId }))!;
  assert.equal(analysis.runId, done.runId);
  assert.equal(analysis.groups.source, 'out-of-fold');
  assert.equal(analysis.groups.groups.reduce((a, g) => a + g.count, 0), analysis.groups.misclassified);
  assert.ok(analysis.groups.groups.every((g) => g.kept === g.count >= 3));
  const kept = analysis.groups.groups.filter((g) => g.kept).slice(0, 2);
  assert.ok(kept.length > 0, 'the small parent misclassifies some train faces');

  const r = await service.call('relearn.start', { parentModelId: modelId, groups: kept.map((g) => ({ given: g.given, predicted: g.predicted })), epochs: 2 });
  const rdone = await waitFor('relearn:done', (p) => p.jobId === r.jobId);
  assert.equal(rdone.status, 'done', String(rdone.error));
  const report = (await service.call('relearn.latest', { parentModelId: modelId }))!;
  assert.equal(report.runId, rdone.runId);
  assert.deepEqual(report.children.map((c) => c.name).sort(), kept.map((g) => g.name).sort());
  assert.deepEqual(report.splits.map((s) => s.split), ['valid', 'test']);
  assert.equal(report.decision, 'undecided');
  // The rule used (the published one by default) and every rule, each with its valid and test
  // figures; the used rule's are the report's own.
  assert.equal(report.rule, 'kl-argmax');
  assert.deepEqual(report.rules.map((x) => x.rule), ['kl-argmax', 'kl-mix', 'gate']);
  assert.equal(report.rules[0].fitted, `tau ${report.tau.toFixed(4)} nats`);
  for (const s of report.splits) {
    const used = report.rules[0].splits.find((x) => x.split === s.split)!;
    assert.deepEqual([used.parentAccuracy, used.accuracy, used.routed, used.wrongToRight, used.rightToWrong], [s.parent.accuracy, s.parentChildren.accuracy, s.routed, s.wrongToRight, s.rightToWrong], s.split);
  }
  for (const s of report.splits) {
    assert.equal(s.parent.per_class.length, 8);
    const w2r = await service.call('relearn.changedFaces', { runId: report.runId, split: s.split, change: 'wrong-to-right', limit: 1000 });
    const r2w = await service.call('relearn.changedFaces', { runId: report.runId, split: s.split, change: 'right-to-wrong', limit: 1000 });
    assert.equal(w2r.total, s.wrongToRight, `${s.split} wrong -> right`);
    assert.equal(r2w.total, s.rightToWrong, `${s.split} right -> wrong`);
    for (const f of w2r.items) assert.ok(f.routedPredicted === f.label && f.parentPredicted !== f.label);
  }

  // Children that made valid or test worse are adopted only with an explicit confirmation.
  if (report.worseThanParent.length) await assert.rejects(service.call('relearn.decide', { runId: report.runId, decision: 'adopted' }), /less accurate than the parent alone/);
  const adopted = await service.call('relearn.decide', { runId: report.runId, decision: 'adopted', acceptWorse: report.worseThanParent.length > 0 });
  assert.equal(adopted.decision, 'adopted');
  for (const c of report.children) assert.equal(getModel(service.project!, c.modelId)?.status, 'adopted');

  const html = await service.call('export.run', { kind: 'report', out: 'exports/report.html', modelId });
  assert.ok(existsSync(html.files[0]));
  const page = readFileSync(html.files[0], 'utf8');
  assert.match(page, /<html/i);
  assert.match(page, /Combination rule: <b>kl-argmax<\/b>/);
  assert.match(page, /Children fine-tuned for up to 2 epochs at <b>0\.10<\/b> &#215; the parent's learning rate/);
  for (const x of report.rules) assert.ok(page.includes(`<td>${x.rule}${x.rule === 'kl-argmax' ? ' (used)' : ''}</td><td>${x.fitted}</td>`), `the report's rule table lists ${x.rule}`);
  await assert.rejects(service.call('export.run', { kind: 'labels', out: '../outside.csv' }), /not inside the project's folder/);
  assert.equal(report.childLearningRateScale, 0.1, 'METHOD.md 6.4: a tenth of the parent\'s learning rate by default');
  assert.ok(report.children.every((c) => c.nReplay > 0 && c.nReplay <= c.nCases), 'one replay face per case at most by default');

  // The children's learning rate and replay ratio, set in the request, reach the children.
  await assert.rejects(service.call('relearn.start', { parentModelId: modelId, learningRateScale: 0 }), /learningRateScale must be a finite number > 0/);
  await assert.rejects(service.call('relearn.start', { parentModelId: modelId, replayRatio: -1 }), /replayRatio must be a finite number >= 0/);
  const r2 = await service.call('relearn.start', { parentModelId: modelId, groups: [kept[0]].map((g) => ({ given: g.given, predicted: g.predicted })), epochs: 1, learningRateScale: 0.5, replayRatio: 0 });
  const done2 = await waitFor('relearn:done', (p) => p.jobId === r2.jobId);
  assert.equal(done2.status, 'done', String(done2.error));
  const report2 = (await service.call('relearn.latest', { parentModelId: modelId }))!;
  assert.equal(report2.runId, done2.runId);
  assert.equal(report2.childLearningRateScale, 0.5);
  assert.deepEqual(report2.children.map((c) => [c.name, c.nReplay]), [[kept[0].name, 0]], 'replay 0: the cases alone');
  const child = getModel(service.project!, report2.children[0].modelId)!;
  assert.equal((child.structure.childOptions as { learningRateScale: number }).learningRateScale, 0.5);
});

test('a cancelled analysis stops, reports cancelled and leaves the latest analysis as it was', async () => {
  const latest = await service.call('analysis.latest', { modelId: parentId });
  const { jobId } = await service.call('analysis.start', { modelId: parentId, folds: 5 });
  await waitFor('analysis:progress', (p) => p.jobId === jobId && p.stage === 'fold');
  const running = await service.call('analysis.jobs', {});
  assert.deepEqual(running.map((j) => [j.jobId, j.kind, j.modelId]), [[jobId, 'analysis', parentId]]);
  assert.deepEqual(await service.call('analysis.cancel', { jobId }), { cancelled: true });
  const done = await waitFor('analysis:done', (p) => p.jobId === jobId, 60_000);
  assert.equal(done.status, 'cancelled');
  assert.equal(done.error, null);
  assert.equal((await service.call('analysis.latest', { modelId: parentId }))?.runId, latest?.runId);
  assert.deepEqual(await service.call('analysis.cancel', { jobId }), { cancelled: false });
  assert.deepEqual(await service.call('analysis.jobs', {}), []);
  const runs = service.project!.stmt<[], { status: string }>("SELECT status FROM runs WHERE kind = 'analyze' ORDER BY id DESC LIMIT 1").all();
  assert.equal(runs[0].status, 'cancelled');
});
