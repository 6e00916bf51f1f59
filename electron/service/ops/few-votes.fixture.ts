// A tiny FER+ folder for the few-annotator tests (simulated review, the cleaning curve): 60
// train and 24 valid 48x48 faces, each a bright patch whose brightness follows its majority
// class (one of the first four), with 10 votes split between two neighbouring classes, and
// a few-annotator project imported from it with a tiny DBN parent trained and analysed.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { ModelId } from '../../../api/domain.ts';
import { patchPixels, writeImage, writeText } from '../../../core/datasets/test-fixtures.ts';
import { FERPLUS_TO_LABEL } from '../../../core/datasets/label-names.ts';
import { Rng } from '../../../core/util/rng.ts';
import { openProject } from '../../../db/connection.ts';
import { createRun } from '../../../db/run-store.ts';
import { analyzeModel } from './analysis.ts';
import { importDataset } from './import.ts';
import { runConfig, runTrainingJob } from './training-job.ts';

/**
 * Writes the folder under `dir/fer` and returns it with every face's 10 votes by label code,
 * keyed by source reference (`ferplus:FER2013Train/f0.png`).
 */
export async function writeTinyFerplus(dir: string): Promise<{ folder: string; fullVotes: Map<string, number[]> }> {
  const rng = new Rng(8);
  const fullVotes = new Map<string, number[]>();
  for (const [split, n] of [['FER2013Train', 60], ['FER2013Valid', 24]] as const) {
    const lines: string[] = [];
    for (let i = 0; i < n; i++) {
      const ferplus = new Array<number>(10).fill(0);
      const a = rng.int(4);
      const na = 4 + rng.int(7);
      ferplus[a] += na;
      ferplus[(a + 1) % 4] += 10 - na;
      await writeImage(join(dir, 'fer', split, `f${i}.png`), 48, 48, patchPixels(48, 48, { x: 8, y: 8, width: 32, height: 32, left: 40 * a + rng.int(30), right: 200 - 30 * a, background: 0 }), 'png');
      lines.push(`f${i}.png,"(0, 0, 48, 48)",${ferplus.join(',')}`);
      const byCode = new Array<number>(12).fill(0);
      ferplus.forEach((c, j) => (byCode[FERPLUS_TO_LABEL[j]] += c));
      fullVotes.set(`ferplus:${split}/f${i}.png`, byCode);
    }
    writeText(join(dir, 'fer', split, 'label.csv'), lines.join('\n'));
  }
  return { folder: join(dir, 'fer'), fullVotes };
}

/** A one-vote-per-face project of that folder at `project`, with a tiny DBN parent analysed in-sample. */
export async function tinyFewVotesProject(folder: string, project: string): Promise<ModelId> {
  const db = openProject(project, { create: true });
  await importDataset(db, { kind: 'ferplus', path: folder, options: { votesPerFace: 1, voteSeed: 4 } });
  const runId = createRun(db, { kind: 'train', modelKind: 'dbn', config: runConfig('dbn', { hiddenUnits: [16], pretrainEpochs: 1, epochs: 2, seed: 2 }) as unknown as Record<string, unknown> });
  db.close();
  const r = await runTrainingJob(project, runId, {});
  assert.equal(r.status, 'done', r.error ?? '');
  await analyzeModel(project, r.modelId!, { folds: 1 });
  return r.modelId!;
}
