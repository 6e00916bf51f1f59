// The ranking report on a few-annotator FER+ project (real import, real project file, the real
// scoring code): targets come from the reference votes, and AUROC / AP agree with a brute-force
// oracle computed here from the CSV the test wrote.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { NUM_CLASSES } from '../../../api/domain.ts';
import { makeTempDir, patchPixels, writeImage, writeText } from '../../../core/datasets/test-fixtures.ts';
import { FERPLUS_TO_LABEL } from '../../../core/datasets/label-names.ts';
import { Rng } from '../../../core/util/rng.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import { openProject, type ProjectDb } from '../../../db/connection.ts';
import { createModel } from '../../../db/model-store.ts';
import { writePredictions } from '../../../db/prediction-store.ts';
import { rankingReport, type SplitRanking } from './analysis-ranking.ts';
import { scoreModel } from './analysis-scores.ts';
import { importDataset } from './import.ts';

const N = 40;
let cleanup = () => {};
let db: ProjectDb;
let report: SplitRanking[];
/** Full votes by label code, per sourceRef: what the test knows independently of the project. */
const fullVotes = new Map<string, number[]>();
const probsOf = new Map<string, number[]>();

before(async () => {
  let dir: string;
  ({ dir, cleanup } = makeTempDir('ranking'));
  const rng = new Rng(21);
  const lines: string[] = [];
  for (let i = 0; i < N; i++) {
    // Ten votes spread over two emotions (FER+ columns 0..7), sometimes a third: clear and mixed faces.
    const ferplus = new Array<number>(10).fill(0);
    const a = rng.int(8);
    const b = (a + 1 + rng.int(7)) % 8;
    const na = 3 + rng.int(8);
    ferplus[a] += na;
    ferplus[b] += 10 - na;
    const name = `f${i}.png`;
    await writeImage(join(dir, 'fer', 'FER2013Valid', name), 48, 48, patchPixels(48, 48, { x: 8, y: 8, width: 32, height: 32, left: 5 * i, right: 250 - 5 * i, background: 0 }), 'png');
    lines.push(`${name},"(0, 0, 48, 48)",${ferplus.join(',')}`);
    const byCode = new Array<number>(12).fill(0);
    ferplus.forEach((n, j) => (byCode[FERPLUS_TO_LABEL[j]] += n));
    fullVotes.set(`ferplus:FER2013Valid/${name}`, byCode);
  }
  writeText(join(dir, 'fer', 'FER2013Valid', 'label.csv'), lines.join('\n'));
  db = openProject(join(dir, 'k1.arproj'), { create: true });
  await importDataset(db, { kind: 'ferplus', path: join(dir, 'fer'), options: { votesPerFace: 1, voteSeed: 2 } });
  // A model that half knows the truth: the reference shares mixed with noise.
  const model = createModel(db, { kind: 'cnn', name: 'oracle-ish', filePath: 'x.bin', inputSize: { height: 48, width: 48 } });
  const ids = db.stmt<[], { id: number; ref: string }>("SELECT id, source_ref AS ref FROM samples WHERE split = 'valid' ORDER BY id").all();
  const probs = new Float32Array(ids.length * NUM_CLASSES);
  ids.forEach(({ ref }, i) => {
    const v = fullVotes.get(ref)!;
    const raw = Array.from({ length: NUM_CLASSES }, (_, c) => v[c] / 10 + rng.next() * 0.6);
    const s = raw.reduce((x, y) => x + y, 0);
    const p = raw.map((x) => x / s);
    probs.set(p, i * NUM_CLASSES);
    probsOf.set(ref, Array.from(probs.subarray(i * NUM_CLASSES, (i + 1) * NUM_CLASSES)));
  });
  writePredictions(db, model, { sampleIds: Int32Array.from(ids, (r) => r.id), probs });
  scoreModel(db, model, null);
  report = rankingReport(db, model, [5, 100]);
});
after(() => {
  db?.close();
  cleanup();
});

/** Brute-force Mann-Whitney over all (positive, negative) pairs, ties 1/2; `lower` = low is suspicious. */
function pairAuroc(s: number[], y: boolean[], lower: boolean): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < s.length; i++)
    for (let j = 0; j < s.length; j++)
      if (y[i] && !y[j]) {
        den++;
        const d = lower ? s[j] - s[i] : s[i] - s[j];
        num += d > 0 ? 1 : d === 0 ? 0.5 : 0;
      }
  return num / den;
}

test('few-annotator valid split: label_error and ambiguous targets from the reference votes, for every score', () => {
  assert.deepEqual(report.map((r) => [r.split, r.target, r.against]), [['valid', 'label_error', 'reference'], ['valid', 'ambiguous', 'reference']]);
  const ev = loadSplitEvidence(db, 'valid');
  const refs = db.stmt<[], { id: number; ref: string }>("SELECT id, source_ref AS ref FROM samples WHERE split = 'valid' ORDER BY id").all();
  const refOf = new Map(refs.map((r) => [r.id, r.ref]));
  // By the test's own CSV: the kept vote (= given label) is an error when another class has more of the 10 votes.
  const given = Array.from(ev.ids, (_, i) => ev.labels[i]);
  const full = Array.from(ev.ids, (id) => fullVotes.get(refOf.get(id)!)!);
  const isError = given.map((y, i) => full[i][y] < Math.max(...full[i].slice(0, NUM_CLASSES)));
  const isAmbiguous = full.map((v) => Math.max(...v.slice(0, NUM_CLASSES)) <= 5);
  const le = report[0];
  const amb = report[1];
  assert.equal(le.faces, N);
  assert.equal(le.positives, isError.filter(Boolean).length);
  assert.ok(le.positives > 3 && le.positives < N - 3, `a usable mix of errors: ${le.positives}`);
  assert.equal(amb.positives, isAmbiguous.filter(Boolean).length);
  assert.deepEqual(le.scores.map((s) => s.name).sort(), ['confident_learning', 'crowdlab', 'kl_annotator', 'margin', 'max_softmax', 'misclassified', 'normalized_margin', 'self_confidence', 'vote_entropy'].sort());
  // Oracle: p(given label) from the probabilities the test wrote, ranked by brute force.
  const pGiven = Array.from(ev.ids, (id, i) => probsOf.get(refOf.get(id)!)![given[i]]);
  const self = le.scores.find((s) => s.name === 'self_confidence')!;
  assert.ok(Math.abs(self.auroc - pairAuroc(pGiven, isError, true)) < 1e-6, `${self.auroc}`);
  assert.ok(self.auroc > 0.7, 'a model that half knows the truth finds label errors');
  // AP oracle: mean precision at each error, ranked by p(given) ascending (no ties in random floats).
  const order = pGiven.map((_, i) => i).sort((a, b) => pGiven[a] - pGiven[b]);
  let tp = 0;
  let sum = 0;
  order.forEach((i, rank) => {
    if (isError[i]) sum += ++tp / (rank + 1);
  });
  assert.ok(Math.abs(self.averagePrecision - sum / tp) < 1e-6);
  // With one vote per face, vote entropy is 0 everywhere: exactly chance for both targets.
  assert.equal(amb.scores.find((s) => s.name === 'vote_entropy')!.auroc, 0.5);
  // CROWDLAB with one vote per face ranks as self-confidence (core/analysis/crowdlab.ts).
  assert.ok(Math.abs(le.scores.find((s) => s.name === 'crowdlab')!.auroc - self.auroc) < 1e-9);
  assert.equal(Object.keys(self.precisionAtK).join(), '5,100');
});

test("the model's accuracy against the reference majority, beside the label-error ranking only", () => {
  const refs = db.stmt<[], { id: number; ref: string }>("SELECT id, source_ref AS ref FROM samples WHERE split = 'valid' ORDER BY id").all();
  // The test's own count: argmax of the probabilities it wrote against the unique top class of its 10 votes.
  let faces = 0;
  let right = 0;
  for (const { ref } of refs) {
    const v = fullVotes.get(ref)!.slice(0, NUM_CLASSES);
    const top = Math.max(...v);
    if (v.filter((x) => x === top).length !== 1) continue;
    const p = probsOf.get(ref)!;
    faces++;
    if (p.indexOf(Math.max(...p)) === v.indexOf(top)) right++;
  }
  assert.ok(faces > 20 && right > 0 && right < faces, `a usable mix: ${right} of ${faces}`);
  assert.deepEqual(report[0].referenceAccuracy, { faces, accuracy: right / faces });
  assert.equal(report[1].referenceAccuracy, undefined);
});
