/**
 * Re-learning of child models (METHOD.md 6), callable from the CLI in-process and from the
 * service. Takes the parent's OUT-OF-SAMPLE misclassified train faces (running the k-fold
 * analysis first when none exists, or when the labels changed since it ran), groups them by confusion pair (auto: >= nMin, or the
 * named pairs), and trains one child per group: a copy of the parent (structure + weights)
 * fine-tuned on the group's cases plus an equal replay sample of correctly classified faces
 * of the same two classes, with early stopping on the valid faces of those two classes.
 * Children are stored as models (parent_model_id, child_group_id) with predictions for every
 * face; tau is chosen on valid only and evaluations 'parent' / 'parent+children' are stored
 * for valid and test (relearn-routing.ts); kl_parent_child is written to the parent's scores.
 * An Adaptive DBN child first generates neurons in its top hidden layer on its own faces
 * (core/models/dbn/child-generation.ts).
 */
import { join } from 'node:path';
import { NUM_CLASSES, SPLITS, type ModelId, type RunId } from '../../../api/domain.ts';
import { klParentChildBatch } from '../../../core/analysis/kl.ts';
import { DEFAULT_N_MIN } from '../../../core/analysis/confusion-groups.ts';
import { chooseRuntime } from './engine-runtime.ts';
import { DEFAULT_CHILD_OPTIONS, startChild, type ChildOptions } from '../../../core/relearn/child-trainer.ts';
import { selectRelearnCases } from '../../../core/relearn/select-cases.ts';
import { runTraining } from '../../../core/train/run-training.ts';
import { loadSnapshot, saveSnapshot } from '../../../core/train/snapshot-file.ts';
import { writeRunResult } from '../../../db/analysis-inputs.ts';
import { createChildGroup, updateChildGroup } from '../../../db/child-group-store.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createModel, getModel, requireNetwork } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { labelVersion } from '../../../db/relabel-store.ts';
import { createRun, finishRun, getRun, startRun } from '../../../db/run-store.ts';
import { upsertScores } from '../../../db/score-store.ts';
import { loadTrainPool, subsetData } from './analysis-data.ts';
import { ensureTrainerKinds } from './analysis-folds.ts';
import { analyzeModel, trainPredictions, type AnalyzeProgress } from './analysis.ts';
import { DEFAULT_COMBINE_RULE, routeAndEvaluate, type RoutedChild, type RoutingOutcome } from './relearn-routing.ts';
import type { CombineRule } from '../../../core/relearn/combine.ts';
import { predictAll, type StoredRunConfig } from './training-job.ts';

export type RelearnProgress =
  | { stage: 'analyze'; progress: AnalyzeProgress }
  | { stage: 'child'; group: string; index: number; groups: number; epoch: number; metrics: Record<string, number> }
  | { stage: 'routing' | 'scores'; message: string };

export interface RelearnOptions {
  /** 'auto' (default): every pair with >= nMin cases; or a list such as "disgust>anger,anger>disgust". */
  groups?: string;
  nMin?: number;
  replayRatio?: number;
  /** Folds of the analysis run when no out-of-fold predictions exist yet. */
  folds?: number;
  child?: Partial<ChildOptions>;
  seed?: number;
  /**
   * When a review decision was made since the out-of-fold predictions: 'recompute' (default)
   * runs the k-fold analysis again on the current labels; 'refuse' stops with the reason.
   */
  staleLabels?: 'recompute' | 'refuse';
  /** How parent and children answer together (core/relearn/combine.ts); every rule is measured either way. */
  combine?: CombineRule;
  /** Runtime threads for the children (and an analysis run first); default: the parent's training run's. */
  threads?: number;
  onProgress?: (p: RelearnProgress) => void;
  signal?: AbortSignal;
}

export interface RelearnGroupResult {
  groupId: number;
  name: string;
  given: number;
  predicted: number;
  nCases: number;
  nReplay: number;
  childModelId: ModelId;
  epochs: number;
  /** Adaptive DBN: hidden units of the top layer before and after neuron generation on the child's faces. */
  topUnits: { before: number; after: number } | null;
}

export interface RelearnResult {
  runId: RunId;
  parentModelId: ModelId;
  oofModelId: ModelId | null;
  tau: number;
  groups: RelearnGroupResult[];
  emptyPairs: string[];
  routing: RoutingOutcome;
  childOptions: ChildOptions;
  notes: string[];
}


export async function relearnChildren(dbOrPath: ProjectDb | string, parentId: ModelId | number, opts: RelearnOptions = {}): Promise<RelearnResult> {
  const db = typeof dbOrPath === 'string' ? openProject(dbOrPath) : dbOrPath;
  let runId: RunId | null = null;
  try {
    const found = getModel(db, parentId);
    if (!found) throw new Error(`no model ${parentId} in ${db.path}`);
    const parent = requireNetwork(found, 're-learn children for its confusions');
    if (parent.structure.role === 'out-of-fold' || parent.parentModelId !== null) throw new Error(`model ${parentId} is not a parent model`);
    const cfg = parent.runId === null ? null : (getRun(db, parent.runId)?.config as unknown as StoredRunConfig | undefined) ?? null;
    let train = trainPredictions(db, parent.id);
    const notes: string[] = [];
    const now = labelVersion(db);
    if (train.outOfSample && train.labelVersion !== now) {
      const why = `the labels changed since the out-of-fold predictions of model ${parent.id} were computed (label version ${train.labelVersion}, now ${now})`;
      if (opts.staleLabels === 'refuse') throw new Error(`relearn: ${why}; run \`analyze\` again (or relearn with recomputation) so the confusion groups come from the current labels`);
      notes.push(`${why}: recomputed them`);
    }
    if (!train.outOfSample || train.labelVersion !== now) {
      await analyzeModel(db, parent.id, { folds: Math.max(2, opts.folds ?? 5), nMin: opts.nMin, threads: opts.threads, signal: opts.signal, onProgress: (p) => opts.onProgress?.({ stage: 'analyze', progress: p }) });
      train = trainPredictions(db, parent.id);
    }
    const seed = opts.seed ?? cfg?.seed ?? 1;
    const childOptions: ChildOptions = { ...DEFAULT_CHILD_OPTIONS, seed, ...opts.child };
    const selection = selectRelearnCases(
      { split: 'train', outOfSample: true, labels: train.labels, predicted: train.predicted },
      { seed, nMin: opts.nMin ?? DEFAULT_N_MIN, replayRatio: opts.replayRatio, pairs: opts.groups && opts.groups !== 'auto' ? opts.groups : undefined },
    );
    if (selection.groups.length === 0) throw new Error(`relearn: no confusion group to re-learn (${opts.groups && opts.groups !== 'auto' ? `the pairs ${opts.groups} have no misclassified train face` : `no pair has >= ${opts.nMin ?? DEFAULT_N_MIN} out-of-sample misclassified train faces`})`);
    runId = createRun(db, { kind: 'relearn', modelKind: parent.kind, config: { parentModelId: parent.id, combine: opts.combine ?? DEFAULT_COMBINE_RULE, groups: opts.groups ?? 'auto', nMin: opts.nMin ?? DEFAULT_N_MIN, replayRatio: opts.replayRatio ?? 1, child: childOptions, seed, oofModelId: train.oofModelId } });
    const backend = await chooseRuntime({ runtime: cfg?.options.runtime, threads: opts.threads ?? cfg?.options.threads });
    startRun(db, runId, backend.name);
    ensureTrainerKinds();
    const pool = loadTrainPool(db, { useSoftTargets: cfg?.options.softTargets ?? true, reviewedTarget: cfg?.options.reviewedTarget });
    const poolRow = new Map<number, number>();
    pool.train.ids.forEach((id, r) => poolRow.set(id, r));
    const toRows = (idx: Int32Array) => Array.from(idx, (i) => poolRow.get(train.ids[i])).filter((r): r is number => r !== undefined);
    const snap = await loadSnapshot(parent.absolutePath);
    const groups: RelearnGroupResult[] = [];
    const routed: RoutedChild[] = [];
    for (const [gi, g] of selection.groups.entries()) {
      if (opts.signal?.aborted) throw new Error('relearn cancelled');
      const groupId = createChildGroup(db, { relearnRunId: runId, parentModelId: parent.id, givenLabel: g.given, predictedLabel: g.predicted, nCases: g.cases.length, status: 'training' });
      const rows = [...toRows(g.cases), ...toRows(g.replay)];
      const validRows: number[] = [];
      pool.valid.y.forEach((y, r) => (y === g.given || y === g.predicted) && validRows.push(r));
      const { trainer, generation } = startChild(snap, subsetData(pool, rows, validRows), { ...childOptions, seed: seed + gi });
      try {
        const r = await runTraining({
          trainer,
          signal: opts.signal,
          onEpoch: (e) => opts.onProgress?.({ stage: 'child', group: g.name, index: gi, groups: selection.groups.length, epoch: e.epoch, metrics: e.metrics }),
        });
        if (r.status === 'cancelled') throw new Error('relearn cancelled');
        const file = join(db.modelsDir, `child-run-${runId}-group-${groupId}.arsnap`);
        await saveSnapshot(file, trainer.snapshot());
        const childId = createModel(db, {
          runId,
          kind: parent.kind,
          name: `child ${g.name} of model ${parent.id}`,
          filePath: file,
          inputSize: parent.inputSize,
          structure: { ...parent.structure, units: (trainer.snapshot().meta.units as number[] | undefined) ?? parent.structure.units, role: 'child', pair: g.name, cases: g.cases.length, replay: g.replay.length, childOptions, generation: generation?.events ?? [] },
          parentModelId: parent.id,
          childGroupId: groupId,
        });
        await predictAll(db, childId, trainer);
        updateChildGroup(db, groupId, { childModelId: childId, status: 'trained' });
        groups.push({ groupId, name: g.name, given: g.given, predicted: g.predicted, nCases: g.cases.length, nReplay: g.replay.length, childModelId: childId, epochs: r.reports.length, topUnits: generation ? { before: generation.unitsBefore, after: generation.unitsAfter } : null });
        routed.push({ childModelId: childId, groupId, name: g.name, given: g.given, predicted: g.predicted });
      } catch (e) {
        updateChildGroup(db, groupId, { status: 'failed' });
        throw e;
      } finally {
        trainer.dispose();
      }
    }
    opts.onProgress?.({ stage: 'routing', message: 'fitting the combination rules on valid, evaluating valid, test and the dev-test' });
    const routing = routeAndEvaluate(db, parent.id, routed, { runId, rule: opts.combine, seed });
    for (const g of groups) updateChildGroup(db, g.groupId, { tau: routing.tau });
    opts.onProgress?.({ stage: 'scores', message: 'kl_parent_child scores' });
    writeParentChildKl(db, parent.id, routed);
    const result: RelearnResult = {
      runId, parentModelId: parent.id, oofModelId: train.oofModelId, tau: routing.tau, groups, emptyPairs: selection.empty, routing, childOptions,
      notes: [...notes, ...(parent.kind === 'adbn' && childOptions.generationEpochs === 0 ? ['neuron generation in the children\'s top hidden layer was switched off (generationEpochs 0)'] : [])],
    };
    writeRunResult(db, runId, result);
    finishRun(db, runId, 'done');
    return result;
  } catch (e) {
    if (runId !== null) {
      try {
        finishRun(db, runId, 'failed', e instanceof Error ? e.message : String(e));
      } catch {
        // the database itself failed; the caller still gets the error
      }
    }
    throw e;
  } finally {
    if (typeof dbOrPath === 'string') db.close();
  }
}

/** kl_parent_child = max over the children of KL(p_parent || q_child), for every face of every split. */
export function writeParentChildKl(db: ProjectDb, parentId: ModelId | number, children: readonly RoutedChild[]): number {
  let n = 0;
  for (const split of SPLITS) {
    const p = readPredictions(db, parentId, split);
    const best = new Float64Array(p.ids.length).fill(Number.NaN);
    for (const c of children) {
      const q = readPredictions(db, c.childModelId, split);
      const row = new Map<number, number>();
      q.ids.forEach((id, i) => row.set(id, i));
      const aligned = new Float32Array(p.probs.length);
      const has = new Uint8Array(p.ids.length);
      p.ids.forEach((id, i) => {
        const r = row.get(id);
        if (r === undefined) return;
        has[i] = 1;
        aligned.set(q.probs.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), i * NUM_CLASSES);
      });
      const kl = klParentChildBatch(p.probs, aligned);
      for (let i = 0; i < kl.length; i++) if (has[i] && !(best[i] >= kl[i])) best[i] = kl[i];
    }
    const rows = [];
    for (let i = 0; i < p.ids.length; i++) if (Number.isFinite(best[i])) rows.push({ sampleId: p.ids[i], klParentChild: best[i] });
    n += upsertScores(db, parentId, rows);
  }
  return n;
}
