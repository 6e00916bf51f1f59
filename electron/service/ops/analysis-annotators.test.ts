// Annotator statistics on the demo project, whose simulated annotators have known habits
// (core/datasets/demo/annotators.ts): Dawid-Skene must recover them from the labels alone.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DEMO_ANNOTATORS } from '../../../core/datasets/demo/annotators.ts';
import { openProject } from '../../../db/connection.ts';
import { annotatorStats, type AnnotatorStatsResult } from './analysis-annotators.ts';
import { createDemoProject } from './project.ts';
import { insertSampleBatch } from '../../../db/sample-store.ts';
import { makeRecord, tempProject } from '../../../db/test-support.ts';

let dir: string;
let stats: AnnotatorStatsResult;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ar-annot-'));
  const project = join(dir, 'demo.arproj');
  await createDemoProject(project);
  const db = openProject(project);
  try {
    stats = annotatorStats(db);
  } finally {
    db.close();
  }
});
after(() => rmSync(dir, { recursive: true, force: true }));

const DISGUST = 5;
const ANGER = 6;
const FEAR = 4;
const SURPRISE = 3;
const planted = (id: string) => DEMO_ANNOTATORS.find((a) => a.id === id)!.confusion;
const byName = (name: string) => stats.identified!.annotators.find((a) => a.name === name)!;

test('every demo annotator is found, with Fleiss kappa and no crowd votes', () => {
  const id = stats.identified!;
  assert.equal(stats.faces, 3600);
  assert.deepEqual(id.annotators.map((a) => a.name).sort(), DEMO_ANNOTATORS.map((a) => a.id).sort());
  assert.ok(id.fleissKappa > 0.4 && id.fleissKappa < 0.9, `kappa ${id.fleissKappa}`);
  assert.equal(stats.crowd, null);
  assert.ok(id.dawidSkene.converged);
});

test("Dawid-Skene recovers the planted habits: ann-B's disgust->anger, ann-C's fear->surprise", () => {
  // Measured: ann-B disgust->anger 0.473 (planted 0.456), ann-C fear->surprise close to its 0.46.
  // Blended faces are perceived as either class before the habit applies, hence the tolerance.
  const b = byName('ann-B').dawidSkeneConfusion[DISGUST][ANGER];
  assert.ok(Math.abs(b - planted('ann-B')[DISGUST][ANGER]) < 0.06, `ann-B disgust->anger ${b} vs ${planted('ann-B')[DISGUST][ANGER]}`);
  const c = byName('ann-C').dawidSkeneConfusion[FEAR][SURPRISE];
  assert.ok(Math.abs(c - planted('ann-C')[FEAR][SURPRISE]) < 0.06, `ann-C fear->surprise ${c} vs ${planted('ann-C')[FEAR][SURPRISE]}`);
  // The habit is ann-B's own: the others call disgust "anger" far less often.
  for (const other of ['ann-A', 'ann-C', 'ann-E']) assert.ok(byName(other).dawidSkeneConfusion[DISGUST][ANGER] < b - 0.25, other);
});

test('the careful annotator is the most reliable; the noisy and neutral-biased ones the least', () => {
  const rel = Object.fromEntries(stats.identified!.annotators.map((a) => [a.name, a.dawidSkeneReliability]));
  const ranked = Object.keys(rel).sort((x, y) => rel[y] - rel[x]);
  assert.equal(ranked[0], 'ann-A');
  assert.deepEqual(ranked.slice(-2).sort(), ['ann-D', 'ann-E']);
  const agree = byName('ann-A').agreement;
  assert.ok(agree > byName('ann-E').agreement + 0.1, 'leave-one-out agreement orders them the same way');
});

test('annotators are listed by name, not in the order the faces brought them in', () => {
  const p = tempProject();
  try {
    const labels = (i: number) => ['ann-10', 'zed', 'ann-2', 'Bea'].map((annotator, k) => ({ annotator, label: (i + (k === 3 ? 1 : 0)) % 8 }));
    insertSampleBatch(p.db, Array.from({ length: 12 }, (_, i) => makeRecord({ index: i, annotations: labels(i) })));
    assert.deepEqual(annotatorStats(p.db).identified!.annotators.map((a) => a.name), ['ann-2', 'ann-10', 'Bea', 'zed']);
  } finally {
    p.remove();
  }
});
