/**
 * A self-contained HTML report of an analysis / re-learning (METHOD.md 5-6): confusion
 * heatmaps and per-class bars for the parent alone and parent + children on valid and test,
 * the faces routed to each child, the adopt / discard decisions with their time, the review
 * decisions (faces, actions, class changes), the confusion groups (which got a child),
 * annotator statistics, and the 40 most ambiguous faces (by
 * kl_annotator, else kl_parent_child, else lowest margin) as images with their vote bars.
 * One file with inline CSS and SVG; images are PNG data: URIs encoded by sharp from the stored
 * pixels, so it opens offline and can be mailed. Nothing in it references anything external.
 */
import sharp from 'sharp';
import { RULE_SPLITS, type CombineRule } from '../../../api/contract.ts';
import { CLASS_NAMES, LABEL_CODE_NAMES, NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { fittedInWords } from '../../../core/relearn/combine.ts';
import { readRunResult } from '../../../db/analysis-inputs.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { listEvaluations, type Evaluation } from '../../../db/evaluation-store.ts';
import { getModel } from '../../../db/model-store.ts';
import { getProjectInfo } from '../../../db/project-store.ts';
import { listChildDecisions, type ChildDecisionRecord } from '../../../db/child-decision-store.ts';
import { reviewDecisionSummary, type ReviewDecisionSummary } from '../../../db/review-decision-summary.ts';
import { getRun, listRuns } from '../../../db/run-store.ts';
import { getSample } from '../../../db/sample-store.ts';
import { countReviewQueue, pageReviewQueue, type QueueItem, type SortableScore } from '../../../db/score-store.ts';
import { annotatorStats, type AnalyzeResult, type AnnotatorStatsResult } from './analysis.ts';
import type { RelearnResult } from './relearn.ts';
import type { RuleOutcome } from './relearn-routing.ts';
import { listCleaningCurves } from './cleaning-curves.ts';
import { classBars, confusionHeatmap, esc, lineChart, voteBars } from './report-svg.ts';
import type { SimulateResult } from './simulate-review.ts';
import { REPORT_CSS } from './report-style.ts';
import { writeFileAtomic } from './export-target.ts';

export const AMBIGUOUS_FACES = 40;

export interface ReportOptions {
  /** A relearn (or analyze) run id. */
  runId?: number;
  /** A parent model id: its latest analyze and relearn runs are reported. */
  modelId?: number;
  faces?: number;
}

interface ReportData {
  project: string;
  modelId: ModelId;
  modelName: string;
  relearn: RelearnResult | null;
  relearnRunId: number | null;
  analyze: AnalyzeResult | null;
  evaluations: Evaluation[];
  annotators: AnnotatorStatsResult;
  faces: { item: QueueItem; png: string; counts: number[] }[];
  facesScore: SortableScore | null;
  /** Adopt / discard decisions on the re-learning run's children, oldest first. */
  childDecisions: ChildDecisionRecord[];
  review: ReviewDecisionSummary;
  /** simulate-review results of this parent, one per order (cleaning-curves.ts). */
  curves: SimulateResult[];
}

/** "disgust>anger" (the stored group name) in the UI's notation: "disgust → anger". */
export function pairLabel(name: string): string {
  return esc(name.replace('>', ' → '));
}

/** The latest finished run of a kind for a model whose stored result passes `accept`. */
function latestRun<T>(db: ProjectDb, kind: 'analyze' | 'relearn', modelId: number, accept: (r: T) => boolean = () => true): { id: number; result: T } | null {
  const key = kind === 'analyze' ? 'modelId' : 'parentModelId';
  const runs = listRuns(db, { kind, status: 'done' }).filter((r) => Number(r.config[key]) === modelId).sort((a, b) => b.id - a.id);
  for (const r of runs) {
    const result = readRunResult<T>(db, r.id);
    if (result && accept(result)) return { id: r.id, result };
  }
  return null;
}

async function facePng(db: ProjectDb, id: number): Promise<{ png: string; counts: number[] }> {
  const s = getSample(db, id)!;
  const png = await sharp(Buffer.from(s.pixels), { raw: { width: s.width, height: s.height, channels: 1 } }).resize(72, 72, { kernel: 'nearest' }).png().toBuffer();
  const counts = s.votes ? [...s.votes] : new Array<number>(LABEL_CODE_NAMES.length).fill(0);
  for (const a of s.annotations) if (a.kind !== 'reviewer') counts[a.label]++;
  return { png: `data:image/png;base64,${png.toString('base64')}`, counts };
}

export async function gatherReport(db: ProjectDb, o: ReportOptions): Promise<ReportData> {
  let modelId: number;
  let relearn: { id: number; result: RelearnResult } | null = null;
  let analyze: { id: number; result: AnalyzeResult } | null = null;
  if (o.runId !== undefined) {
    const run = getRun(db, o.runId);
    if (!run) throw new Error(`no run ${o.runId} in ${db.path}`);
    if (run.kind === 'relearn') {
      const r = readRunResult<RelearnResult>(db, run.id);
      if (!r) throw new Error(`relearn run ${run.id} has no stored result (status ${run.status})`);
      relearn = { id: run.id, result: r };
      modelId = r.parentModelId;
    } else if (run.kind === 'analyze') {
      const r = readRunResult<AnalyzeResult>(db, run.id);
      if (!r) throw new Error(`analyze run ${run.id} has no stored result (status ${run.status})`);
      analyze = { id: run.id, result: r };
      modelId = r.modelId;
    } else throw new Error(`run ${run.id} is a ${run.kind} run; report a relearn or analyze run, or a model with --model`);
  } else if (o.modelId !== undefined) {
    modelId = o.modelId;
    relearn = latestRun<RelearnResult>(db, 'relearn', modelId);
  } else throw new Error('report: name a run or a model');
  const model = getModel(db, modelId);
  if (!model) throw new Error(`no model ${modelId} in ${db.path}`);
  // A relearn run is shown with the analysis that produced its out-of-fold cases.
  const oof = relearn?.result.oofModelId ?? null;
  analyze ??= (oof !== null ? latestRun<AnalyzeResult>(db, 'analyze', modelId, (r) => r.oofModelId === oof) : null) ?? latestRun<AnalyzeResult>(db, 'analyze', modelId);
  const evaluations = listEvaluations(db, { modelId }).filter((e) => (relearn ? e.runId === relearn.id : e.label === 'model'));
  let facesScore: SortableScore | null = null;
  for (const s of ['kl_annotator', 'kl_parent_child', 'margin'] as const) {
    if (countReviewQueue(db, { modelId, sortBy: s }) > 0) {
      facesScore = s;
      break;
    }
  }
  const items = facesScore ? pageReviewQueue(db, { modelId, sortBy: facesScore, direction: facesScore === 'margin' ? 'asc' : 'desc', limit: o.faces ?? AMBIGUOUS_FACES }).items : [];
  const faces = [];
  for (const item of items) faces.push({ item, ...(await facePng(db, item.sampleId)) });
  return {
    project: getProjectInfo(db).name,
    modelId: model.id,
    modelName: model.name,
    relearn: relearn?.result ?? null,
    relearnRunId: relearn?.id ?? null,
    analyze: analyze?.result ?? null,
    evaluations,
    annotators: analyze?.result.annotators ?? annotatorStats(db),
    faces,
    facesScore,
    childDecisions: relearn ? listChildDecisions(db, relearn.id) : [],
    review: reviewDecisionSummary(db),
    curves: listCleaningCurves(db.modelsDir, modelId),
  };
}

const pct = (v: number | null | undefined) => (typeof v === 'number' && Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '–');
const fix = (v: number | null | undefined, d = 3) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(d) : '–');

type PerClass = { class: string; precision: number; recall: number; f1: number; support: number }[];

function splitSection(d: ReportData, split: 'valid' | 'test'): string {
  const before = d.evaluations.filter((e) => e.split === split && (d.relearn ? e.label === 'parent' : true)).at(-1);
  const after = d.relearn ? d.evaluations.filter((e) => e.split === split && e.label === 'parent+children').at(-1) : undefined;
  if (!before) return `<p>No evaluation on ${split}.</p>`;
  const pb = before.result.per_class as PerClass;
  const pa = after ? (after.result.per_class as PerClass) : null;
  const rows = pb
    .map((c, i) => `<tr><td>${esc(c.class)}</td><td>${c.support}</td><td>${fix(c.precision)}</td><td>${fix(c.recall)}</td><td>${fix(c.f1)}</td>${pa ? `<td>${fix(pa[i].precision)}</td><td>${fix(pa[i].recall)}</td><td>${fix(pa[i].f1)}</td>` : ''}</tr>`)
    .join('');
  const note = split === 'test' ? '<p class="note">Test figures are reported only; nothing (tau, groups, early stopping) was chosen on test.</p>' : '';
  return `<h3>${split}</h3>${note}
<p>Accuracy: parent <b>${pct(before.result.accuracy)}</b>${after ? ` &#8594; parent + children <b>${pct(after.result.accuracy)}</b>` : ''} on ${before.result.n_evaluated} faces (${before.result.n_excluded} left out).</p>
<div class="row">${confusionHeatmap(before.result.confusion ?? [], `${split}: ${d.relearn ? 'parent alone' : 'model'}`)}${after ? confusionHeatmap(after.result.confusion ?? [], `${split}: parent + children`) : ''}</div>
<div class="row">${classBars(`${split}: recall per class`, [{ name: 'parent', color: '#8da0cb', values: pb.map((c) => c.recall) }, ...(pa ? [{ name: 'parent+children', color: '#e78a3c', values: pa.map((c) => c.recall) }] : [])])}
${classBars(`${split}: F1 per class`, [{ name: 'parent', color: '#8da0cb', values: pb.map((c) => c.f1) }, ...(pa ? [{ name: 'parent+children', color: '#e78a3c', values: pa.map((c) => c.f1) }] : [])])}</div>
<table><tr><th rowspan="2">class</th><th rowspan="2">support</th><th colspan="3">parent</th>${pa ? '<th colspan="3">parent + children</th>' : ''}</tr><tr><th>P</th><th>R</th><th>F1</th>${pa ? '<th>P</th><th>R</th><th>F1</th>' : ''}</tr>${rows}</table>`;
}

function routingSection(d: ReportData): string {
  const r = d.relearn;
  if (!r) return '<p>No re-learning run for this model yet (<code>affect-relearn relearn</code>).</p>';
  const rows = r.groups
    .map((g) => {
      const v = r.routing.splits.valid?.perChild.find((c) => c.groupId === g.groupId);
      const t = r.routing.splits.test?.perChild.find((c) => c.groupId === g.groupId);
      const cells = (c: typeof v) => (c ? `<td>${c.routed}</td><td>${c.wrongToRight}</td><td>${c.rightToWrong}</td>` : '<td>–</td><td>–</td><td>–</td>');
      const units = g.topUnits ? `${g.topUnits.before}&#8594;${g.topUnits.after}` : '–';
      return `<tr><td>${pairLabel(g.name)}</td><td>${g.nCases}</td><td>${g.nReplay}</td><td>${g.childModelId}</td><td>${units}</td>${cells(v)}${cells(t)}</tr>`;
    })
    .join('');
  const tot = (s: 'valid' | 'test') => r.routing.splits[s];
  const v = tot('valid');
  const t = tot('test');
  const rule = r.routing.rule ?? 'kl-argmax';
  return `<p>Combination rule: <b>${rule}</b>${rule === 'kl-argmax' ? ' (METHOD.md as published)' : ''}. tau = <b>${fix(r.tau, 4)}</b>, chosen on valid only (valid accuracy ${pct(r.routing.tauChoice.parentAccuracy)} &#8594; ${pct(r.routing.tauChoice.accuracy)}).
Routed faces: valid ${v?.routed ?? '–'} (${v?.wrongToRight ?? '–'} wrong&#8594;right, ${v?.rightToWrong ?? '–'} right&#8594;wrong), test ${t?.routed ?? '–'} (${t?.wrongToRight ?? '–'} wrong&#8594;right, ${t?.rightToWrong ?? '–'} right&#8594;wrong).</p>
${decisionLine(d)}
<table><tr><th rowspan="2">child (given → predicted)</th><th rowspan="2">cases</th><th rowspan="2">replay</th><th rowspan="2">model</th><th rowspan="2">top-layer units</th><th colspan="3">valid</th><th colspan="3">test</th></tr>
<tr><th>routed</th><th>w&#8594;r</th><th>r&#8594;w</th><th>routed</th><th>w&#8594;r</th><th>r&#8594;w</th></tr>${rows}</table>
${r.childOptions ? `<p>Children fine-tuned for up to ${r.childOptions.epochs} epochs at <b>${fix(r.childOptions.learningRateScale, 2)}</b> &#215; the parent's learning rate.</p>` : ''}
${rulesTable(r.routing.rules ?? [], rule)}
${r.notes.map((n) => `<p class="note">${esc(n)}</p>`).join('')}`;
}

/** Every combination rule on the run's children: fitted on valid, measured on valid, test and the dev-test. */
function rulesTable(rules: RuleOutcome[], used: CombineRule): string {
  if (!rules.length) return '';
  const splits = RULE_SPLITS.filter((sp) => rules.some((x) => x.splits[sp]));
  const head = splits.map((sp) => `<th>${sp}: parent &#8594; parent + children</th><th>w&#8594;r / r&#8594;w</th>`).join('');
  const rows = rules
    .map((x) => {
      const cells = splits.map((sp) => {
        const f = x.splits[sp];
        return f ? `<td>${pct(f.parentAccuracy)} &#8594; ${pct(f.accuracy)}</td><td>${f.wrongToRight} / ${f.rightToWrong}</td>` : '<td>–</td><td>–</td>';
      });
      return `<tr><td>${x.rule}${x.rule === used ? ' (used)' : ''}</td><td>${esc(fittedInWords(x.rule, x.params))}</td>${cells.join('')}</tr>`;
    })
    .join('');
  return `<p>Every rule on these children, each fitted on valid only; test and the dev-test are reported, never used to choose:</p>
<table><tr><th>rule</th><th>fitted on valid</th>${head}</tr>${rows}</table>`;
}

/** What was decided about the children, and when. */
function decisionLine(d: ReportData): string {
  const last = d.childDecisions.at(-1);
  if (!last) return '<p>Decision on the children: <b>undecided</b> (neither adopted nor discarded yet).</p>';
  const history = d.childDecisions.map((c) => `${c.decision} ${esc(c.decidedAt)}${c.worseAccepted ? ' (confirmed although parent + children did worse than the parent alone)' : ''}`);
  return `<p>Decision on the children: <b>${last.decision}</b> on ${esc(last.decidedAt)}.${history.length > 1 ? ` History: ${history.join('; ')}.` : last.worseAccepted ? ' Confirmed although parent + children did worse than the parent alone.' : ''}</p>`;
}

/** Review decisions: how many faces, by action, and the class changes (given → current). */
function reviewSection(r: ReviewDecisionSummary): string {
  if (r.reviewedFaces === 0) return '<p>No face has been reviewed yet: every label is the dataset\'s own.</p>';
  const name = (l: number | null) => (l === null ? 'none' : esc(LABEL_CODE_NAMES[l].replace('_', ' ')));
  const actions = Object.entries(r.byAction).sort((a, b) => b[1] - a[1]).map(([a, n]) => `${n} ${esc(a.replace('_', ' '))}`).join(', ');
  const changed = r.changes.reduce((a, c) => a + c.faces, 0);
  const rows = r.changes.map((c) => `<tr><td>${name(c.from)} → ${name(c.to)}</td><td>${c.faces}</td></tr>`).join('');
  return `<p><b>${r.reviewedFaces}</b> faces reviewed (latest decision: ${actions}); ${changed} of them now have a class other than the given one. These are the current labels the models above were evaluated against (next to the published ones) and that the next training uses.</p>
${rows ? `<table><tr><th>given → current</th><th>faces</th></tr>${rows}</table>` : ''}`;
}

function annotatorSection(a: AnnotatorStatsResult): string {
  const parts: string[] = [];
  if (a.identified) {
    const i = a.identified;
    parts.push(`<p>${i.annotations} labels by ${i.annotators.length} identified annotators on ${i.faces} faces; Fleiss' kappa <b>${fix(i.fleissKappa)}</b>, overall leave-one-out agreement ${pct(i.overallAgreement)}.</p>`);
    const rows = i.annotators.map((x) => {
      const off: [number, number, number][] = [];
      x.dawidSkeneConfusion.forEach((row, j) => row.forEach((p, l) => j !== l && off.push([p, j, l])));
      off.sort((p, q) => q[0] - p[0]);
      const habits = off.slice(0, 2).map(([p, j, l]) => `${CLASS_NAMES[j]} → ${CLASS_NAMES[l]} ${fix(p, 2)}`).join(', ');
      return `<tr><td>${esc(x.name)}</td><td>${x.labelled}</td><td>${pct(x.agreement)}</td><td>${fix(x.dawidSkeneReliability)}</td><td>${habits}</td></tr>`;
    });
    parts.push(`<table><tr><th>annotator</th><th>labels</th><th>agreement</th><th>Dawid-Skene reliability</th><th>strongest habits (Dawid-Skene)</th></tr>${rows.join('')}</table>`);
  }
  if (a.crowd) {
    const c = a.crowd;
    parts.push(`<p>Anonymous votes on ${c.facesWithVotes} faces: Fleiss' kappa <b>${fix(c.fleissKappa)}</b>, agreement with the majority of the other votes ${pct(c.majorityAgreement)}, mean majority share ${pct(c.majorityShare)}, mean vote entropy ${fix(c.meanVoteEntropy)}; pooled-crowd Dawid-Skene reliability ${fix(c.dawidSkeneReliability)}.</p>`);
    parts.push(`<div class="row">${confusionHeatmap(c.dawidSkeneConfusion.map((r) => r.map((p) => Math.round(p * 100))), 'crowd: P(vote | class) x100 (Dawid-Skene)')}</div>`);
  }
  if (!a.identified && !a.crowd) parts.push('<p>This project has no annotator labels.</p>');
  return parts.join('');
}

function facesSection(d: ReportData): string {
  if (!d.faces.length) return '<p>No scores yet: run <code>affect-relearn analyze</code>.</p>';
  const labels = [...CLASS_NAMES.map((c) => c.slice(0, 8))];
  const useAll = d.faces.some((f) => f.counts.slice(NUM_CLASSES).some((v) => v > 0));
  const names = useAll ? [...labels, ...LABEL_CODE_NAMES.slice(NUM_CLASSES)] : labels;
  const cards = d.faces.map((f) => {
    const given = f.item.givenLabel;
    const counts = useAll ? f.counts : f.counts.slice(0, NUM_CLASSES);
    return `<figure class="face"><img src="${f.png}" width="72" height="72" alt="face ${f.item.sampleId}"/>
<figcaption>#${f.item.sampleId} ${esc(f.item.split)}<br/>given ${given === null ? '–' : esc(LABEL_CODE_NAMES[given])}, model ${f.item.predictedLabel === null ? '–' : esc(CLASS_NAMES[f.item.predictedLabel])}<br/>${esc(d.facesScore)} ${fix(f.item.value)}</figcaption>${voteBars(counts, names, given)}</figure>`;
  });
  return `<p>The ${d.faces.length} faces with the ${d.facesScore === 'margin' ? 'lowest margin' : `highest ${esc(d.facesScore)}`} (model ${d.modelId}); bars: annotator votes, the given label in red.</p><div class="faces">${cards.join('')}</div>`;
}

function rankingSection(d: ReportData): string {
  // Analyses stored before the detection targets existed have another shape: not shown.
  const ranking = (d.analyze?.ranking ?? []).filter((r) => typeof r.target === 'string' && typeof r.positives === 'number');
  if (!ranking.length) return '';
  const blocks = ranking.map((r) => {
    const ks = Object.keys(r.scores[0]?.precisionAtK ?? {});
    const rows = r.scores
      .map((s) => `<tr><td>${esc(s.name)}</td><td>${fix(s.auroc)}</td><td>${fix(s.averagePrecision)}</td>${ks.map((k) => `<td>${fix(s.precisionAtK[Number(k)])}</td>`).join('')}<td>${s.positives} / ${s.scored}</td></tr>`)
      .join('');
    const what = r.target === 'label_error' ? 'label errors' : 'ambiguous';
    const acc = r.referenceAccuracy ? `<p>The model's accuracy on ${r.split} against the reference majority: ${(r.referenceAccuracy.accuracy * 100).toFixed(1)}% of ${r.referenceAccuracy.faces} faces.</p>` : '';
    return `${acc}<h3>${r.split}, ${what} (against the ${esc(r.against)}): ${r.positives} of ${r.faces} faces (random precision ${fix(r.positives / r.faces)})</h3><table><tr><th>score</th><th>AUROC</th><th>AP</th>${ks.map((k) => `<th>P@${k}</th>`).join('')}<th>positives / scored</th></tr>${rows}</table>`;
  });
  return `<h2>Finding label errors and ambiguous faces</h2><p>Label error = the given label is not the majority of the reference votes (the full votes kept aside at a few-annotator import, seen by no score). Ambiguous = the top class holds at most half of the class votes: of the reference votes when there are any, else of the face's own (>= 3) votes, which kl_annotator, vote_entropy and crowdlab also read. margin, max_softmax, self_confidence, normalized_margin and confident learning never see a vote.</p>${blocks.join('')}`;
}

function curveSection(d: ReportData): string {
  if (!d.curves.length) return '';
  const series = (split: 'validAccuracy' | 'testAccuracy' | 'devTestAccuracy') =>
    d.curves.map((c) => ({ name: c.order, points: c.points.filter((p) => p[split] !== null).map((p) => ({ x: p.reviewed, y: p[split] as number })) }));
  const hasTest = d.curves.some((c) => c.points.some((p) => p.testAccuracy !== null));
  const hasDev = d.curves.some((c) => c.points.some((p) => p.devTestAccuracy !== null));
  return `<h2>Does review pay off? The label-cleaning curve</h2><p>A simulated reviewer relabels the first N train faces of each order to their reference majority (ambiguous when there is none); a fresh parent with the parent's configuration is trained on the cleaned labels after each budget (simulate-review). Accuracy against the reference majority (${esc(d.curves[0].truth.valid)} on valid); test is only reported.</p>${lineChart('valid accuracy', 'train faces reviewed', series('validAccuracy'))}${hasTest ? lineChart('test accuracy (reported only)', 'train faces reviewed', series('testAccuracy')) : ''}${hasDev ? lineChart(`dev-test accuracy (${d.curves[0].devTestFaces} carved train faces no reviewer reaches; reported only)`, 'train faces reviewed', series('devTestAccuracy')) : ''}`;
}

export function renderReportHtml(d: ReportData): string {
  const groups = d.analyze?.confusionGroups;
  // The groups a child was trained for, by pair name, so the table says which were.
  const trained = new Map((d.relearn?.groups ?? []).map((g) => [g.name, g.childModelId]));
  const groupRows = groups
    ? groups.groups
        .filter((g, i) => i < 20 || trained.has(g.name))
        .map((g) => `<tr><td>${pairLabel(g.name)}</td><td>${g.count}</td><td>${g.kept ? 'yes' : ''}</td><td>${trained.has(g.name) ? `yes: model ${trained.get(g.name)}` : d.relearn ? 'no' : '–'}</td></tr>`)
        .join('')
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"/><title>affect-relearn report: ${esc(d.project)}, model ${d.modelId}</title><style>${REPORT_CSS}</style></head>
<body>
<h1>affect-relearn report</h1>
<p>Project <b>${esc(d.project)}</b>, parent model ${d.modelId} (${esc(d.modelName)})${d.relearnRunId !== null ? `, re-learning run ${d.relearnRunId}` : ''}. Generated ${esc(new Date().toISOString())}.</p>
${d.analyze?.warnings.map((w) => `<p class="warn">${esc(w)}</p>`).join('') ?? ''}
<h2>Parent${d.relearn ? ' vs parent + children' : ''}</h2>
${splitSection(d, 'valid')}
${splitSection(d, 'test')}
<h2>Routing to child models</h2>
${routingSection(d)}
<h2>Review decisions</h2>
${reviewSection(d.review)}
${groups ? `<h2>Misclassified train faces by confusion pair (${esc(groups.source)})</h2><p>${groups.misclassified} of ${groups.trainFaces} train faces; groups with at least ${groups.nMin} are kept automatically.</p><table><tr><th>given → predicted</th><th>faces</th><th>kept (&#8805; n<sub>min</sub>)</th><th>child trained${d.relearnRunId !== null ? ` (run ${d.relearnRunId})` : ''}</th></tr>${groupRows}</table>` : ''}
${rankingSection(d)}
${curveSection(d)}
<h2>Annotators</h2>
${annotatorSection(d.annotators)}
<h2>Most ambiguous faces</h2>
${facesSection(d)}
</body></html>
`;
}

/** Gathers, renders and writes the report; returns the HTML's size in bytes. */
export async function writeReport(dbOrPath: ProjectDb | string, o: ReportOptions, outFile: string): Promise<{ bytes: number; faces: number; modelId: ModelId }> {
  const db = typeof dbOrPath === 'string' ? openProject(dbOrPath) : dbOrPath;
  try {
    const d = await gatherReport(db, o);
    const html = renderReportHtml(d);
    writeFileAtomic(outFile, html);
    return { bytes: Buffer.byteLength(html), faces: d.faces.length, modelId: d.modelId };
  } finally {
    if (typeof dbOrPath === 'string') db.close();
  }
}
