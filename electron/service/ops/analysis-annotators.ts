/**
 * Annotator statistics of a project (METHOD.md 5) over all its faces but the dev-test carve
 * (held out for measurement, so not read here: loadSplitEvidence), JSON-ready: for
 * identified annotators, each one's leave-one-out agreement with the consensus and confusion
 * matrix against it, Fleiss' kappa, and Dawid-Skene confusion matrices and reliabilities; for
 * anonymous vote counts (FER+), the pooled-crowd statistics (Fleiss' kappa, majority
 * agreement, vote entropy, one pooled Dawid-Skene "crowd" confusion matrix).
 */
import type { AnnotatorStatsResult, IdentifiedAnnotatorStats } from '../../../api/contract.ts';
import { NUM_CLASSES, NUM_LABEL_CODES, SPLITS } from '../../../api/domain.ts';
import { annotationTableFrom, annotatorAgreement, countsFromTable, crowdStatistics, dawidSkeneFromTable, dawidSkeneFromVotes, fleissKappa } from '../../../core/analysis/annotators.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { votesForSplit } from '../../../db/label-agreement.ts';

const K = NUM_CLASSES;

function matrix(flat: ArrayLike<number>, offset = 0, k = K): number[][] {
  return Array.from({ length: k }, (_, r) => Array.from({ length: k }, (_, c) => flat[offset + r * k + c]));
}

// The result types are the contract's: the Annotators view and `analyze --json` show the same thing.
export type { AnnotatorStatsResult, IdentifiedAnnotatorStats };

export function annotatorStats(db: ProjectDb): AnnotatorStatsResult {
  const rows: { item: number; annotator: string; label: number }[] = [];
  let offset = 0;
  const voteRows: Float32Array[] = [];
  let voteFaces = 0;
  for (const split of SPLITS) {
    const ev = loadSplitEvidence(db, split);
    for (const a of ev.annotations) rows.push({ item: offset + a.row, annotator: a.annotator, label: a.label });
    offset += ev.ids.length;
    const v = votesForSplit(db, split);
    const keep: number[] = [];
    v.hasVotes.forEach((h, i) => h && keep.push(i));
    if (keep.length) {
      const out = new Float32Array(keep.length * NUM_LABEL_CODES);
      keep.forEach((r, j) => out.set(v.votes.subarray(r * NUM_LABEL_CODES, (r + 1) * NUM_LABEL_CODES), j * NUM_LABEL_CODES));
      voteRows.push(out);
      voteFaces += keep.length;
    }
  }
  let identified: AnnotatorStatsResult['identified'] = null;
  if (rows.length > 0) {
    // Only faces with identified annotations take part, so counts and kappa see no empty rows.
    const itemIndex = new Map<number, number>();
    const compact = rows.map((r) => {
      let i = itemIndex.get(r.item);
      if (i === undefined) itemIndex.set(r.item, (i = itemIndex.size));
      return { ...r, item: i };
    });
    const { table, annotatorNames } = annotationTableFrom(compact, itemIndex.size);
    const agreement = annotatorAgreement(table);
    const ds = dawidSkeneFromTable(table);
    identified = {
      faces: itemIndex.size,
      annotations: rows.length,
      overallAgreement: agreement.overall,
      fleissKappa: fleissKappa(countsFromTable(table), K).kappa,
      annotators: agreement.perAnnotator.map((a, i) => ({
        name: annotatorNames[i],
        labelled: a.labelled,
        compared: a.compared,
        agreement: a.agreement,
        confusion: matrix(a.confusion),
        dawidSkeneConfusion: matrix(ds.confusion, i * K * K),
        dawidSkeneReliability: ds.reliability[i],
      }))
        // By name (ann-2 before ann-10), not by first appearance in the data, so the list keeps its order as faces are added.
        .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true })),
      dawidSkene: { iterations: ds.iterations, converged: ds.converged, priors: Array.from(ds.priors) },
    };
  }
  let crowd: AnnotatorStatsResult['crowd'] = null;
  if (voteFaces > 0) {
    const votes = new Float32Array(voteFaces * NUM_LABEL_CODES);
    let at = 0;
    for (const v of voteRows) {
      votes.set(v, at);
      at += v.length;
    }
    const s = crowdStatistics(votes);
    const ds = dawidSkeneFromVotes(votes);
    crowd = {
      faces: s.faces,
      facesWithVotes: s.facesWithVotes,
      fleissKappa: s.fleiss.kappa,
      majorityAgreement: s.majorityAgreement,
      majorityShare: s.majorityShare,
      meanVoteEntropy: s.meanVoteEntropy,
      dawidSkeneConfusion: matrix(ds.confusion),
      dawidSkeneReliability: ds.reliability[0],
      priors: Array.from(ds.priors),
    };
  }
  return { faces: offset, identified, crowd };
}
