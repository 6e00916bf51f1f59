/**
 * A finished re-learning run stored as the real one is (run row, parent and child models, a
 * child group, the run's JSON result and the parent / parent + children evaluations), with
 * the accuracies the test chooses: for testing what is decided and reported about a run
 * without training children (the training itself is tested in relearn.test.ts).
 */
import { CLASS_NAMES, NUM_CLASSES, type ClassId, type ModelId, type RunId } from '../../../api/domain.ts';
import { writeRunResult } from '../../../db/analysis-inputs.ts';
import { createChildGroup, updateChildGroup } from '../../../db/child-group-store.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { addEvaluation } from '../../../db/evaluation-store.ts';
import { createModel } from '../../../db/model-store.ts';
import { createRun, finishRun, startRun } from '../../../db/run-store.ts';
import type { RelearnResult } from './relearn.ts';

type Split = 'valid' | 'test';

function figures(accuracy: number, n: number) {
  const confusion = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
  confusion[0][0] = Math.round(accuracy * n);
  confusion[0][1] = n - confusion[0][0];
  return {
    accuracy,
    per_class: CLASS_NAMES.map((c) => ({ class: c, precision: accuracy, recall: accuracy, f1: accuracy, support: n / NUM_CLASSES })),
    confusion,
    n_evaluated: n,
    n_excluded: 0,
    excluded_by_reason: {},
  };
}

/** Stores a done re-learning run of a new parent with one child (given → predicted); accuracies per split as [parent, parent + children]. */
export function storeRelearnRun(db: ProjectDb, o: { accuracy: Record<Split, [number, number]>; given?: ClassId; predicted?: ClassId; n?: number }): { runId: RunId; parentId: ModelId; childId: ModelId } {
  const n = o.n ?? 200;
  const given = o.given ?? (5 as ClassId);
  const predicted = o.predicted ?? (6 as ClassId);
  const size = { height: 48, width: 48 };
  const parentId = createModel(db, { kind: 'cnn', name: 'parent', filePath: 'parent.none', inputSize: size });
  const runId = createRun(db, { kind: 'relearn', modelKind: 'cnn', config: { parentModelId: parentId } });
  startRun(db, runId, 'fixture');
  const groupId = createChildGroup(db, { relearnRunId: runId, parentModelId: parentId, givenLabel: given, predictedLabel: predicted, nCases: 40 });
  const childId = createModel(db, { runId, kind: 'cnn', name: 'child', filePath: 'child.none', inputSize: size, parentModelId: parentId, childGroupId: groupId });
  updateChildGroup(db, groupId, { childModelId: childId, status: 'trained' });
  const name = `${CLASS_NAMES[given]}>${CLASS_NAMES[predicted]}`;
  const splits: RelearnResult['routing']['splits'] = {};
  for (const split of ['valid', 'test'] as const) {
    const [p, pc] = o.accuracy[split];
    const parent = { id: 0, modelId: parentId, split, createdAt: '', ...figures(p, n) };
    const after = { id: 0, modelId: parentId, split, createdAt: '', ...figures(pc, n) };
    addEvaluation(db, { modelId: parentId, runId, split, label: 'parent', result: parent });
    addEvaluation(db, { modelId: parentId, runId, split, label: 'parent+children', result: after });
    const delta = Math.round((pc - p) * n);
    splits[split] = { split, parent, parentChildren: after, routed: 20, wrongToRight: Math.max(0, delta), rightToWrong: Math.max(0, -delta), perChild: [{ groupId, name, routed: 20, changed: Math.abs(delta), wrongToRight: Math.max(0, delta), rightToWrong: Math.max(0, -delta) }] };
  }
  const result = {
    runId,
    parentModelId: parentId,
    oofModelId: null,
    tau: 0.25,
    groups: [{ groupId, name, given, predicted, nCases: 40, nReplay: 40, childModelId: childId, epochs: 3, topUnits: null }],
    emptyPairs: [],
    routing: { tau: 0.25, tauChoice: { tau: 0.25, accuracy: o.accuracy.valid[1], parentAccuracy: o.accuracy.valid[0], curve: [] }, splits },
    childOptions: {},
    notes: [],
  } as unknown as RelearnResult;
  writeRunResult(db, runId, result);
  finishRun(db, runId, 'done');
  return { runId, parentId: parentId as ModelId, childId: childId as ModelId };
}
