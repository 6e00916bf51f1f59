/**
 * Does review pay off? The label-cleaning curve: a simulated reviewer works through the train
 * faces in one order (a score of the parent, or a seeded random order) and, for the first N
 * faces of each budget, sets each face's label to its reference majority (or marks it ambiguous
 * when the reference has none; a face without reference votes is confirmed as it is). After each
 * budget a fresh parent is trained with the parent's configuration on the cleaned labels, and
 * its accuracy is measured on valid and test against the reference majority (the published
 * labels where a split has no reference), and on a dev-test carve when the project has one.
 * Test and dev-test accuracy are only reported: nothing here chooses anything by them.
 *
 * All of it happens in a scratch copy of the project (SQLite's VACUUM INTO, in a temporary
 * folder removed afterwards): the user's project is only read, its labels never change. This
 * module and ranking-targets.ts are the only readers of reference labels. The result is kept
 * for the report's chart (cleaning-curves.ts), with the points of earlier simulations measured
 * under the same order and labels. Each fresh parent's figures are recorded as its
 * training finishes (simulate-ledger.ts): a simulation that was interrupted, or is run again
 * with more budgets or seeds, trains only what it has not measured yet.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SIMULATION_ORDERS, type CleaningCurve, type CleaningPoint, type SimulationOrder } from '../../../api/contract.ts';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { SCORE_DIRECTIONS, suspicionOrder, type ScoreName } from '../../../core/analysis/scores.ts';
import { Rng } from '../../../core/util/rng.ts';
import { sequenceHash } from '../../../core/util/sequence-hash.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import { devTestIds } from '../../../db/dev-test-store.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { readReferenceVotes, referenceMajority } from '../../../db/reference-votes.ts';
import { labelVersion, recordDecision } from '../../../db/relabel-store.ts';
import { createRun, getRun } from '../../../db/run-store.ts';
import { listScores, type ScoreRow } from '../../../db/score-store.ts';
import { saveCleaningCurve } from './cleaning-curves.ts';
import { SimulationLedger, type LedgerContext } from './simulate-ledger.ts';
import { runConfig, runTrainingJob, type StoredRunConfig } from './training-job.ts';

export const SIMULATED_REVIEWER = 'simulated-reviewer';
export { SIMULATION_ORDERS } from '../../../api/contract.ts';
export type { SimulationOrder } from '../../../api/contract.ts';
export type SimulatePoint = CleaningPoint;
export type SimulateResult = CleaningCurve;

export interface SimulateOptions {
  order: SimulationOrder;
  budgets: number[];
  seed?: number;
  /**
   * Train one fresh parent per seed at every budget, budget 0 included (its labels as they are),
   * and report their mean: the spread between seeds shows how much of a difference between two
   * points is training noise. Without: one parent per budget with the parent's own seed, and
   * budget 0 is the parent itself.
   */
  trainSeeds?: number[];
  /**
   * Train every point again instead of reusing the trainings an earlier (interrupted or
   * shorter) simulation of this parent and order measured under the same order and labels
   * (simulate-ledger.ts). Either way each finished training is recorded as it finishes.
   */
  fresh?: boolean;
  /** Runtime threads for the fresh parents (default: the parent's); does not change which trainings are reused. */
  threads?: number;
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
}

const SCORE_FIELD: Record<Exclude<SimulationOrder, 'random'>, (s: ScoreRow) => number | null> = {
  kl_annotator: (s) => s.klAnnotator,
  kl_parent_child: (s) => s.klParentChild,
  vote_entropy: (s) => s.voteEntropy,
  margin: (s) => s.margin,
  max_softmax: (s) => s.maxSoftmax,
  self_confidence: (s) => s.selfConfidence,
  crowdlab: (s) => s.crowdlab,
  normalized_margin: (s) => s.normalizedMargin,
};

/**
 * Train face ids in review order: most suspicious first (faces without the score last), or a
 * seeded shuffle. The dev-test carve is not among them (loadSplitEvidence leaves it out of
 * train): a reviewer never reaches it, and a budget counts only faces training can use.
 */
export function reviewOrder(db: ProjectDb, parentId: ModelId | number, order: SimulationOrder, seed: number): number[] {
  const ids = Array.from(loadSplitEvidence(db, 'train').ids);
  if (order === 'random') {
    const rng = new Rng(seed);
    for (let i = ids.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [ids[i], ids[j]] = [ids[j], ids[i]];
    }
    return ids;
  }
  const get = SCORE_FIELD[order];
  const byId = new Map(listScores(db, parentId, 'train').map((s) => [s.sampleId as number, get(s)]));
  if (![...byId.values()].some((v) => v !== null)) throw new Error(`model ${parentId} has no ${order} scores on train: run analyze on it first`);
  const column = ids.map((id) => byId.get(id) ?? Number.NaN);
  return Array.from(suspicionOrder(column, SCORE_DIRECTIONS[order as ScoreName]), (i) => ids[i]);
}

/** Share of the faces with a truth label whose argmax prediction is right (NaN when none has one). */
function accuracy(p: { ids: Int32Array; probs: Float32Array }, truth: Map<number, number>): number {
  let right = 0;
  let n = 0;
  for (let i = 0; i < p.ids.length; i++) {
    const y = truth.get(p.ids[i]);
    if (y === undefined) continue;
    let best = 0;
    for (let c = 1; c < NUM_CLASSES; c++) if (p.probs[i * NUM_CLASSES + c] > p.probs[i * NUM_CLASSES + best]) best = c;
    n++;
    if (best === y) right++;
  }
  return n ? right / n : Number.NaN;
}

/** Truth per face of a split: the reference majority where the split has reference votes, else the published (given) class label. */
function splitTruth(db: ProjectDb, split: 'valid' | 'test'): { labels: Map<number, number>; kind: 'reference majority' | 'published labels' } {
  const reference = readReferenceVotes(db, split);
  const labels = new Map<number, number>();
  if (reference.size > 0) {
    for (const [id, counts] of reference) {
      const m = referenceMajority(counts);
      if (m !== null) labels.set(id, m);
    }
    return { labels, kind: 'reference majority' };
  }
  for (const r of db.stmt<[string], { id: number; y: number }>('SELECT id, given_label AS y FROM samples WHERE split = ? AND given_label BETWEEN 0 AND 7').all(split)) labels.set(r.id, r.y);
  return { labels, kind: 'published labels' };
}

export async function simulateReview(projectPath: string, parentId: ModelId | number, opts: SimulateOptions): Promise<SimulateResult> {
  const seed = opts.seed ?? 1;
  const budgets = [...new Set(opts.budgets)].sort((a, b) => a - b);
  if (budgets.length === 0 || budgets.some((b) => !(Number.isInteger(b) && b > 0))) throw new Error(`simulate-review: budgets must be positive integers (got ${opts.budgets.join(',')})`);
  if (!(SIMULATION_ORDERS as readonly string[]).includes(opts.order)) throw new Error(`simulate-review: unknown order "${opts.order}" (expected ${SIMULATION_ORDERS.join(', ')})`);
  const db = openProject(projectPath);
  const scratchDir = mkdtempSync(join(tmpdir(), 'affect-relearn-simulate-'));
  try {
    const parent = getModel(db, parentId);
    if (!parent) throw new Error(`no model ${parentId} in ${projectPath}`);
    const run = parent.runId === null ? null : getRun(db, parent.runId);
    const cfg = run?.config as unknown as StoredRunConfig | undefined;
    if (!run || run.kind !== 'train' || !cfg?.modelKind) throw new Error(`model ${parentId} was not trained by a training run of this project: there is no configuration to repeat`);
    const order = reviewOrder(db, parent.id, opts.order, seed);
    const trainRef = readReferenceVotes(db, 'train');
    if (trainRef.size === 0) throw new Error(`${projectPath} has no reference labels on train: import FER+ with --votes-per-face to simulate a reviewer who knows the answer`);
    const valid = splitTruth(db, 'valid');
    const test = splitTruth(db, 'test');
    const hasTest = test.labels.size > 0;
    // The dev-test carve: train faces the reviewer never reaches (reviewOrder leaves them out),
    // measured against their reference majority, reported only.
    const devTruth = new Map<number, number>();
    for (const id of devTestIds(db)) {
      const counts = trainRef.get(id);
      const m = counts ? referenceMajority(counts) : null;
      if (m !== null) devTruth.set(id, m);
    }
    const hasDev = devTruth.size > 0;
    // A model's predictions are read once for the three figures.
    const measure = (d: ProjectDb, modelId: ModelId | number) => {
      const p = readPredictions(d, modelId);
      return {
        validAccuracy: accuracy(p, valid.labels),
        testAccuracy: hasTest ? accuracy(p, test.labels) : null,
        devTestAccuracy: hasDev ? accuracy(p, devTruth) : null,
      };
    };
    const ledger = new SimulationLedger(db.modelsDir, parent.id, opts.order);
    if (ledger.setAside) opts.onProgress?.(`${ledger.file} could not be read (${ledger.setAside.reason}); moved to ${ledger.setAside.to}, measuring every point again`);
    const ctx: LedgerContext = { orderHash: sequenceHash(order), labelVersion: labelVersion(db), validFaces: valid.labels.size, testFaces: hasTest ? test.labels.size : 0, devTestFaces: devTruth.size };
    let reused = 0;
    const trainSeeds = [...new Set(opts.trainSeeds ?? [])];
    if (trainSeeds.some((s) => !Number.isInteger(s))) throw new Error(`simulate-review: training seeds must be integers (got ${trainSeeds.join(',')})`);
    const scratch = join(scratchDir, 'scratch.arproj');
    db.sqlite.prepare('VACUUM INTO ?').run(scratch);
    const sdb = openProject(scratch);
    /** Fresh parents on the scratch copy's labels as they are now: one per training seed, or one with the parent's seed. */
    const trainFresh = async (reviewed: number): Promise<Pick<SimulatePoint, 'scratchModelId' | 'validAccuracy' | 'testAccuracy' | 'devTestAccuracy' | 'runs'>> => {
      const runs: SimulatePoint['runs'] = [];
      for (const s of trainSeeds.length ? trainSeeds : [null]) {
        if (opts.signal?.aborted) throw new Error('simulate-review cancelled');
        const known = opts.fresh ? undefined : ledger.find(ctx, reviewed, s);
        if (known) {
          reused++;
          opts.onProgress?.(`${opts.order}: ${reviewed} faces reviewed${s === null ? '' : `, seed ${s}`}: reusing the training measured ${known.measuredAt}`);
          runs.push(known.run);
          continue;
        }
        const base = opts.threads === undefined ? cfg : { ...cfg, options: { ...cfg.options, threads: opts.threads } };
        const config = s === null ? base : runConfig(cfg.modelKind, { ...base.options, seed: s });
        const runId = createRun(sdb, { kind: 'train', modelKind: cfg.modelKind, config: config as unknown as Record<string, unknown> });
        const label = `${opts.order}: ${reviewed} faces reviewed${s === null ? '' : `, seed ${s}`}`;
        const r = await runTrainingJob(scratch, runId, {
          signal: opts.signal,
          // A CNN parent is 20-30 minutes here: every epoch is reported, not just every point.
          onEvent: (e) => {
            if (e.type === 'backend') opts.onProgress?.(`${label}: training on ${e.payload.name}`);
            if (e.type !== 'epoch') return;
            const m = e.payload.epoch.metrics;
            const valid = m.valid_accuracy === undefined ? '' : ` valid_accuracy ${m.valid_accuracy.toFixed(4)}`;
            opts.onProgress?.(`${label}: epoch ${e.payload.epoch.epoch} [${e.payload.epoch.phase}]${valid} (${e.payload.epoch.seconds.toFixed(0)} s)`);
          },
        });
        if (r.status !== 'done' || r.modelId === null) throw new Error(`simulate-review: training after ${reviewed} faces${s === null ? '' : ` (seed ${s})`} ${r.status}${r.error ? `: ${r.error}` : ''}`);
        const run = { seed: s ?? cfg.seed, scratchModelId: r.modelId, ...measure(sdb, r.modelId) };
        ledger.record(ctx, reviewed, s, run);
        runs.push(run);
      }
      const mean = (f: (x: (typeof runs)[number]) => number | null) => (f(runs[0]) === null ? null : runs.reduce((a, x) => a + (f(x) as number), 0) / runs.length);
      return {
        scratchModelId: runs[0].scratchModelId,
        validAccuracy: mean((x) => x.validAccuracy) as number,
        testAccuracy: mean((x) => x.testAccuracy),
        devTestAccuracy: mean((x) => x.devTestAccuracy),
        runs: trainSeeds.length ? runs : [],
      };
    };
    const points: SimulatePoint[] = [];
    try {
      if (trainSeeds.length) {
        opts.onProgress?.(`${opts.order}: 0 faces reviewed; training ${trainSeeds.length} fresh ${cfg.modelKind} parents (seeds ${trainSeeds.join(', ')})`);
        points.push({ reviewed: 0, relabelled: 0, markedAmbiguous: 0, confirmed: 0, ...(await trainFresh(0)) });
      } else {
        points.push({ reviewed: 0, relabelled: 0, markedAmbiguous: 0, confirmed: 0, scratchModelId: null, ...measure(db, parent.id), runs: [] });
      }
      let done = 0;
      const tally = { relabelled: 0, markedAmbiguous: 0, confirmed: 0 };
      for (const budget of budgets) {
        if (opts.signal?.aborted) throw new Error('simulate-review cancelled');
        const upTo = Math.min(budget, order.length);
        for (; done < upTo; done++) {
          const id = order[done];
          const counts = trainRef.get(id);
          const truth = counts ? referenceMajority(counts) : null;
          const d = counts === undefined
            ? recordDecision(sdb, { sampleId: id, action: 'confirm', reviewer: SIMULATED_REVIEWER })
            : truth === null
              ? recordDecision(sdb, { sampleId: id, action: 'ambiguous', reviewer: SIMULATED_REVIEWER })
              : recordDecision(sdb, { sampleId: id, action: 'relabel', label: truth, reviewer: SIMULATED_REVIEWER });
          if (d.action === 'relabel') tally.relabelled++;
          else if (d.action === 'ambiguous') tally.markedAmbiguous++;
          else tally.confirmed++;
        }
        opts.onProgress?.(`${opts.order}: ${upTo} faces reviewed (${tally.relabelled} relabelled, ${tally.markedAmbiguous} ambiguous); training ${trainSeeds.length > 1 ? `${trainSeeds.length} fresh ${cfg.modelKind} parents` : `a fresh ${cfg.modelKind}`}`);
        points.push({ reviewed: upTo, ...tally, ...(await trainFresh(upTo)) });
        if (upTo === order.length) break;
      }
    } finally {
      sdb.close();
    }
    const result: SimulateResult = {
      parentModelId: parent.id, order: opts.order, seed, trainSeeds,
      truth: { valid: valid.kind, test: hasTest ? test.kind : null },
      validFaces: valid.labels.size, testFaces: hasTest ? test.labels.size : 0, devTestFaces: devTruth.size,
      orderHash: ctx.orderHash, labelVersion: ctx.labelVersion, points,
    };
    const saved = saveCleaningCurve(db.modelsDir, result);
    if (reused) opts.onProgress?.(`${opts.order}: ${reused} of the trainings were measured by an earlier simulation and reused (--fresh trains them again)`);
    if (saved.earlierPoints) {
      opts.onProgress?.(`${opts.order}: the curve also keeps ${saved.earlierPoints} point${saved.earlierPoints === 1 ? '' : 's'} an earlier simulation measured under the same order and labels (${saved.curve.points.map((p) => p.reviewed).join(', ')} faces reviewed)`);
    }
    return saved.curve;
  } finally {
    db.close();
    rmSync(scratchDir, { recursive: true, force: true });
  }
}
