/**
 * How well each score finds ambiguous faces, per split, from the scores table: AUROC and
 * precision@k against a vote-based definition of ambiguity (METHOD.md 5, FER+ evaluation):
 * a face is ambiguous when its top class holds at most half of its class votes (votes plus
 * identified annotators' labels; faces with fewer than MIN_VOTES are left out). kl_annotator
 * and vote_entropy are computed from the same votes, so they are partly circular here; the
 * model-only scores (margin, max_softmax, self_confidence, confident learning) are the
 * baselines that never saw a vote. The random baseline's precision@k is the base rate. Scores
 * that need a class label can only be judged on labelled faces; where every ambiguous face
 * lacks one (FER+, whose given label is the majority vote) they have no positives: NaN.
 */
import { NUM_CLASSES, NUM_LABEL_CODES, SPLITS, type ModelId, type Split } from '../../../api/domain.ts';
import { auroc, precisionAtK } from '../../../core/metrics/ranking.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { listScores, type ScoreRow } from '../../../db/score-store.ts';

export const MIN_VOTES = 3;
export const RANKING_K = [100, 500] as const;

const SCORES: { name: string; direction: 'higher' | 'lower'; get: (s: ScoreRow) => number | null }[] = [
  { name: 'kl_annotator', direction: 'higher', get: (s) => s.klAnnotator },
  { name: 'vote_entropy', direction: 'higher', get: (s) => s.voteEntropy },
  { name: 'kl_parent_child', direction: 'higher', get: (s) => s.klParentChild },
  { name: 'margin', direction: 'lower', get: (s) => s.margin },
  { name: 'max_softmax', direction: 'lower', get: (s) => s.maxSoftmax },
  { name: 'self_confidence', direction: 'lower', get: (s) => s.selfConfidence },
  { name: 'confident_learning', direction: 'higher', get: (s) => (s.confidentLearningIssue === null ? null : s.confidentLearningIssue ? 1 : 0) },
  { name: 'misclassified', direction: 'higher', get: (s) => (s.misclassified === null ? null : s.misclassified ? 1 : 0) },
];

export interface SplitRanking {
  split: Split;
  faces: number;
  ambiguous: number;
  /** Per score: faces it scored and how many of those are ambiguous (0: the score cannot be judged). */
  scores: { name: string; scored: number; positives: number; auroc: number; precisionAtK: Record<number, number> }[];
}

/** Ambiguity per face id (true/false) for faces with at least MIN_VOTES class votes. */
export function voteAmbiguity(db: ProjectDb, split: Split): Map<number, boolean> {
  const ev = loadSplitEvidence(db, split);
  const out = new Map<number, boolean>();
  for (let i = 0; i < ev.ids.length; i++) {
    let total = 0;
    let top = 0;
    for (let c = 0; c < NUM_CLASSES; c++) {
      const v = ev.counts[i * NUM_LABEL_CODES + c];
      total += v;
      top = Math.max(top, v);
    }
    if (total >= MIN_VOTES) out.set(ev.ids[i], top * 2 <= total);
  }
  return out;
}

export function rankingReport(db: ProjectDb, modelId: ModelId | number, ks: readonly number[] = RANKING_K): SplitRanking[] {
  const all = listScores(db, modelId);
  const out: SplitRanking[] = [];
  for (const split of SPLITS) {
    const amb = voteAmbiguity(db, split);
    const rows = all.filter((s) => amb.has(s.sampleId));
    if (rows.length === 0) continue;
    const positives = rows.map((s) => (amb.get(s.sampleId) ? 1 : 0));
    const scores = SCORES.filter((d) => rows.some((s) => d.get(s) !== null)).map((d) => {
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
      return { name: d.name, scored, positives: pos, auroc: auroc(col, positives, d.direction), precisionAtK: atK };
    });
    out.push({ split, faces: rows.length, ambiguous: positives.reduce<number>((a, b) => a + b, 0), scores });
  }
  return out;
}
