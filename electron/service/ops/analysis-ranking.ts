/**
 * How well each score finds the faces it should, per split and detection target
 * (ranking-targets.ts): AUROC, average precision and precision@k. With reference labels (FER+
 * imported with --votes-per-face) the targets are label errors and ambiguous faces by the full
 * votes, which no score saw; without them, ambiguity by the face's own votes, which
 * kl_annotator, vote_entropy and crowdlab also read (partly circular), while margin,
 * max_softmax, self_confidence, normalized_margin and confident learning never see a vote.
 * Scores that need a class label are judged on labelled faces only (`scored`, `positives`).
 * The dev-test carve is reported as a split of its own, never inside train.
 */
import { SPLITS_AND_DEV_TEST, type ModelId, type SplitOrDevTest } from '../../../api/domain.ts';
import { auroc, averagePrecision, precisionAtK } from '../../../core/metrics/ranking.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { listScores, type ScoreRow } from '../../../db/score-store.ts';
import { rankingTargets, type RankingTarget } from './ranking-targets.ts';

export { MIN_VOTES } from './ranking-targets.ts';
export const RANKING_K = [100, 500] as const;

export const RANKED_SCORES: { name: string; direction: 'higher' | 'lower'; get: (s: ScoreRow) => number | null }[] = [
  { name: 'kl_annotator', direction: 'higher', get: (s) => s.klAnnotator },
  { name: 'vote_entropy', direction: 'higher', get: (s) => s.voteEntropy },
  { name: 'crowdlab', direction: 'lower', get: (s) => s.crowdlab },
  { name: 'kl_parent_child', direction: 'higher', get: (s) => s.klParentChild },
  { name: 'margin', direction: 'lower', get: (s) => s.margin },
  { name: 'normalized_margin', direction: 'lower', get: (s) => s.normalizedMargin },
  { name: 'max_softmax', direction: 'lower', get: (s) => s.maxSoftmax },
  { name: 'self_confidence', direction: 'lower', get: (s) => s.selfConfidence },
  { name: 'confident_learning', direction: 'higher', get: (s) => (s.confidentLearningIssue === null ? null : s.confidentLearningIssue ? 1 : 0) },
  { name: 'misclassified', direction: 'higher', get: (s) => (s.misclassified === null ? null : s.misclassified ? 1 : 0) },
];

export interface ScoreRanking {
  name: string;
  /** Faces the score has a value for, and how many of those are positives (0: it cannot be judged). */
  scored: number;
  positives: number;
  auroc: number;
  averagePrecision: number;
  precisionAtK: Record<number, number>;
}

export interface SplitRanking {
  split: SplitOrDevTest;
  target: RankingTarget;
  against: 'reference' | 'own votes';
  faces: number;
  positives: number;
  scores: ScoreRanking[];
  /**
   * label_error against a reference: the model's predicted class against the reference
   * majority (faces with a unique one and a prediction), i.e. its accuracy against the answer
   * key rather than the few labels it trained on. Absent otherwise.
   */
  referenceAccuracy?: { faces: number; accuracy: number };
}

export function rankingReport(db: ProjectDb, modelId: ModelId | number, ks: readonly number[] = RANKING_K): SplitRanking[] {
  const all = listScores(db, modelId);
  const out: SplitRanking[] = [];
  for (const split of SPLITS_AND_DEV_TEST) {
    for (const t of rankingTargets(db, split)) {
      const rows = all.filter((s) => t.positives.has(s.sampleId));
      if (rows.length === 0) continue;
      const positives = rows.map((s) => (t.positives.get(s.sampleId) ? 1 : 0));
      const scores = RANKED_SCORES.filter((d) => rows.some((s) => d.get(s) !== null)).map((d) => {
        const col = rows.map((s) => d.get(s) ?? Number.NaN);
        let scored = 0;
        let pos = 0;
        col.forEach((v, i) => {
          if (Number.isNaN(v)) return;
          scored++;
          pos += positives[i];
        });
        const atK: Record<number, number> = {};
        for (const k of ks) atK[k] = pos > 0 ? precisionAtK(col, positives, k, d.direction) : Number.NaN;
        return { name: d.name, scored, positives: pos, auroc: auroc(col, positives, d.direction), averagePrecision: averagePrecision(col, positives, d.direction), precisionAtK: atK };
      });
      const entry: SplitRanking = { split, target: t.target, against: t.against, faces: rows.length, positives: positives.reduce<number>((a, b) => a + b, 0), scores };
      if (t.majority) {
        let faces = 0;
        let right = 0;
        for (const s of all) {
          const m = t.majority.get(s.sampleId);
          if (m === undefined || s.predictedLabel === null) continue;
          faces++;
          if (s.predictedLabel === m) right++;
        }
        if (faces > 0) entry.referenceAccuracy = { faces, accuracy: right / faces };
      }
      out.push(entry);
    }
  }
  return out;
}
