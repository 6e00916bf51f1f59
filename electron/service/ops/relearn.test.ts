// The analysis and re-learning pipeline end to end on the demo project (planted truth in each
// face's `extra`): k-fold out-of-sample scores, annotator statistics, children for the planted
// disgust/anger confusion, tau chosen on valid only, and the HTML report. One small Adaptive
// DBN parent (seconds to train) is shared by the tests, which run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import sharp from 'sharp';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { auroc } from '../../../core/metrics/ranking.ts';
import { compareBeforeAfter, routeFaces } from '../../../core/relearn/routing.ts';
import { Rng } from '../../../core/util/rng.ts';
import { readRunResult } from '../../../db/analysis-inputs.ts';
import { listChildGroups } from '../../../db/child-group-store.ts';
import { openProject } from '../../../db/connection.ts';
import { listEvaluations } from '../../../db/evaluation-store.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions, writePredictions } from '../../../db/prediction-store.ts';
import { getRun } from '../../../db/run-store.ts';
import { getSample } from '../../../db/sample-store.ts';
import { listScores } from '../../../db/score-store.ts';
import { analyzeModel, IN_SAMPLE_WARNING, type AnalyzeResult } from './analysis.ts';
import { relearnChildren, type RelearnResult } from './relearn.ts';
import { naiveKl, oracleCount, oracleFaces, oracleTau, type OracleChild } from './relearn-oracle.fixture.ts';
import { routeAndEvaluate } from './relearn-routing.ts';
import { referenceLabels } from './evaluation.ts';
import { writeReport } from './report.ts';
import { tempDemoProject, trainParent } from './demo-parent.fixture.ts';

const PARENT_OPTIONS = { pretrainEpochs: 3, epochs: 20, hiddenUnits: [64], maxLayers: 1, learningRate: 0.003, seed: 3 };
const FOLDS = 2;

let dir: string;
let removeDir = () => {};
let project: string;
let parentId: ModelId;
let analysis: AnalyzeResult;
let relearn: RelearnResult;

before(async () => {
  ({ dir, project, cleanup: removeDir } = await tempDemoProject('ar-relearn-'));
  parentId = await trainParent(project, 'adbn', PARENT_OPTIONS);
});
after(() => removeDir());

test('analyze: k-fold out-of-sample train scores under the parent, fold predictions under their own model row', async () => {
  const db = openProject(project);
  try {
    const plainBefore = readPredictions(db, parentId, 'train');
    analysis = await analyzeModel(db, parentId, { folds: FOLDS });
    assert.equal(analysis.inSample, false);
    assert.deepEqual(analysis.warnings, []);
    const oof = getModel(db, analysis.oofModelId!)!;
    assert.equal(oof.structure.role, 'out-of-fold');
    assert.equal(oof.structure.ofModel, parentId);
    const oofPreds = readPredictions(db, oof.id, 'train');
    assert.equal(oofPreds.ids.length, 2400);
    assert.deepEqual(new Set(oofPreds.folds), new Set([0, 1]), 'every face carries the fold that predicted it');
    assert.deepEqual(readPredictions(db, parentId, 'train').probs, plainBefore.probs, "the parent's plain predictions stay");
    assert.notDeepEqual(oofPreds.probs, plainBefore.probs);
    const scores = listScores(db, parentId);
    assert.equal(scores.length, 3600);
    const train = scores.filter((s) => s.extra?.split === 'train');
    assert.ok(train.every((s) => s.extra?.source === 'out-of-fold'));
    assert.ok(scores.every((s) => s.klAnnotator !== null && s.margin !== null && s.predictedLabel !== null));
    assert.equal(getRun(db, analysis.runId)!.status, 'done');
    assert.deepEqual(readRunResult<AnalyzeResult>(db, analysis.runId)!.confusionGroups.groups, analysis.confusionGroups.groups);
    const g = analysis.confusionGroups;
    assert.equal(g.source, 'out-of-fold');
    assert.equal(g.groups.reduce((a, x) => a + x.count, 0), g.misclassified);
    assert.equal(g.misclassified, train.filter((s) => s.misclassified).length, 'groups cover exactly the misclassified train faces');
  } finally {
    db.close();
  }
});

/** How far above chance (1/2) an AUROC is, in standard deviations of a random ranking's AUROC. */
function zAboveChance(value: number, positives: number[]): number {
  const n1 = positives.filter((p) => p === 1).length;
  const n0 = positives.length - n1;
  // Mann-Whitney U under the null (no ties): mean 1/2, variance (n0 + n1 + 1) / (12 n0 n1).
  return (value - 0.5) / Math.sqrt((n0 + n1 + 1) / (12 * n0 * n1));
}

test('vote entropy and margin rank the planted blends first; kl_annotator ranks blends and wrong answers first (held-out valid + test)', () => {
  const db = openProject(project);
  try {
    const scores = listScores(db, parentId).filter((s) => s.extra?.split !== 'train');
    const blend = scores.map((s) => ((getSample(db, s.sampleId)!.extra as { ambiguous: boolean }).ambiguous ? 1 : 0));
    const entropy = auroc(scores.map((s) => s.voteEntropy!), blend);
    const margin = auroc(scores.map((s) => s.margin!), blend, 'lower');
    // KL(a || p) rises on blends and on every clear face the model gets wrong alike: on blends
    // alone it measured 0.552 here, only 2.3 null standard deviations above chance (and 0.44
    // with a weaker parent), so it is judged on what it does detect: disagreement with the model.
    const disagree = scores.map((s, i) => (blend[i] === 1 || s.misclassified ? 1 : 0));
    const kl = auroc(scores.map((s) => s.klAnnotator!), disagree);
    // Measured (199 blends, 499 blends or wrong answers, 1200 faces; null sd 0.022 and 0.017):
    // vote entropy 0.775 (12 sd), margin 0.591 (4 sd), kl 0.739 (14 sd). A random ranking
    // reaches 3 sd with probability 0.0013.
    console.log(`AUROC: vote entropy ${entropy.toFixed(4)} (${zAboveChance(entropy, blend).toFixed(1)} sd), margin ${margin.toFixed(4)} (${zAboveChance(margin, blend).toFixed(1)} sd), kl_annotator on blends or wrong answers ${kl.toFixed(4)} (${zAboveChance(kl, disagree).toFixed(1)} sd)`);
    assert.ok(entropy >= 0.72 && zAboveChance(entropy, blend) >= 3, `vote_entropy AUROC ${entropy}`);
    assert.ok(zAboveChance(margin, blend) >= 3, `margin AUROC ${margin}`);
    assert.ok(kl >= 0.65 && zAboveChance(kl, disagree) >= 3, `kl_annotator AUROC ${kl}`);
    // The stored ranking report uses the vote definition (top class <= half of the votes).
    const valid = analysis.ranking.find((r) => r.split === 'valid')!;
    assert.deepEqual([valid.target, valid.against], ['ambiguous', 'own votes'], 'the demo has no reference labels');
    assert.equal(valid.faces, 600);
    const entropyRank = valid.scores.find((s) => s.name === 'vote_entropy')!;
    assert.ok(entropyRank.auroc > 0.9, 'vote entropy is nearly the definition of vote ambiguity');
    assert.ok(entropyRank.averagePrecision > valid.positives / valid.faces, 'and its average precision beats the base rate');
    assert.ok(valid.positives > 0 && valid.positives < 200);
  } finally {
    db.close();
  }
});

test('relearn: one child per named pair, copies of the parent fine-tuned on cases + replay, tau on valid', async () => {
  relearn = await relearnChildren(project, parentId, { groups: 'disgust<>anger', child: { epochs: 20, learningRateScale: 0.3 } });
  assert.deepEqual(relearn.groups.map((g) => g.name), ['disgust>anger', 'anger>disgust']);
  const db = openProject(project);
  try {
    for (const g of relearn.groups) {
      assert.equal(g.nReplay, g.nCases, 'equal replay');
      const child = getModel(db, g.childModelId)!;
      assert.equal(child.parentModelId, parentId);
      assert.equal(child.childGroupId, g.groupId);
      assert.equal(readPredictions(db, child.id, 'test').ids.length, 600);
      // Neuron generation in the child's top hidden layer (Adaptive DBN): units were added on
      // the child's faces, and exactly as many as its recorded generation events say.
      const events = child.structure.generation as { kind: string; unitsBefore: number; unitsAfter: number }[];
      assert.ok(g.topUnits && events.length > 0, `child ${g.name} generated no unit: ${JSON.stringify(g.topUnits)}`);
      assert.ok(events.every((e) => e.kind === 'generation' && e.unitsAfter > e.unitsBefore));
      assert.equal(g.topUnits.after - g.topUnits.before, events.reduce((a, e) => a + e.unitsAfter - e.unitsBefore, 0));
      assert.equal((child.structure.units as number[]).at(-1), g.topUnits.after);
    }
    const groups = listChildGroups(db, { relearnRunId: relearn.runId });
    assert.equal(groups.length, 2);
    assert.ok(groups.every((g) => g.status === 'trained' && g.tau === relearn.tau));
    const evals = listEvaluations(db, { modelId: parentId }).filter((e) => e.runId === relearn.runId);
    assert.deepEqual(evals.map((e) => `${e.split}:${e.label}`).sort(), ['test:parent', 'test:parent+children', 'valid:parent', 'valid:parent+children']);
    const v = relearn.routing.splits.valid!;
    const t = relearn.routing.splits.test!;
    console.log(`relearn disgust<>anger: units ${relearn.groups.map((g) => `${g.topUnits!.before}->${g.topUnits!.after}`).join(', ')}; tau ${relearn.tau.toFixed(4)}; valid ${v.parent.accuracy.toFixed(4)} -> ${v.parentChildren.accuracy.toFixed(4)} (routed ${v.routed}, w->r ${v.wrongToRight}, r->w ${v.rightToWrong}); test ${t.parent.accuracy.toFixed(4)} -> ${t.parentChildren.accuracy.toFixed(4)} (routed ${t.routed}, w->r ${t.wrongToRight}, r->w ${t.rightToWrong})`);
    // Each child learned its pair: on the valid faces of its given class that the parent called
    // its predicted class, the child answers the given class more often than the parent (never).
    const ref = referenceLabels(db, 'valid', 'current');
    const refOf = new Map<number, number>();
    ref.ids.forEach((id, i) => refOf.set(id, ref.labels[i]));
    const argmax = (p: Float32Array, i: number) => {
      let b = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (p[i * NUM_CLASSES + c] > p[i * NUM_CLASSES + b]) b = c;
      return b;
    };
    const parentValid = readPredictions(db, parentId, 'valid');
    let allConfused = 0;
    let allFixed = 0;
    for (const g of relearn.groups) {
      const childValid = readPredictions(db, g.childModelId, 'valid');
      let confused = 0;
      let fixed = 0;
      parentValid.ids.forEach((id, i) => {
        if (refOf.get(id) !== g.given || argmax(parentValid.probs, i) !== g.predicted) return;
        confused++;
        if (argmax(childValid.probs, i) === g.given) fixed++;
      });
      console.log(`child ${g.name}: ${fixed} of ${confused} valid faces the parent confused answered right`);
      // Each child answers some of them right (the parent, by construction, none); over the
      // children at least a fifth. A child's own share rests on a dozen faces (seen: 2 of 11 and
      // 8 of 16), too few to hold each one to the fifth.
      assert.ok(confused > 0 && fixed > 0, `child ${g.name}: ${fixed} of ${confused}`);
      allConfused += confused;
      allFixed += fixed;
    }
    assert.ok(allFixed / allConfused >= 0.2, `children: ${allFixed} of ${allConfused} of the parent's valid confusions answered right`);
  } finally {
    db.close();
  }
});

/** Parent and child outputs of one split aligned on the parent's faces, with reference labels. */
function splitOutputs(db: ReturnType<typeof openProject>, split: 'train' | 'valid' | 'test') {
  const parent = readPredictions(db, parentId, split);
  const ref = referenceLabels(db, split, 'current');
  const refOf = new Map<number, number>();
  ref.ids.forEach((id, i) => refOf.set(id, ref.labels[i]));
  const children: OracleChild[] = relearn.groups.map((g) => {
    const p = readPredictions(db, g.childModelId, split);
    const row = new Map<number, number>();
    p.ids.forEach((id, i) => row.set(id, i));
    const probs = new Float32Array(parent.probs.length);
    parent.ids.forEach((id, i) => {
      const r = row.get(id);
      assert.ok(r !== undefined, `child ${g.name} has no ${split} prediction for face ${id}`);
      probs.set(p.probs.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES), i * NUM_CLASSES);
    });
    return { given: g.given, predicted: g.predicted, probs };
  });
  return { ids: parent.ids, parentProbs: parent.probs, children, labels: Int32Array.from(parent.ids, (id) => refOf.get(id) ?? -1) };
}

test('routing: tau is the best valid cut and every routed face is counted as an independent recount counts it', () => {
  const db = openProject(project);
  try {
    const valid = splitOutputs(db, 'valid');
    const faces = oracleFaces(valid.parentProbs, valid.children);
    const k = relearn.groups.length;
    const best = oracleTau(faces, valid.labels, k);
    const labelled = oracleCount(faces, valid.labels, Infinity, k).labelled;
    console.log(`tau: ${best.cuts.length} cuts, valid correct ${best.cuts[0].correct} (route none) .. best ${best.correct} of ${labelled}; distinct accuracies ${new Set(best.cuts.map((c) => c.correct)).size}`);
    assert.ok(best.cuts.length > 2, 'the children are candidates for some valid faces, so there is a choice to make');
    assert.ok(Math.abs(relearn.tau - best.tau) < 1e-9, `tau ${relearn.tau}, independent argmax ${best.tau}`);
    // The stored curve agrees with a full recount at each of its cuts.
    for (const c of relearn.routing.tauChoice.curve) {
      const r = oracleCount(faces, valid.labels, c.tau, k);
      assert.equal(c.routed, r.routed, `routed at tau ${c.tau}`);
      assert.ok(Math.abs(c.accuracy - r.correct / labelled) < 1e-12, `accuracy at tau ${c.tau}: ${c.accuracy} vs ${r.correct / labelled}`);
    }
    for (const split of ['valid', 'test'] as const) {
      const s = split === 'valid' ? valid : splitOutputs(db, split);
      const f = split === 'valid' ? faces : oracleFaces(s.parentProbs, s.children);
      const got = relearn.routing.splits[split]!;
      const want = oracleCount(f, s.labels, relearn.tau, k);
      const parentAlone = oracleCount(f, s.labels, Infinity, k);
      assert.deepEqual([got.routed, got.wrongToRight, got.rightToWrong], [want.routed, want.wrongToRight, want.rightToWrong], `${split}: routed, wrong->right, right->wrong`);
      assert.deepEqual(got.perChild.map(({ routed, changed, wrongToRight, rightToWrong }) => ({ routed, changed, wrongToRight, rightToWrong })), want.perChild, `${split}: per child`);
      assert.equal(got.parentChildren.n_evaluated, want.labelled);
      assert.ok(Math.abs(got.parentChildren.accuracy - want.correct / want.labelled) < 1e-12, `${split} parent+children accuracy`);
      assert.ok(Math.abs(got.parent.accuracy - parentAlone.correct / parentAlone.labelled) < 1e-12, `${split} parent accuracy`);
      // The chosen tau may route few faces; the counting itself is also checked where many are routed.
      const kls = f.filter((x) => x.child >= 0 && x.kl > 0).map((x) => x.kl).sort((a, b) => a - b);
      const mid = kls[Math.floor(kls.length / 2)];
      const r = routeFaces(s.parentProbs, s.children, mid);
      const ba = compareBeforeAfter(s.labels, r.parentPredicted, r.predicted, r.routedTo, k);
      const m = oracleCount(f, s.labels, mid, k);
      assert.ok(m.routed > 0 && m.perChild.some((c) => c.changed > 0), `${split}: the median cut routes faces and changes answers`);
      assert.deepEqual([ba.routed, ba.wrongToRight, ba.rightToWrong, ba.perChild], [m.routed, m.wrongToRight, m.rightToWrong, m.perChild], `${split} at tau ${mid}`);
    }
  } finally {
    db.close();
  }
});

test('the children differ from the parent in content: kl_parent_child recounts face by face, and answers change on their pair', () => {
  const db = openProject(project);
  try {
    const stored = new Map<number, number | null>(listScores(db, parentId).map((s) => [s.sampleId, s.klParentChild]));
    const argmax = (p: ArrayLike<number>, o: number) => {
      let b = 0;
      for (let c = 1; c < NUM_CLASSES; c++) if (p[o + c] > p[o + b]) b = c;
      return b;
    };
    for (const split of ['train', 'valid', 'test'] as const) {
      const s = splitOutputs(db, split);
      s.ids.forEach((id, i) => {
        const o = i * NUM_CLASSES;
        const kl = Math.max(...s.children.map((c) => naiveKl(s.parentProbs, o, c.probs, o)));
        const got = stored.get(id);
        assert.ok(got !== null && got !== undefined && Math.abs(got - kl) < 1e-6 * Math.max(1, kl), `${split} face ${id}: stored kl_parent_child ${got}, recount ${kl}`);
      });
    }
    // On the valid faces whose parent top two classes are a child's pair, the child gives
    // another answer for some of them. Measured: 16 and 19 of 97. The children also drift off
    // their pair (111 and 55 of 503 other faces change answer; mean kl_parent_child 0.11 on
    // pair faces, 0.14 elsewhere), which routing ignores: it consults a child on its pair only.
    const v = splitOutputs(db, 'valid');
    relearn.groups.forEach((g, gi) => {
      let pair = 0;
      let changed = 0;
      for (let i = 0; i < v.ids.length; i++) {
        const o = i * NUM_CLASSES;
        const top2 = Array.from({ length: NUM_CLASSES }, (_, c) => c).sort((a, b) => v.parentProbs[o + b] - v.parentProbs[o + a]).slice(0, 2);
        if (!(top2.includes(g.given) && top2.includes(g.predicted))) continue;
        pair++;
        if (argmax(v.parentProbs, o) !== argmax(v.children[gi].probs, o)) changed++;
      }
      console.log(`child ${g.name}: answer changed on ${changed} of ${pair} valid faces on its pair`);
      assert.ok(pair > 0 && changed > 0, `child ${g.name} changed ${changed} of ${pair} answers on its pair`);
    });
  } finally {
    db.close();
  }
});

test('tau never depends on test: poisoning every test prediction leaves tau and valid results unchanged', () => {
  const db = openProject(project);
  try {
    const children = relearn.groups.map((g) => ({ childModelId: g.childModelId, groupId: g.groupId, name: g.name, given: g.given, predicted: g.predicted }));
    const clean = routeAndEvaluate(db, parentId, children, { store: false });
    assert.equal(clean.tau, relearn.tau);
    const rng = new Rng(99);
    for (const id of [parentId, ...children.map((c) => c.childModelId)]) {
      const p = readPredictions(db, id, 'test');
      const probs = new Float32Array(p.probs.length);
      for (let i = 0; i < p.ids.length; i++) probs[i * NUM_CLASSES + rng.int(NUM_CLASSES)] = 1;
      writePredictions(db, id, { sampleIds: p.ids, probs });
    }
    const poisoned = routeAndEvaluate(db, parentId, children, { store: false });
    assert.equal(poisoned.tau, clean.tau);
    assert.deepEqual(poisoned.splits.valid, clean.splits.valid);
    assert.notEqual(poisoned.splits.test!.parent.accuracy, clean.splits.test!.parent.accuracy, 'the poison did reach the test figures');
  } finally {
    db.close();
  }
});

test('report: one self-contained HTML file with the figures and the 40 most ambiguous faces', async () => {
  const out = join(dir, 'report.html');
  const r = await writeReport(project, { runId: relearn.runId }, out);
  assert.equal(r.faces, 40);
  const html = readFileSync(out, 'utf8');
  assert.ok(!/https?:|ftp:|file:/i.test(html), 'no external URL');
  assert.ok(!/<script|<link|@import|url\(/i.test(html), 'no scripts, linked sheets or CSS urls');
  const refs = [...html.matchAll(/\b(?:src|href)="([^"]{0,30})/g)].map((m) => m[1]);
  assert.ok(refs.length > 0 && refs.every((r) => r.startsWith('data:')), `every src/href is a data: URI (${refs.filter((r) => !r.startsWith('data:')).join(', ')})`);
  assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 40);
  assert.ok((html.match(/<svg/g) ?? []).length >= 8 + 40, 'heatmaps, bars and a vote chart per face');
  for (const s of ['valid: parent alone', 'valid: parent + children', 'test: parent + children', 'recall per class', 'disgust → anger', 'ann-B', "Fleiss' kappa"]) assert.ok(html.includes(s), s);
  // Every face image decodes (sharp) to its stored pixels scaled 48 -> 72 by nearest
  // neighbour (libvips rounds its source column/row within one of the ideal centre mapping, so
  // each pixel must equal a stored pixel in that 3x3 neighbourhood), and the faces are the 40
  // highest kl_annotator scores.
  const imgs = [...html.matchAll(/<img src="data:image\/png;base64,([^"]+)" width="72" height="72" alt="face (\d+)"/g)];
  assert.equal(imgs.length, 40);
  const db = openProject(project);
  try {
    const ranked = listScores(db, parentId).filter((s) => s.klAnnotator !== null).sort((a, b) => b.klAnnotator! - a.klAnnotator!);
    const cut = ranked[39].klAnnotator!;
    for (const [, b64, idText] of imgs) {
      const id = Number(idText);
      assert.ok(ranked.find((s) => s.sampleId === id)!.klAnnotator! >= cut, `face ${id} is among the 40 highest kl_annotator`);
      const sample = getSample(db, id as never)!;
      const { data, info } = await sharp(Buffer.from(b64, 'base64')).greyscale().raw().toBuffer({ resolveWithObject: true });
      assert.deepEqual([info.width, info.height], [72, 72]);
      let mismatched = 0;
      for (let y = 0; y < 72; y++) {
        for (let x = 0; x < 72; x++) {
          const sx = Math.floor(((x + 0.5) * sample.width) / 72);
          const sy = Math.floor(((y + 0.5) * sample.height) / 72);
          const v = data[(y * 72 + x) * info.channels];
          let found = false;
          for (let dy = -1; dy <= 1 && !found; dy++) {
            for (let dx = -1; dx <= 1 && !found; dx++) {
              const yy = Math.min(sample.height - 1, Math.max(0, sy + dy));
              const xx = Math.min(sample.width - 1, Math.max(0, sx + dx));
              found = Math.abs(v - sample.pixels[yy * sample.width + xx]) <= 1;
            }
          }
          if (!found) mismatched++;
        }
      }
      assert.equal(mismatched, 0, `face ${id}: ${mismatched} of ${72 * 72} pixels differ from the stored face`);
    }
    // The valid parent + children heatmap rasterises (sharp/librsvg) at its declared size, each
    // cell coloured by its row share of the stored confusion matrix: green diagonal, red elsewhere.
    const svg = html.match(/<svg class="fig" width="(\d+)" height="(\d+)"[^>]*aria-label="valid: parent \+ children">[\s\S]*?<\/svg>/);
    assert.ok(svg, 'the valid parent + children heatmap');
    const { data, info } = await sharp(Buffer.from(svg[0])).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual([info.width, info.height], [Number(svg[1]), Number(svg[2])]);
    const confusion = relearn.routing.splits.valid!.parentChildren.confusion!;
    for (let r = 0; r < NUM_CLASSES; r++) {
      const total = confusion[r].reduce((a, b) => a + b, 0);
      for (let c = 0; c < NUM_CLASSES; c++) {
        // The cell's top-left corner, away from the printed count (cells are 34 px from (70, 58)).
        const o = ((58 + r * 34 + 3) * info.width + 70 + c * 34 + 3) * info.channels;
        const [R, G, B] = [data[o], data[o + 1], data[o + 2]];
        const lightness = ((Math.max(R, G, B) + Math.min(R, G, B)) / 2 / 255) * 100;
        const share = total > 0 ? confusion[r][c] / total : 0;
        assert.ok(Math.abs(lightness - (97 - share * 55)) <= 1.5, `cell ${r},${c}: lightness ${lightness.toFixed(1)} for share ${share.toFixed(3)}`);
        if (share > 0.2) assert.ok(r === c ? G > R : R > G, `cell ${r},${c} colour ${R},${G},${B}`);
      }
    }
  } finally {
    db.close();
  }
});

test('--folds 1 scores train in-sample and says so loudly', async () => {
  const r = await analyzeModel(project, parentId, { folds: 1 });
  assert.deepEqual(r.warnings, [IN_SAMPLE_WARNING]);
  assert.equal(r.confusionGroups.source, 'in-sample');
  assert.ok(r.confusionGroups.misclassified < analysis.confusionGroups.misclassified, 'in-sample predictions hide misclassified faces');
  const db = openProject(project);
  try {
    assert.ok(listScores(db, parentId).filter((s) => s.extra?.split === 'train').every((s) => s.extra?.source === 'in-sample'));
  } finally {
    db.close();
  }
});
