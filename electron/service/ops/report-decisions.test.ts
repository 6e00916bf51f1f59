// The HTML report says what was decided: the adopt / discard of the children with its time,
// the review decisions (faces, actions, class changes), which confusion groups got a child,
// and every pair in the UI's notation ("disgust → anger").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { writeRunResult } from '../../../db/analysis-inputs.ts';
import { recordDecision } from '../../../db/relabel-store.ts';
import { createRun, finishRun, startRun } from '../../../db/run-store.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';
import { annotatorStats } from './analysis.ts';
import { decideChildren } from './relearn-jobs.ts';
import { storeRelearnRun } from './relearn-result.fixture.ts';
import { writeReport } from './report.ts';

test('the report shows the decisions, the trained groups and one pair notation', async (t) => {
  const p = tempProject();
  t.after(() => p.remove());
  const ids = insertSampleBatch(p.db, [1, 1, 1, 2].map((l, i) => makeRecord({ index: i, givenLabel: l as never }))).ids.map((id) => id!);
  recordDecision(p.db, { sampleId: ids[0], action: 'relabel', label: 2, reviewer: 'ana' });
  recordDecision(p.db, { sampleId: ids[1], action: 'relabel', label: 2, reviewer: 'ana' });
  recordDecision(p.db, { sampleId: ids[2], action: 'confirm', reviewer: 'ana' });
  // Parent + children worse on test: adopted after confirmation.
  const { runId, parentId, childId } = storeRelearnRun(p.db, { accuracy: { valid: [0.6, 0.62], test: [0.6, 0.59] }, given: 5, predicted: 6 });
  const analyze = createRun(p.db, { kind: 'analyze', modelKind: 'cnn', config: { modelId: parentId, folds: 5 } });
  startRun(p.db, analyze, null);
  writeRunResult(p.db, analyze, {
    runId: analyze, modelId: parentId, oofModelId: null, folds: 5, inSample: false, warnings: [], scores: [], ranking: [], annotators: annotatorStats(p.db),
    confusionGroups: { source: 'out-of-fold', oofModelId: null, trainFaces: 100, misclassified: 70, nMin: 30, groups: [
      { given: 5, predicted: 6, name: 'disgust>anger', count: 40, kept: true },
      { given: 4, predicted: 3, name: 'fear>surprise', count: 30, kept: true },
    ] },
  });
  finishRun(p.db, analyze, 'done');
  decideChildren(p.db, runId, 'adopted', true);
  const out = p.tmp.file('report.html');
  await writeReport(p.db, { runId }, out);
  const html = readFileSync(out, 'utf8');
  assert.match(html, /Decision on the children: <b>adopted<\/b> on \d{4}-\d\d-\d\dT[\d:.]+Z\. Confirmed although parent \+ children did worse than the parent alone\./);
  assert.match(html, /<b>3<\/b> faces reviewed \(latest decision: 2 relabel, 1 confirm\); 2 of them now have a class other than the given one/);
  assert.match(html, /<tr><td>happy → sad<\/td><td>2<\/td><\/tr>/);
  assert.match(html, new RegExp(`<tr><td>disgust → anger</td><td>40</td><td>yes</td><td>yes: model ${childId}</td></tr>`));
  assert.match(html, /<tr><td>fear → surprise<\/td><td>30<\/td><td>yes<\/td><td>no<\/td><\/tr>/);
  assert.doesNotMatch(html, /disgust&gt;anger|disgust>anger|given&gt;predicted/, 'no second notation for pairs');
});
