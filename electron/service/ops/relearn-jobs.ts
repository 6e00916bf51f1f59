/**
 * The app's analysis and re-learning jobs (METHOD.md 5-6) and the reads the Re-learn view
 * needs. `analysis.start` / `relearn.start` run analyzeModel / relearnChildren (ops/analysis.ts,
 * ops/relearn.ts) in a worker thread, so the thread answering the UI never trains; progress
 * and the end arrive as contract events. This file also holds the worker's side: loaded in a
 * worker with `role: 'relearn-job'` (through electron/workers/relearn-worker.ts) it runs the job
 * and posts its progress and result.
 * The results are read back from the run's JSON (db/analysis-inputs.ts) and the database.
 */
import { isMainThread, parentPort, workerData, type Worker } from 'node:worker_threads';
import type {
  AnalysisStartParams,
  AnalysisSummary,
  ChangedFace,
  ChangedFacesParams,
  ChildDecision,
  CombineRule,
  RunningAnalysisJob,
  RelearnReport,
  RelearnStartParams,
} from '../../../api/contract.ts';
import { ApiError, RULE_SPLITS } from '../../../api/contract.ts';
import { CLASS_NAMES, NUM_CLASSES, type ClassId, type ModelId, type RunId, type SampleId } from '../../../api/domain.ts';
import { combineStored, fittedInWords } from '../../../core/relearn/combine.ts';
import { readRunResult } from '../../../db/analysis-inputs.ts';
import { listChildDecisions, recordChildDecision } from '../../../db/child-decision-store.ts';
import { listChildGroups, updateChildGroup } from '../../../db/child-group-store.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { getModel, listModels, updateModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { getRun, listRuns, type Run } from '../../../db/run-store.ts';
import { spawnWorker, workerEntry } from '../../workers/spawn-worker.ts';
import type { Emit } from '../ops-loader.ts';
import type { AnalyzeResult } from './analysis.ts';
import type { RelearnResult } from './relearn.ts';
import { analyzeProgress, relearnProgress, type Progress } from './job-progress.ts';

interface JobInput {
  role: 'relearn-job';
  job: 'analysis' | 'relearn';
  projectPath: string;
  analysis?: AnalysisStartParams;
  relearn?: RelearnStartParams;
  /** Int32 flag the parent sets to 1 to cancel (read at every progress report). */
  cancelFlag: SharedArrayBuffer;
}

const CANCELLED = 'cancelled';

type WorkerMessage = { type: 'progress'; progress: Progress } | { type: 'result'; runId: number | null; error: string | null };

/** The worker side: runs one job on its own connection to the project file. */
async function runJobInWorker(input: JobInput): Promise<void> {
  const post = (m: WorkerMessage) => parentPort?.postMessage(m);
  const controller = new AbortController();
  const signal = controller.signal;
  // Training never yields to the worker's event loop between epochs, so a posted message would
  // wait for the end of the job: the parent sets a shared flag instead, read at each progress.
  const flag = new Int32Array(input.cancelFlag);
  const report = (p: Progress) => {
    if (Atomics.load(flag, 0) === 1 && !signal.aborted) controller.abort();
    post({ type: 'progress', progress: p });
  };
  try {
    if (input.job === 'analysis') {
      const { analyzeModel } = await import('./analysis.ts');
      const a = input.analysis!;
      const r = await analyzeModel(input.projectPath, a.modelId, { folds: a.folds, nMin: a.nMin, signal, onProgress: (p) => report(analyzeProgress(p)) });
      post({ type: 'result', runId: r.runId, error: null });
    } else {
      const { relearnChildren } = await import('./relearn.ts');
      const p = input.relearn!;
      const groups = p.groups?.map((g) => `${CLASS_NAMES[g.given]}>${CLASS_NAMES[g.predicted]}`).join(',');
      const r = await relearnChildren(input.projectPath, p.parentModelId, {
        groups,
        nMin: p.nMin,
        seed: p.seed,
        replayRatio: p.replayRatio,
        child: { ...(p.epochs ? { epochs: p.epochs } : {}), ...(p.learningRateScale ? { learningRateScale: p.learningRateScale } : {}) },
        combine: p.combine,
        signal,
        onProgress: (x) => report(relearnProgress(x)),
      });
      post({ type: 'result', runId: r.runId, error: null });
    }
  } catch (e) {
    post({ type: 'result', runId: null, error: signal.aborted ? CANCELLED : e instanceof Error ? e.message : String(e) });
  }
}

if (!isMainThread && (workerData as Partial<JobInput> | null)?.role === 'relearn-job') void runJobInWorker(workerData as JobInput);

/** Analysis and re-learning jobs of one open project; each runs in its own worker thread. */
export class RelearnJobs {
  private readonly workers = new Map<string, Worker>();
  private readonly cancelFlags = new Map<string, Int32Array>();
  private readonly latest = new Map<string, RunningAnalysisJob>();
  private next = 1;

  constructor(
    private readonly db: ProjectDb,
    private readonly emit: Emit,
  ) {}

  startAnalysis(p: AnalysisStartParams): { jobId: string } {
    const model = getModel(this.db, p.modelId);
    if (!model || model.structure.role === 'out-of-fold') throw new Error(`no trained model ${p.modelId} in this project`);
    const jobId = `analysis-${this.next++}`;
    this.latest.set(jobId, { jobId, kind: 'analysis', modelId: p.modelId, stage: 'start', message: 'starting', done: 0, total: p.folds ?? null });
    this.launch(jobId, { role: 'relearn-job', job: 'analysis', projectPath: this.db.path, analysis: p }, {
      progress: (x) => {
        this.latest.set(jobId, { jobId, kind: 'analysis', modelId: p.modelId, ...x });
        this.emit('analysis:progress', { jobId, modelId: p.modelId, ...x });
      },
      done: (status, runId, error) => {
        if (error) this.emit('job:error', { jobId, kind: 'analysis', message: error });
        this.emit('analysis:done', { jobId, modelId: p.modelId, status, runId: runId as RunId | null, error });
      },
    });
    return { jobId };
  }

  startRelearn(p: RelearnStartParams): { jobId: string } {
    const model = getModel(this.db, p.parentModelId);
    if (!model || model.parentModelId !== null || model.structure.role === 'out-of-fold') throw new Error(`model ${p.parentModelId} is not a parent model of this project`);
    if ([...this.workers.keys()].some((k) => k.startsWith('relearn-'))) throw new Error('a re-learning job is already running');
    const jobId = `relearn-${this.next++}`;
    this.latest.set(jobId, { jobId, kind: 'relearn', modelId: p.parentModelId, stage: 'start', message: 'starting', done: 0, total: p.groups?.length ?? null });
    this.launch(jobId, { role: 'relearn-job', job: 'relearn', projectPath: this.db.path, relearn: p }, {
      progress: (x) => {
        this.latest.set(jobId, { jobId, kind: 'relearn', modelId: p.parentModelId, ...x });
        this.emit('relearn:progress', { jobId, parentModelId: p.parentModelId, ...x });
      },
      done: (status, runId, error) => {
        if (error) this.emit('job:error', { jobId, kind: 'relearn', message: error });
        this.emit('relearn:done', { jobId, parentModelId: p.parentModelId, status, runId: runId as RunId | null, error });
      },
    });
    return { jobId };
  }

  /** The jobs running now, with their latest progress. */
  running(): RunningAnalysisJob[] {
    return [...this.latest.values()].filter((j) => this.workers.has(j.jobId));
  }

  /** Asks a running job to stop after its current batch; false when no such job runs. */
  cancel(jobId: string): boolean {
    const flag = this.cancelFlags.get(jobId);
    if (!flag || !this.workers.has(jobId)) return false;
    Atomics.store(flag, 0, 1);
    return true;
  }

  /** Stops every running job (project closed, shutdown, tests). */
  async dispose(): Promise<void> {
    await Promise.all([...this.workers.values()].map((w) => w.terminate()));
    this.workers.clear();
  }

  private launch(
    jobId: string,
    input: Omit<JobInput, 'cancelFlag'>,
    on: { progress: (p: Progress) => void; done: (status: 'done' | 'failed' | 'cancelled', runId: number | null, error: string | null) => void },
  ): void {
    const cancelFlag = new SharedArrayBuffer(4);
    const worker = spawnWorker(workerEntry('relearn-worker'), { ...input, cancelFlag } as unknown as Record<string, unknown>);
    this.workers.set(jobId, worker);
    this.cancelFlags.set(jobId, new Int32Array(cancelFlag));
    let finished = false;
    const finish = (runId: number | null, error: string | null) => {
      if (finished) return;
      finished = true;
      this.workers.delete(jobId);
      this.cancelFlags.delete(jobId);
      this.latest.delete(jobId);
      if (error === CANCELLED) on.done('cancelled', runId, null);
      else on.done(error ? 'failed' : 'done', runId, error);
    };
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') on.progress(m.progress);
      else {
        finish(m.runId, m.error);
        // The wasm backend keeps a worker's event loop alive: the result is the end of the job.
        void worker.terminate();
      }
    });
    worker.on('error', (e) => finish(null, e.message));
    worker.on('exit', () => finish(null, 'the worker stopped without a result'));
  }
}

export function latestRun(db: ProjectDb, kind: 'analyze' | 'relearn', key: 'modelId' | 'parentModelId', modelId: number): Run | null {
  const runs = listRuns(db, { kind, status: 'done' }).filter((r) => Number((r.config as Record<string, unknown>)[key]) === modelId);
  return runs.sort((a, b) => b.id - a.id)[0] ?? null;
}

/** The latest finished analysis of a model, or null. */
export function latestAnalysis(db: ProjectDb, modelId: ModelId | number): AnalysisSummary | null {
  const run = latestRun(db, 'analyze', 'modelId', Number(modelId));
  const r = run ? readRunResult<AnalyzeResult>(db, run.id) : null;
  if (!run || !r) return null;
  const g = r.confusionGroups;
  return {
    runId: run.id,
    modelId: r.modelId,
    folds: r.folds,
    inSample: r.inSample,
    warnings: r.warnings,
    finishedAt: run.finishedAt,
    groups: {
      source: g.source,
      trainFaces: g.trainFaces,
      misclassified: g.misclassified,
      nMin: g.nMin,
      groups: g.groups.map((x) => ({ given: x.given as ClassId, predicted: x.predicted as ClassId, name: x.name, count: x.count, kept: x.kept })),
    },
  };
}

function decisionOf(db: ProjectDb, childIds: number[]): ChildDecision {
  const statuses = new Set(childIds.map((id) => getModel(db, id)?.status));
  if (statuses.size === 1 && statuses.has('adopted')) return 'adopted';
  if (statuses.size === 1 && statuses.has('discarded')) return 'discarded';
  return 'undecided';
}

function report(db: ProjectDb, run: Run): RelearnReport | null {
  const r = readRunResult<RelearnResult>(db, run.id);
  if (!r) return null;
  type Figures = RelearnReport['splits'][number]['parent'];
  const pick = (stored: unknown): Figures => {
    const e = stored as Figures;
    return { accuracy: e.accuracy, per_class: e.per_class, n_evaluated: e.n_evaluated };
  };
  const splits = (['valid', 'test'] as const).flatMap((s) => {
    const x = r.routing.splits[s];
    if (!x) return [];
    return [{ split: s, parent: pick(x.parent), parentChildren: pick(x.parentChildren), routed: x.routed, wrongToRight: x.wrongToRight, rightToWrong: x.rightToWrong, perChild: x.perChild }];
  });
  return {
    runId: r.runId,
    parentModelId: r.parentModelId,
    tau: r.tau,
    rule: appliedRule(r).rule,
    rules: (r.routing.rules ?? []).map((x) => ({
      rule: x.rule,
      fitted: fittedInWords(x.rule, x.params),
      splits: RULE_SPLITS.flatMap((split) => {
        const f = x.splits[split];
        return f ? [{ split, faces: f.faces, parentAccuracy: f.parentAccuracy, accuracy: f.accuracy, routed: f.routed, wrongToRight: f.wrongToRight, rightToWrong: f.rightToWrong }] : [];
      }),
    })),
    decisions: listChildDecisions(db, run.id).map((d) => ({ decision: d.decision, worseAccepted: d.worseAccepted, decidedAt: d.decidedAt })),
    worseThanParent: splits.filter((s) => s.parentChildren.accuracy < s.parent.accuracy).map((s) => ({ split: s.split, parentAccuracy: s.parent.accuracy, parentChildrenAccuracy: s.parentChildren.accuracy })),
    children: r.groups.map((g) => ({ modelId: g.childModelId, groupId: g.groupId, name: g.name, given: g.given as ClassId, predicted: g.predicted as ClassId, nCases: g.nCases, nReplay: g.nReplay, epochs: g.epochs })),
    childLearningRateScale: r.childOptions?.learningRateScale ?? null,
    decision: decisionOf(db, r.groups.map((g) => g.childModelId)),
    splits,
    notes: r.notes,
    finishedAt: run.finishedAt,
  };
}

/** The latest finished re-learning of a parent, or null. */
export function latestRelearn(db: ProjectDb, parentModelId: ModelId | number): RelearnReport | null {
  const run = latestRun(db, 'relearn', 'parentModelId', Number(parentModelId));
  return run ? report(db, run) : null;
}

function relearnRun(db: ProjectDb, runId: RunId | number): { run: Run; result: RelearnResult } {
  const run = getRun(db, runId);
  const result = run && run.kind === 'relearn' ? readRunResult<RelearnResult>(db, run.id) : null;
  if (!run || !result) throw new Error(`no finished re-learning run ${runId} in this project`);
  return { run, result };
}

/**
 * Adopts or discards every child of a re-learning run (model and child-group status) and
 * records the decision with its time. Adopting children that made valid or test accuracy
 * worse is refused unless `acceptWorse` says the person saw the numbers and confirmed.
 */
export function decideChildren(db: ProjectDb, runId: RunId | number, decision: 'adopted' | 'discarded', acceptWorse = false): RelearnReport {
  const { run, result } = relearnRun(db, runId);
  const worse = report(db, run)!.worseThanParent;
  if (decision === 'adopted' && worse.length > 0 && !acceptWorse) {
    const figures = worse.map((w) => `${w.split} ${pct(w.parentAccuracy)} → ${pct(w.parentChildrenAccuracy)} (${points(w.parentChildrenAccuracy - w.parentAccuracy)})`).join(', ');
    throw new ApiError('conflict', `parent + children of run ${run.id} are less accurate than the parent alone: ${figures}; confirm to adopt them anyway (acceptWorse)`);
  }
  db.write(() => {
    for (const g of result.groups) updateModel(db, g.childModelId, { status: decision });
    for (const g of listChildGroups(db, { relearnRunId: run.id })) if (g.childModelId !== null) updateChildGroup(db, g.id, { status: decision });
    recordChildDecision(db, { relearnRunId: run.id, decision, worseAccepted: decision === 'adopted' && worse.length > 0 });
  });
  return report(db, run)!;
}

const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
const points = (d: number) => `${d < 0 ? '−' : '+'}${Math.abs(d * 100).toFixed(1)} points`;

/**
 * The faces of a split whose answer the children changed, recomputed from the stored
 * predictions with the run's rule and what was fitted for it on valid (ops/relearn-routing.ts),
 * so they are the faces its wrong -> right and right -> wrong counts count.
 */
export async function changedFaces(db: ProjectDb, p: ChangedFacesParams): Promise<{ total: number; items: ChangedFace[] }> {
  const { result } = relearnRun(db, p.runId);
  const { referenceLabels } = await import('./evaluation.ts');
  const parent = readPredictions(db, result.parentModelId, p.split);
  const ref = referenceLabels(db, p.split, 'current');
  const refOf = new Map<number, number>();
  ref.ids.forEach((id, i) => refOf.set(id, ref.labels[i]));
  const kids = result.groups.map((g) => {
    const q = readPredictions(db, g.childModelId, p.split);
    const row = new Map<number, number>();
    q.ids.forEach((id, i) => row.set(id, i));
    return { g, q, row };
  });
  const keep: number[] = [];
  parent.ids.forEach((id, i) => {
    if ((refOf.get(id) ?? -1) >= 0 && kids.every((k) => k.row.has(id))) keep.push(i);
  });
  const n = keep.length;
  const probs = new Float32Array(n * NUM_CLASSES);
  keep.forEach((r, j) => probs.set(parent.probs.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), j * NUM_CLASSES));
  const children = kids.map(({ g, q, row }) => {
    const c = new Float32Array(n * NUM_CLASSES);
    keep.forEach((r, j) => {
      const at = row.get(parent.ids[r])!;
      c.set(q.probs.subarray(at * NUM_CLASSES, (at + 1) * NUM_CLASSES), j * NUM_CLASSES);
    });
    return { given: g.given, predicted: g.predicted, probs: c };
  });
  const { rule, params } = appliedRule(result);
  const routed = combineStored(rule, params, probs, children);
  const all: ChangedFace[] = [];
  keep.forEach((r, j) => {
    const id = parent.ids[r];
    const label = refOf.get(id)!;
    const before = routed.parentPredicted[j];
    const after = routed.predicted[j];
    if (before === after) return;
    const change = before !== label && after === label ? 'wrong-to-right' : before === label && after !== label ? 'right-to-wrong' : null;
    if (change !== p.change) return;
    all.push({ sampleId: id as SampleId, label: label as ClassId, parentPredicted: before as ClassId, routedPredicted: after as ClassId, child: result.groups[routed.routedTo[j]]?.name ?? '' });
  });
  const offset = p.offset ?? 0;
  return { total: all.length, items: all.slice(offset, offset + (p.limit ?? 100)) };
}

/** The rule behind a run's figures and its fitted parameters (runs from before the rules: kl-argmax with the run's tau). */
function appliedRule(result: RelearnResult): { rule: CombineRule; params: Record<string, unknown> } {
  const rule: CombineRule = result.routing.rule ?? 'kl-argmax';
  const params = result.routing.rules?.find((r) => r.rule === rule)?.params ?? (rule === 'kl-argmax' ? { tau: result.tau } : null);
  if (!params) throw new Error(`re-learning run ${result.runId}: no fitted parameters stored for its rule ${rule}`);
  return { rule, params };
}

/** Parent models: trained networks, not children, not out-of-fold prediction sets, not imported predictions. */
export function parentModels(db: ProjectDb): ModelId[] {
  return listModels(db, { parentModelId: null }).filter((m) => m.structure.role !== 'out-of-fold' && m.kind !== 'imported').map((m) => m.id);
}

