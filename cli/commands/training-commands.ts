// `train`, `evaluate` and `models`: training runs from the command line, in-process, with
// progress on stderr and the same run records the app shows.
import { resolve } from 'node:path';
import { MODEL_KINDS, REVIEWED_TARGETS, type EvaluationFigures, type ModelKind, type ReviewedTarget, type TrainingOptions } from '../../api/contract.ts';
import { CLASS_NAMES, RUNTIME_NAMES, SPLITS, type ModelId, type RuntimeName, type Split } from '../../api/domain.ts';
import { openProject, type ProjectDb } from '../../db/connection.ts';
import { getModel, listModels } from '../../db/model-store.ts';
import { runningElsewhere, RunningElsewhereError } from '../../db/run-lease.ts';
import { createRun, listEpochs, listStructureEvents, getRun } from '../../db/run-store.ts';
import { evaluateModel } from '../../electron/service/ops/evaluation.ts';
import { evaluateDevTest } from '../../electron/service/ops/dev-test.ts';
import { runConfig, runTrainingJob, type StoredRunConfig } from '../../electron/service/ops/training-job.ts';
import { planTraining } from '../../electron/service/ops/training-plan.ts';
import { CliError } from '../cli-error.ts';
import { intOption, numOption, requireString, threadsOption, type Command, type CommandResult } from '../command.ts';
import { formatSeconds } from '../progress.ts';
import { methodFlagOptions, methodFlagsHelp, parseMethodFlags } from './method-flags.ts';

function runtimeOption(value: unknown): RuntimeName | undefined {
  if (value === undefined) return undefined;
  if (!(RUNTIME_NAMES as readonly unknown[]).includes(value)) throw new CliError(`--runtime must be one of ${RUNTIME_NAMES.join(', ')}, got ${String(value)}`, 2);
  return value as RuntimeName;
}

function reviewedTargetOption(values: Record<string, unknown>): ReviewedTarget | undefined {
  const v = values['reviewed-target'];
  if (v === undefined) return undefined;
  if (!(REVIEWED_TARGETS as readonly string[]).includes(String(v))) throw new CliError(`--reviewed-target must be one of ${REVIEWED_TARGETS.join(', ')}, got ${String(v)}`, 2);
  return v as ReviewedTarget;
}

function dryRun(db: ProjectDb, options: TrainingOptions): CommandResult {
  const plan = planTraining(db, options);
  const perClass = Object.entries(plan.perClass).map(([c, n]) => `${c} ${n}`).join(', ');
  const leftOut = Object.entries(plan.leftOut).map(([k, n]) => `  ${String(n).padStart(7)}  ${k}`);
  const text = [
    `would train on ${plan.trainFaces} faces${plan.trainFaces < plan.eligibleFaces ? ` (a seeded ${plan.trainFaces} of ${plan.eligibleFaces})` : ''}; ${plan.validFaces} valid faces for early stopping`,
    `per class: ${perClass}`,
    `soft targets ${plan.softTargets ? 'on' : 'off'}: ${plan.softTargetRows} faces train on a distribution (${plan.voteOnlyRows} of them without a majority, on votes alone)`,
    `${plan.reviewerTargetRows} faces train on a reviewer's decision (rule: ${plan.reviewedTarget})`,
    leftOut.length ? `left out:\n${leftOut.join('\n')}` : 'no face left out',
  ].join('\n');
  return { json: plan, text };
}

export const trainCommand: Command = {
  summary: 'train a model: --model cnn | adbn (Adaptive DBN) | dbn (fixed-size DBN control)',
  usage: `affect-relearn train --project <file> --model <cnn|adbn|dbn> [options] [--json]

  --epochs N          CNN: max epochs (30); DBN kinds: fine-tuning epochs (30)
  --pretrain-epochs N DBN kinds: max RBM epochs per layer (20)
  --hidden A,B,...    dbn: units per layer (512,256); adbn: initial units of the first layer (64)
  --max-layers N      adbn: most layers it may generate (5)
  --batch-size N      (64)          --lr X      learning rate (CNN/fine-tuning Adam 1e-3)
  --patience N        early stopping on the valid split (5)
  --seed N            (1)           --max-samples N   train on a seeded subset
  --hard-labels       ignore annotator votes (default: soft targets when a face has >= 3 labels;
                      faces without a majority then train on their votes)
  --reviewed-target R one-hot (default): a face a reviewer relabelled or confirmed trains on the
                      reviewer's class alone; weighted: the reviewer outweighs all votes together
                      and the votes keep the rest. Ambiguous / not-a-face faces are always left out
  --resume RUN        resume a cancelled or killed run from its last checkpoint (refused while another
                      process trains it; taken over once that process is gone)
  --dry-run           print what the run would train on and stop: faces per class, soft-target
                      rows, faces whose target is a reviewer's decision, faces left out and why
  --runtime NAME      engine runtime: ${RUNTIME_NAMES.join(', ')}
                      (default: the best present; also AFFECT_RELEARN_BACKEND)
  --threads N         runtime threads (default: all cores but one)

METHOD.md's constants (default in parentheses; every value is recorded with the run):
${methodFlagsHelp()}

Progress goes to stderr. With --json: {id, run, backend, status, epochs, structure_events};
with --dry-run --json: {trainFaces, perClass, softTargetRows, reviewerTargetRows, voteOnlyRows,
leftOut, eligibleFaces, validFaces, softTargets, reviewedTarget}.`,
  options: {
    project: { type: 'string' },
    model: { type: 'string' },
    epochs: { type: 'string' },
    'pretrain-epochs': { type: 'string' },
    hidden: { type: 'string' },
    'max-layers': { type: 'string' },
    'batch-size': { type: 'string' },
    lr: { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    'max-samples': { type: 'string' },
    'hard-labels': { type: 'boolean', default: false },
    'reviewed-target': { type: 'string' },
    resume: { type: 'string' },
    runtime: { type: 'string' },
    threads: { type: 'string' },
    ...methodFlagOptions(),
    'dry-run': { type: 'boolean', default: false },
  },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const db = openProject(path);
    let runId;
    try {
      if (values.resume !== undefined) {
        const id = intOption(values, 'resume');
        const run = id === undefined ? null : getRun(db, id);
        if (!run || run.kind !== 'train') throw new CliError(`no training run ${String(values.resume)} in ${path}`);
        if (values['dry-run']) return dryRun(db, (run.config as unknown as StoredRunConfig).options);
        if (run.status === 'done') throw new CliError(`run ${run.id} already finished`);
        const owner = runningElsewhere(db, run.id);
        if (owner) throw new CliError(new RunningElsewhereError(run.id, owner).message);
        runId = run.id;
      } else {
        const kind = requireString(values, 'model', this.usage);
        if (!(MODEL_KINDS as readonly string[]).includes(kind)) throw new CliError(`--model must be one of ${MODEL_KINDS.join(', ')}, got ${kind}`, 2);
        const hidden = typeof values.hidden === 'string' ? values.hidden.split(',').map((s) => Number(s.trim())) : undefined;
        if (hidden && hidden.some((h) => !Number.isInteger(h) || h < 1)) throw new CliError(`--hidden must be positive integers separated by commas, got ${String(values.hidden)}`, 2);
        const options: TrainingOptions = {
          epochs: intOption(values, 'epochs'),
          pretrainEpochs: intOption(values, 'pretrain-epochs'),
          hiddenUnits: hidden,
          maxLayers: intOption(values, 'max-layers'),
          batchSize: intOption(values, 'batch-size'),
          learningRate: numOption(values, 'lr'),
          patience: intOption(values, 'patience'),
          seed: intOption(values, 'seed', 0),
          maxSamples: intOption(values, 'max-samples'),
          softTargets: !values['hard-labels'],
          runtime: runtimeOption(values.runtime),
          threads: threadsOption(values),
          method: parseMethodFlags(values, kind as ModelKind),
          reviewedTarget: reviewedTargetOption(values),
        };
        for (const k of Object.keys(options) as (keyof TrainingOptions)[]) if (options[k] === undefined) delete options[k];
        if (values['dry-run']) return dryRun(db, options);
        runId = createRun(db, { kind: 'train', modelKind: kind as ModelKind, config: runConfig(kind as ModelKind, options) as unknown as Record<string, unknown> });
      }
    } finally {
      db.close();
    }
    const controller = new AbortController();
    const onSigint = () => {
      process.stderr.write('\ncancelling after the current batch (the last checkpoint is kept; resume with --resume)\n');
      controller.abort();
    };
    process.once('SIGINT', onSigint);
    let backend = '';
    const result = await runTrainingJob(path, runId, {
      resume: values.resume !== undefined,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'backend') {
          backend = e.payload.name;
          process.stderr.write(`runtime: ${e.payload.name} (${e.payload.reason})\n`);
        } else if (e.type === 'progress') {
          const p = e.payload;
          if (process.stderr.isTTY)
            process.stderr.write(`\r\x1b[2K${p.phase} epoch ${p.epoch} batch ${p.batch}/${p.batches} ${Math.round(p.samplesPerSecond)} samples/s${p.etaSeconds !== null ? ` eta <= ${formatSeconds(p.etaSeconds)}` : ''}`);
        } else if (e.type === 'epoch') {
          const r = e.payload.epoch;
          const m = Object.entries(r.metrics).map(([k, v]) => `${k} ${Number.isInteger(v) ? v : v.toFixed(4)}`).join(' ');
          process.stderr.write(`${process.stderr.isTTY ? '\r\x1b[2K' : ''}epoch ${r.epoch} [${r.phase}] ${m}${r.units.length ? ` units ${r.units.join('-')}` : ''} (${r.seconds.toFixed(1)}s)\n`);
        } else if (e.type === 'structure') {
          const s = e.payload.event;
          process.stderr.write(`  ${s.kind} in layer ${s.layer}: ${s.unitsBefore} -> ${s.unitsAfter} units\n`);
        }
      },
    });
    process.off('SIGINT', onSigint);
    const db2 = openProject(path);
    try {
      const run = getRun(db2, runId)!;
      const model = result.modelId ? getModel(db2, result.modelId) : null;
      const json = {
        id: result.modelId,
        run: runId,
        backend: run.backend ?? backend,
        status: result.status,
        error: result.error,
        config: run.config,
        epochs: listEpochs(db2, runId),
        structure_events: listStructureEvents(db2, runId),
        units: model ? (model.structure as { units?: number[] }).units ?? [] : [],
      };
      const text =
        result.status === 'done'
          ? `model ${result.modelId} trained (run ${runId}, ${json.backend})`
          : result.status === 'cancelled'
            ? `run ${runId} cancelled; resume with: affect-relearn train --project ${path} --resume ${runId}`
            : `run ${runId} failed: ${result.error}`;
      return { json, text, exitCode: result.status === 'done' ? 0 : result.status === 'cancelled' ? 130 : 1 };
    } finally {
      db2.close();
    }
  },
};

export const evaluateCommand: Command = {
  summary: 'evaluate a model on a split: published labels (FER+ majority protocol) and current labels (after review)',
  usage: `affect-relearn evaluate --project <file> --model <id> --split <valid|test|train|dev-test> [--json]

Scores the model against the published labels (the FER+ majority of the votes where a face has
votes, else the dataset's label; comparable with the literature) and against the current labels
(after review: a reviewer's class wins, faces marked ambiguous or not a face are left out).
With --json: the published figures {accuracy, per_class, confusion, n_evaluated, n_excluded,
excluded_by_reason}, the same under "current", n_label_changes, and on valid and test
"leakFree" {twins, published, current}: the figures without the faces that have a byte-identical
twin in an earlier split (valid: train; test: train or valid). dev-test: the faces held out by
carve-dev-test (not stored with the model's evaluations).`,
  options: { project: { type: 'string' }, model: { type: 'string' }, split: { type: 'string', default: 'valid' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const modelId = intOption(values, 'model');
    if (modelId === undefined) throw new CliError(`missing --model\n\n${this.usage}`, 2);
    const split = String(values.split) as Split | 'dev-test';
    if (split !== 'dev-test' && !(SPLITS as readonly string[]).includes(split)) throw new CliError(`--split must be one of ${SPLITS.join(', ')}, dev-test`, 2);
    const db = openProject(path);
    try {
      if (!getModel(db, modelId)) throw new CliError(`no model ${modelId} in ${path}`);
      const r = split === 'dev-test' ? evaluateDevTest(db, modelId) : await evaluateModel(db, modelId as ModelId, split);
      const figures = (name: string, f: EvaluationFigures) =>
        `${name}: accuracy ${(f.accuracy * 100).toFixed(2)}% on ${f.n_evaluated} faces (${f.n_excluded} left out${Object.keys(f.excluded_by_reason).length ? `: ${Object.entries(f.excluded_by_reason).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''})`;
      const lines = [`model ${modelId} on ${split}`, `  ${figures('published labels', r)}`];
      if (r.current) lines.push(`  ${figures('current labels  ', r.current)}${r.n_label_changes ? `; review changed ${r.n_label_changes} reference labels` : ''}`);
      if ('leakFree' in r && r.leakFree) {
        lines.push(`  leak-free (without the ${r.leakFree.twins} faces with an exact twin in an earlier split):`);
        lines.push(`    ${figures('published labels', r.leakFree.published)}`);
        lines.push(`    ${figures('current labels  ', r.leakFree.current)}`);
      }
      lines.push('published labels:');
      lines.push(`${'class'.padEnd(10)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'f1'.padStart(6)} ${'support'.padStart(8)}`);
      for (const c of r.per_class) lines.push(`${c.class.padEnd(10)} ${c.precision.toFixed(3).padStart(9)} ${c.recall.toFixed(3).padStart(7)} ${c.f1.toFixed(3).padStart(6)} ${String(c.support).padStart(8)}`);
      lines.push('confusion (rows true, columns predicted):');
      lines.push(`${''.padEnd(10)}${CLASS_NAMES.map((c) => c.slice(0, 6).padStart(7)).join('')}`);
      r.confusion.forEach((row, i) => lines.push(`${CLASS_NAMES[i].padEnd(10)}${row.map((v) => String(v).padStart(7)).join('')}`));
      return { json: r, text: lines.join('\n') };
    } finally {
      db.close();
    }
  },
};

export const modelsCommand: Command = {
  summary: 'list the models of a project',
  usage: 'affect-relearn models --project <file> [--json]',
  options: { project: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const db = openProject(path);
    try {
      const models = listModels(db);
      const text = models.length
        ? models.map((m) => `${String(m.id).padStart(4)}  ${m.kind.padEnd(5)} ${m.name}  ${m.status}  ${m.createdAt}${m.parentModelId ? `  child of ${m.parentModelId}` : ''}`).join('\n')
        : 'no models yet: train one with `affect-relearn train`';
      return { json: models, text };
    } finally {
      db.close();
    }
  },
};
