/**
 * Per-face scores of a model (METHOD.md 5) written to the scores table: for train faces from
 * the out-of-fold predictions (faces the parent never trained on, e.g. unlabelled ones, from
 * its own plain predictions, which are out of sample for them), for valid and test from the
 * parent's plain predictions; in the --fast mode train uses the parent's in-sample ones and
 * says so in each row's extra.source. Confident-learning thresholds are computed per split,
 * so in-sample train confidence never sets the thresholds of held-out faces. The dev-test
 * carve is scored as a split of its own (extra.split 'dev-test', from the parent's plain
 * predictions, which never trained on it): its faces stay visible, but no threshold or
 * CROWDLAB reliability of train is estimated from them.
 */
import { NUM_CLASSES, SPLITS_AND_DEV_TEST, type ModelId, type SplitOrDevTest } from '../../../api/domain.ts';
import { argmaxRows, computeScores } from '../../../core/analysis/scores.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { upsertScores, type ScoreInput } from '../../../db/score-store.ts';

export type ScoreSource = 'out-of-fold' | 'held-out split' | 'plain (not trained on)' | 'in-sample' | 'imported (out-of-sample)';

export interface SplitScoreSummary {
  split: SplitOrDevTest;
  faces: number;
  scored: number;
  withAnnotators: number;
  misclassified: number;
  confidentLearningIssues: number;
  sources: Partial<Record<ScoreSource, number>>;
}

const num = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * `trainSource` overrides what the model's own train predictions are called when there is no
 * out-of-fold set: imported predictions declared out-of-sample by whoever made them.
 */
export function scoreModel(db: ProjectDb, modelId: ModelId | number, oofId: ModelId | number | null, opts: { trainSource?: ScoreSource } = {}): SplitScoreSummary[] {
  const out: SplitScoreSummary[] = [];
  for (const split of SPLITS_AND_DEV_TEST) {
    const ev = loadSplitEvidence(db, split);
    // A project without a carve has no dev-test to report.
    if (split === 'dev-test' && ev.ids.length === 0) continue;
    const plain = readPredictions(db, modelId, split === 'dev-test' ? 'train' : split);
    const byId = new Map<number, { row: number; set: Float32Array; fold: number; source: ScoreSource }>();
    const heldOutSource: ScoreSource = split === 'train' ? (oofId === null ? (opts.trainSource ?? 'in-sample') : 'plain (not trained on)') : 'held-out split';
    plain.ids.forEach((id, i) => byId.set(id, { row: i, set: plain.probs, fold: -1, source: heldOutSource }));
    if (split === 'train' && oofId !== null) {
      const oof = readPredictions(db, oofId, 'train');
      oof.ids.forEach((id, i) => byId.set(id, { row: i, set: oof.probs, fold: oof.folds[i], source: 'out-of-fold' }));
    }
    const rows: number[] = [];
    for (let i = 0; i < ev.ids.length; i++) if (byId.has(ev.ids[i])) rows.push(i);
    const n = rows.length;
    const probs = new Float32Array(n * NUM_CLASSES);
    const labels = new Int32Array(n);
    const counts = ev.withEvidence > 0 ? new Float32Array(n * 12) : null;
    const meta: { fold: number; source: ScoreSource }[] = [];
    rows.forEach((r, j) => {
      const p = byId.get(ev.ids[r])!;
      probs.set(p.set.subarray(p.row * NUM_CLASSES, (p.row + 1) * NUM_CLASSES), j * NUM_CLASSES);
      labels[j] = ev.labels[r];
      if (counts) counts.set(ev.counts.subarray(r * 12, (r + 1) * 12), j * 12);
      meta.push({ fold: p.fold, source: p.source });
    });
    const cols = computeScores({ probs, givenLabels: labels, votes: counts });
    const predicted = argmaxRows(probs);
    const inputs: ScoreInput[] = [];
    const summary: SplitScoreSummary = { split, faces: ev.ids.length, scored: n, withAnnotators: 0, misclassified: 0, confidentLearningIssues: 0, sources: {} };
    for (let j = 0; j < n; j++) {
      const mis = cols.misclassified![j];
      const cl = cols.confident_learning![j];
      const kl = cols.kl_annotator ? cols.kl_annotator[j] : Number.NaN;
      if (Number.isFinite(kl)) summary.withAnnotators++;
      if (mis === 1) summary.misclassified++;
      if (cl === 1) summary.confidentLearningIssues++;
      summary.sources[meta[j].source] = (summary.sources[meta[j].source] ?? 0) + 1;
      inputs.push({
        sampleId: ev.ids[rows[j]],
        predictedLabel: predicted[j],
        klAnnotator: num(kl),
        voteEntropy: cols.vote_entropy ? num(cols.vote_entropy[j]) : null,
        margin: num(cols.margin![j]),
        maxSoftmax: num(cols.max_softmax![j]),
        selfConfidence: num(cols.self_confidence![j]),
        crowdlab: cols.crowdlab ? num(cols.crowdlab[j]) : null,
        normalizedMargin: num(cols.normalized_margin![j]),
        misclassified: Number.isNaN(mis) ? null : mis === 1,
        confidentLearningIssue: Number.isNaN(cl) ? null : cl === 1,
        extra: { split, source: meta[j].source, ...(meta[j].fold >= 0 ? { fold: meta[j].fold } : {}) },
      });
    }
    upsertScores(db, modelId, inputs);
    out.push(summary);
  }
  return out;
}
