/**
 * Annotator statistics for the app (METHOD.md 5): the figures come from analysis-annotators.ts
 * (identified annotators and FER+ vote counts); this module adds the faces behind one cell of
 * an annotator's confusion matrix, with the same leave-one-out consensus the matrix counts
 * (the plurality of the OTHER annotators' class labels; ties and faces without others left
 * out), so clicking a cell lists exactly as many faces as the cell shows (the dev-test carve
 * is in neither).
 */
import type { AnnotatorFacesParams, AnnotatorStatsResult } from '../../../api/contract.ts';
import { NUM_CLASSES, SPLITS, type SampleId } from '../../../api/domain.ts';
import { pluralityAt } from '../../../core/analysis/annotation-table.ts';
import { loadSplitEvidence } from '../../../db/analysis-inputs.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { annotatorStats } from './analysis-annotators.ts';

/** The project's annotator statistics, JSON-ready (NaN agreements of annotators never compared become 0 with compared = 0). */
export function projectAnnotatorStats(db: ProjectDb): AnnotatorStatsResult {
  const s = annotatorStats(db);
  if (s.identified) {
    for (const a of s.identified.annotators) if (!Number.isFinite(a.agreement)) a.agreement = 0;
    if (!Number.isFinite(s.identified.overallAgreement)) s.identified.overallAgreement = 0;
  }
  return s;
}

/** Sample ids (ascending) where `annotator` said `label` while the other annotators' plurality was `consensus`. */
export function annotatorCellFaces(db: ProjectDb, p: AnnotatorFacesParams): SampleId[] {
  const K = NUM_CLASSES;
  const out: number[] = [];
  for (const split of SPLITS) {
    const ev = loadSplitEvidence(db, split);
    const counts = new Float64Array(ev.ids.length * K);
    for (const a of ev.annotations) if (a.label >= 0 && a.label < K) counts[a.row * K + a.label]++;
    for (const a of ev.annotations) {
      if (a.annotator !== p.annotator || a.label !== p.label) continue;
      if (pluralityAt(counts, a.row, K, a.label) === p.consensus) out.push(ev.ids[a.row]);
    }
  }
  return out.sort((x, y) => x - y) as SampleId[];
}
