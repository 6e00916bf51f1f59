// `analyze`, `relearn` and `report`: the ambiguity analysis, child-model re-learning and the
// HTML report from the command line, in-process, progress on stderr (METHOD.md 5-6).
import { resolve } from 'node:path';
import { CLASS_NAMES } from '../../api/domain.ts';
import { openProject } from '../../db/connection.ts';
import { getModel } from '../../db/model-store.ts';
import { analyzeModel, IN_SAMPLE_WARNING, type AnalyzeProgress, type AnalyzeResult } from '../../electron/service/ops/analysis.ts';
import { estimateAnalysis } from '../../electron/service/ops/analysis-estimate.ts';
import { relearnChildren, type RelearnResult } from '../../electron/service/ops/relearn.ts';
import { DEFAULT_COMBINE_RULE, ROUTING_SPLITS } from '../../electron/service/ops/relearn-routing.ts';
import { COMBINE_RULES, type CombineRule } from '../../api/contract.ts';
import { writeReport } from '../../electron/service/ops/report.ts';
import { CliError } from '../cli-error.ts';
import { intOption, numOption, requireString, threadsOption, type Command } from '../command.ts';
import { formatSeconds } from '../progress.ts';

function requireModel(path: string, id: number | undefined, flag: string, usage: string): number {
  if (id === undefined) throw new CliError(`missing --${flag}\n\n${usage}`, 2);
  const db = openProject(path);
  try {
    if (!getModel(db, id)) throw new CliError(`no model ${id} in ${path}`);
  } finally {
    db.close();
  }
  return id;
}

function logAnalyzeProgress(p: AnalyzeProgress): void {
  if (p.stage === 'fold' && p.phase === 'reused') process.stderr.write(`fold ${p.fold + 1}/${p.folds}: finished by an interrupted analysis, reused\n`);
  else if (p.stage === 'fold') {
    const m = Object.entries(p.metrics).filter(([k]) => /accuracy|loss|recon/.test(k)).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ');
    process.stderr.write(`fold ${p.fold + 1}/${p.folds} epoch ${p.epoch} [${p.phase}] ${m}\n`);
  } else if (p.stage === 'backend') process.stderr.write(`backend: ${p.name} (${p.reason})\n`);
  else process.stderr.write(`${p.message}\n`);
}

const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '-');
const pct = (v: number) => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-');

function analyzeText(r: AnalyzeResult): string {
  const lines = [...r.warnings];
  lines.push(`analysis run ${r.runId} of model ${r.modelId}: ${r.inSample ? 'in-sample train predictions' : `${r.folds}-fold out-of-sample train predictions (model row ${r.oofModelId})`}`);
  for (const s of r.scores) lines.push(`  ${s.split.padEnd(8)} ${s.scored}/${s.faces} faces scored, ${s.withAnnotators} with annotators, ${s.misclassified} misclassified, ${s.confidentLearningIssues} confident-learning issues`);
  const a = r.annotators;
  if (a.identified) {
    lines.push(`annotators: Fleiss' kappa ${f3(a.identified.fleissKappa)}, agreement ${pct(a.identified.overallAgreement)} over ${a.identified.faces} faces`);
    for (const x of a.identified.annotators) lines.push(`  ${x.name.padEnd(12)} labels ${String(x.labelled).padStart(6)}  agreement ${pct(x.agreement).padStart(6)}  Dawid-Skene reliability ${f3(x.dawidSkeneReliability)}`);
  }
  if (a.crowd) lines.push(`crowd votes: Fleiss' kappa ${f3(a.crowd.fleissKappa)}, majority agreement ${pct(a.crowd.majorityAgreement)}, mean vote entropy ${f3(a.crowd.meanVoteEntropy)}, pooled Dawid-Skene reliability ${f3(a.crowd.dawidSkeneReliability)}`);
  for (const rk of r.ranking) {
    const what = rk.target === 'label_error' ? 'label errors (given label is not the reference majority)' : 'ambiguous faces (top class <= half of the votes)';
    if (rk.referenceAccuracy) lines.push(`model accuracy on ${rk.split} against the reference majority: ${pct(rk.referenceAccuracy.accuracy)} of ${rk.referenceAccuracy.faces} faces`);
    lines.push(`finding ${what} on ${rk.split}, against the ${rk.against}: ${rk.positives} of ${rk.faces}; random precision ${f3(rk.positives / rk.faces)}:`);
    for (const s of rk.scores) {
      if (s.positives === 0) lines.push(`  ${s.name.padEnd(18)} n/a: none of the ${s.scored} faces it scores is a positive`);
      else lines.push(`  ${s.name.padEnd(18)} AUROC ${f3(s.auroc)}  AP ${f3(s.averagePrecision)}  ${Object.entries(s.precisionAtK).map(([k, v]) => `P@${k} ${f3(v)}`).join('  ')}  (${s.positives} of ${s.scored})`);
    }
  }
  const g = r.confusionGroups;
  lines.push(`misclassified train faces (${g.source}): ${g.misclassified} of ${g.trainFaces}; by confusion pair (kept >= ${g.nMin} marked *):`);
  for (const x of g.groups.slice(0, 15)) lines.push(`  ${x.kept ? '*' : ' '} ${x.name.padEnd(20)} ${x.count}`);
  return lines.join('\n');
}

export const analyzeCommand: Command = {
  summary: 'ambiguity analysis: k-fold out-of-sample scores, annotator statistics, confusion groups',
  usage: `affect-relearn analyze --project <file> --model <id> [--folds N] [--fast] [--n-min N] [--threads N] [--json]

  --folds N   k-fold out-of-sample predictions for the train split (5): k copies of the model's
              training configuration, each trained on k-1 folds, predict the held-out fold
  --fast      same as --folds 1: score train with the model's own in-sample predictions (warns)
  --n-min N   smallest confusion group kept for re-learning (30)
  --threads N runtime threads for the fold trainings (default: the model's training run's)

Scores (kl_annotator, vote_entropy, margin, max_softmax, self_confidence, misclassified,
confident-learning issue, predicted class) go to the scores table of the model. Progress on stderr.`,
  options: { project: { type: 'string' }, model: { type: 'string' }, folds: { type: 'string' }, fast: { type: 'boolean', default: false }, 'n-min': { type: 'string' }, threads: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const threads = threadsOption(values);
    const modelId = requireModel(path, intOption(values, 'model'), 'model', this.usage);
    const folds = values.fast ? 1 : (intOption(values, 'folds') ?? 5);
    if (folds === 1) process.stderr.write(`${IN_SAMPLE_WARNING}\n`);
    else process.stderr.write(`${estimateLine(path, modelId, folds)}\n`);
    const r = await analyzeModel(path, modelId, { folds, nMin: intOption(values, 'n-min'), threads, onProgress: logAnalyzeProgress });
    return { json: r, text: analyzeText(r) };
  },
};

/** How long the k-fold analysis should take, said before it starts. */
function estimateLine(path: string, modelId: number, folds: number): string {
  const db = openProject(path);
  try {
    const e = estimateAnalysis(db, modelId, folds);
    return e.seconds === null ? `duration unknown: ${e.basis}` : `estimated duration ${formatSeconds(e.seconds)}: ${e.basis}`;
  } finally {
    db.close();
  }
}

function relearnText(r: RelearnResult): string {
  const lines = [`relearn run ${r.runId}: ${r.groups.length} children of model ${r.parentModelId}, tau ${r.tau.toFixed(4)} (chosen on valid)`];
  for (const g of r.groups) lines.push(`  child ${g.childModelId} ${g.name.padEnd(20)} ${g.nCases} cases + ${g.nReplay} replay, ${g.epochs} epochs${g.topUnits ? `, top layer ${g.topUnits.before} -> ${g.topUnits.after} units` : ''}`);
  if (r.emptyPairs.length) lines.push(`  pairs without misclassified faces: ${r.emptyPairs.join(', ')}`);
  lines.push(`combination rule: ${r.routing.rule}`);
  for (const split of ROUTING_SPLITS) {
    const s = r.routing.splits[split];
    if (!s) continue;
    lines.push(`${split}${split === 'valid' ? '' : ' (reported only)'}: accuracy ${pct(s.parent.accuracy)} -> ${pct(s.parentChildren.accuracy)}; routed ${s.routed}, wrong->right ${s.wrongToRight}, right->wrong ${s.rightToWrong}`);
    const pb = s.parent.per_class as { recall: number }[];
    const pa = s.parentChildren.per_class as { recall: number }[];
    lines.push(`  recall ${CLASS_NAMES.map((c, i) => `${c} ${f3(pb[i].recall)}->${f3(pa[i].recall)}`).join(', ')}`);
    for (const c of s.perChild) lines.push(`  ${c.name.padEnd(20)} routed ${c.routed}, changed ${c.changed}, wrong->right ${c.wrongToRight}, right->wrong ${c.rightToWrong}`);
  }
  lines.push('every rule (fitted on valid; faces changed, wrong->right, right->wrong; disgust and anger recall):');
  for (const x of r.routing.rules) {
    const fitted = Object.entries(x.params).filter(([k]) => k !== 'weights' && k !== 'lambdas').map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('/') : v === null ? 'off' : Number(v).toPrecision(4)}`);
    lines.push(`  ${x.rule.padEnd(9)} fitted on valid: ${fitted.join(', ')}`);
    for (const split of ROUTING_SPLITS) {
      const f = x.splits[split];
      if (!f) continue;
      lines.push(`  ${x.rule.padEnd(9)} ${split.padEnd(8)} ${pct(f.parentAccuracy)} -> ${pct(f.accuracy)}  changed ${f.changed}, +${f.wrongToRight} -${f.rightToWrong}  disgust ${f3(f.parentRecall[5])}->${f3(f.recall[5])} anger ${f3(f.parentRecall[6])}->${f3(f.recall[6])}`);
    }
  }
  lines.push(...r.notes);
  return lines.join('\n');
}

export const relearnCommand: Command = {
  summary: 're-learn child models for the parent\'s confusion pairs (KL routing as in Ichimura & Kamada)',
  usage: `affect-relearn relearn --project <file> --parent <id> [--groups auto|"disgust>anger,..."] [options] [--json]

  --groups G        auto (default): every pair with >= n-min out-of-sample misclassified train
                    faces; or pairs "disgust>anger,anger>disgust" ("a<>b" = both directions)
  --n-min N         (30)   --replay-ratio X  replay faces per case (1; 0: cases only)
  --folds N         folds of the analysis run first when none exists (5)
  --child-epochs N  (10)   --child-lr-scale X  child learning rate / parent's (0.1)
  --generation-epochs N  Adaptive DBN: CD-1 epochs measuring the walking distance of the child's
                    top hidden layer on its faces before fine-tuning, units split by the
                    parent's generation rule (3); 0 switches neuron generation off
  --seed N          case sampling seed (the parent's)
  --combine R       how parent and children answer together (kl-argmax):
                    kl-argmax  the child's argmax when KL(parent || child) > tau (METHOD.md 6.5)
                    kl-mix     argmax of (1-w) parent + w child, w = KL / (KL + kappa)
                    gate       logistic regression on [parent, child, KL] fitted on valid
                    (every rule is fitted on valid and reported on valid, test and the dev-test)
  --stale-labels S  recompute (default): when a review decision was made since the out-of-fold
                    predictions, run the analysis again on the current labels; refuse: stop and say so
  --threads N       runtime threads for the children and that analysis (default: the parent's)

Requires out-of-sample train predictions computed on the current labels (runs analyze first if
missing or stale); tau is chosen on valid only.`,
  options: {
    project: { type: 'string' }, parent: { type: 'string' }, groups: { type: 'string' }, 'n-min': { type: 'string' }, 'replay-ratio': { type: 'string' },
    folds: { type: 'string' }, 'child-epochs': { type: 'string' }, 'child-lr-scale': { type: 'string' }, 'generation-epochs': { type: 'string' }, seed: { type: 'string' },
    'stale-labels': { type: 'string' }, combine: { type: 'string' }, threads: { type: 'string' },
  },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const combine = values.combine ?? DEFAULT_COMBINE_RULE;
    if (!(COMBINE_RULES as readonly unknown[]).includes(combine)) throw new CliError(`--combine must be one of ${COMBINE_RULES.join(', ')}, got ${String(combine)}`, 2);
    const threads = threadsOption(values);
    const parentId = requireModel(path, intOption(values, 'parent'), 'parent', this.usage);
    const stale = values['stale-labels'] ?? 'recompute';
    if (stale !== 'recompute' && stale !== 'refuse') throw new CliError(`--stale-labels must be recompute or refuse, got ${String(stale)}`, 2);
    const child: Record<string, number> = {};
    const epochs = intOption(values, 'child-epochs');
    const lr = numOption(values, 'child-lr-scale');
    if (epochs !== undefined) child.epochs = epochs;
    if (lr !== undefined) child.learningRateScale = lr;
    const gen = intOption(values, 'generation-epochs', 0);
    if (gen !== undefined) child.generationEpochs = gen;
    try {
      const r = await relearnChildren(path, parentId, {
        groups: typeof values.groups === 'string' ? values.groups : 'auto',
        nMin: intOption(values, 'n-min'),
        replayRatio: numOption(values, 'replay-ratio', { zero: true }),
        folds: intOption(values, 'folds', 2),
        seed: intOption(values, 'seed', 0),
        staleLabels: stale,
        combine: combine as CombineRule,
        threads,
        child,
        onProgress: (p) => {
          if (p.stage === 'analyze') logAnalyzeProgress(p.progress);
          else if (p.stage === 'child') process.stderr.write(`child ${p.index + 1}/${p.groups} ${p.group} epoch ${p.epoch} ${Object.entries(p.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(' ')}\n`);
          else process.stderr.write(`${p.message}\n`);
        },
      });
      return { json: r, text: relearnText(r) };
    } catch (e) {
      if (e instanceof Error && /confusion pairs:|no confusion group/.test(e.message)) throw new CliError(e.message, 2);
      throw e;
    }
  },
};

export const reportCommand: Command = {
  summary: 'write a self-contained HTML report of a relearn run or a model',
  usage: `affect-relearn report --project <file> (--run <relearn or analyze run id> | --model <id>) --out <file.html> [--faces N] [--json]`,
  options: { project: { type: 'string' }, run: { type: 'string' }, model: { type: 'string' }, out: { type: 'string' }, faces: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const out = resolve(requireString(values, 'out', this.usage));
    const runId = intOption(values, 'run');
    const modelId = intOption(values, 'model');
    if ((runId === undefined) === (modelId === undefined)) throw new CliError(`name exactly one of --run and --model\n\n${this.usage}`, 2);
    try {
      const r = await writeReport(path, { runId, modelId, faces: intOption(values, 'faces') }, out);
      return { json: { out, ...r }, text: `report written to ${out} (${(r.bytes / 1024).toFixed(0)} KB, ${r.faces} faces)` };
    } catch (e) {
      if (e instanceof Error && /^no (run|model)|has no stored result|is a \w+ run/.test(e.message)) throw new CliError(e.message);
      throw e;
    }
  },
};
