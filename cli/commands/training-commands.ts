// `train`, `evaluate` and `models`: training runs from the command line, in-process, with
// progress on stderr and the same run records the app shows.
import { resolve } from 'node:path';
import { MODEL_KINDS, type ModelKind, type TrainingOptions } from '../../api/contract.ts';
import { CLASS_NAMES, SPLITS, type ModelId, type Split } from '../../api/domain.ts';
import { openProject } from '../../db/connection.ts';
import { getModel, listModels } from '../../db/model-store.ts';
import { runningElsewhere, RunningElsewhereError } from '../../db/run-lease.ts';
import { createRun, listEpochs, listStructureEvents, getRun } from '../../db/run-store.ts';
import { evaluateModel } from '../../electron/service/ops/evaluation.ts';
import { runConfig, runTrainingJob } from '../../electron/service/ops/training-job.ts';
import { CliError } from '../cli-error.ts';
import { intOption, numOption, requireString, type Command } from '../command.ts';
import { formatSeconds } from '../progress.ts';

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
  --hard-labels       ignore annotator votes (default: soft targets when a face has >= 3 labels)
  --resume RUN        resume a cancelled or killed run from its last checkpoint (refused while another
                      process trains it; taken over once that process is gone)

Progress goes to stderr. With --json: {id, run, backend, status, epochs, structure_events}.`,
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
    resume: { type: 'string' },
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
        };
        for (const k of Object.keys(options) as (keyof TrainingOptions)[]) if (options[k] === undefined) delete options[k];
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
          process.stderr.write(`backend: ${e.payload.name} (${e.payload.reason})\n`);
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
  summary: 'evaluate a model on a split (FER+ majority protocol where faces have votes)',
  usage: `affect-relearn evaluate --project <file> --model <id> --split <valid|test|train> [--json]`,
  options: { project: { type: 'string' }, model: { type: 'string' }, split: { type: 'string', default: 'valid' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const modelId = intOption(values, 'model');
    if (modelId === undefined) throw new CliError(`missing --model\n\n${this.usage}`, 2);
    const split = String(values.split) as Split;
    if (!(SPLITS as readonly string[]).includes(split)) throw new CliError(`--split must be one of ${SPLITS.join(', ')}`, 2);
    const db = openProject(path);
    try {
      if (!getModel(db, modelId)) throw new CliError(`no model ${modelId} in ${path}`);
      const r = await evaluateModel(db, modelId as ModelId, split);
      const lines = [`model ${modelId} on ${split}: accuracy ${(r.accuracy * 100).toFixed(2)}% on ${r.n_evaluated} faces (${r.n_excluded} left out${Object.keys(r.excluded_by_reason).length ? `: ${Object.entries(r.excluded_by_reason).map(([k, v]) => `${k} ${v}`).join(', ')}` : ''})`];
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
