// `--threads` of analyze, relearn and simulate-review: the fold trainings, the children and the
// fresh parents run with the thread count asked for, and with the parent's training run's when
// none is asked for. Checked on the runtime each run records (the runtime is rebuilt for a new
// thread count), on a real demo project with a tiny DBN parent trained on one thread.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ModelId } from '../../../api/domain.ts';
import { openProject } from '../../../db/connection.ts';
import { analyzeModel } from './analysis.ts';
import { relearnChildren } from './relearn.ts';
import { tempDemoProject, trainParent } from './demo-parent.fixture.ts';

let removeDir = () => {};
let project: string;
let parentId: ModelId;

/** The runtime recorded by each run of a kind, oldest first. */
function backends(kind: string): (string | null)[] {
  const db = openProject(project);
  try {
    return db.stmt<[string], { backend: string | null }>('SELECT backend FROM runs WHERE kind = ? ORDER BY id').all(kind).map((r) => r.backend);
  } finally {
    db.close();
  }
}

before(async () => {
  ({ project, cleanup: removeDir } = await tempDemoProject('ar-threads-'));
  parentId = await trainParent(project, 'dbn', { hiddenUnits: [16], pretrainEpochs: 1, epochs: 2, maxSamples: 300, seed: 3, threads: 1 });
});
after(() => removeDir());

test('analyze: the folds train on the threads asked for, else on the parent\'s', async () => {
  assert.match(backends('train')[0] ?? '', /\(1 thread\)$/);
  await analyzeModel(project, parentId, { folds: 2, threads: 2 });
  await analyzeModel(project, parentId, { folds: 2 });
  const b = backends('analyze');
  assert.equal(b.length, 2);
  assert.match(b[0] ?? '', /\(2 threads\)$/);
  assert.match(b[1] ?? '', /\(1 thread\)$/);
});

test('relearn: the children train on the threads asked for', async () => {
  await relearnChildren(project, parentId, { folds: 2, nMin: 1, threads: 2, child: { epochs: 1, generationEpochs: 0 } });
  assert.match(backends('relearn')[0] ?? '', /\(2 threads\)$/);
  await relearnChildren(project, parentId, { folds: 2, nMin: 1, child: { epochs: 1, generationEpochs: 0 } });
  assert.match(backends('relearn')[1] ?? '', /\(1 thread\)$/);
});
