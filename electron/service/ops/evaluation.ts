/**
 * Evaluating a model on a split from its stored predictions, against two label sets side by
 * side. PUBLISHED labels: the FER+ majority of a face's votes when it has votes (METHOD.md 1:
 * a class holding more than half of the votes; faces without one, or where unknown /
 * not-a-face wins, are left out and counted by reason), otherwise the dataset's given label.
 * CURRENT labels: the label after review; a reviewer's class is authoritative, faces a
 * reviewer marked ambiguous or not a face are left out, unreviewed voted faces keep their
 * majority. Re-learning (tau, before/after) uses the current labels. On valid and test, the
 * same figures "leak-free" too: without the faces stored byte for byte in an earlier split.
 */
import type { EvaluationFigures, EvaluationLabels, EvaluationResult } from '../../../api/contract.ts';
import { CLASS_NAMES, NUM_CLASSES, NUM_LABEL_CODES, isClassLabel, type ModelId, type Split } from '../../../api/domain.ts';
import { argmaxRows } from '../../../core/analysis/scores.ts';
import { reportFromConfusion, confusionMatrix } from '../../../core/metrics/classification.ts';
import { ferplusMajorityOf } from '../../../core/metrics/ferplus-protocol.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { addEvaluation, listEvaluations as listStored, type Evaluation } from '../../../db/evaluation-store.ts';
import { votesForSplit } from '../../../db/label-agreement.ts';
import { getModel } from '../../../db/model-store.ts';
import { readPredictions } from '../../../db/prediction-store.ts';
import { countUnhashedSamples, facesWithTwinIn } from '../../../db/health-store.ts';
import { fillHashCache } from './health.ts';

/** The splits a split's faces must not repeat: the ones trained or tuned on before it. */
const EARLIER_SPLITS: Record<Split, Split[]> = { train: [], valid: ['train'], test: ['train', 'valid'] };
export const TWIN_REASON = 'exact twin in an earlier split';

/** The reference without the faces in `twins` (each counted under TWIN_REASON unless already left out). */
export function withoutTwins(ref: ReferenceLabels, twins: ReadonlySet<number>): ReferenceLabels {
  const labels = Int32Array.from(ref.labels);
  const excluded = { ...ref.excludedByReason };
  for (let i = 0; i < ref.ids.length; i++) {
    if (!twins.has(ref.ids[i]) || labels[i] < 0) continue;
    labels[i] = -1;
    excluded[TWIN_REASON] = (excluded[TWIN_REASON] ?? 0) + 1;
  }
  return { ids: ref.ids, labels, excludedByReason: excluded };
}

export interface ReferenceLabels {
  /** Sample ids in id order. */
  ids: Int32Array;
  /** Class 0..7, or -1 when the face is left out. */
  labels: Int32Array;
  excludedByReason: Record<string, number>;
}

const VOTE_REASON = { 'no votes': 'no votes', 'no majority': 'no majority', unknown: 'unknown', 'not a face': 'not a face', 'non-class majority': 'non-class majority' } as const;

/** The label each face of a split is evaluated against under `labels`, and why the others are left out. */
export function referenceLabels(db: ProjectDb, split: Split, labels: EvaluationLabels): ReferenceLabels {
  const v = votesForSplit(db, split);
  const state = db
    .stmt<[string], [number, number | null, number | null, string | null]>('SELECT sample_id, given_label, current_label, last_action FROM sample_labels WHERE split = ? ORDER BY sample_id', 'raw')
    .all(split);
  if (state.length !== v.ids.length) throw new Error(`${db.path}: ${split} has ${v.ids.length} faces but ${state.length} label rows`);
  const out = new Int32Array(v.ids.length);
  const excluded: Record<string, number> = {};
  const count = (reason: string) => (excluded[reason] = (excluded[reason] ?? 0) + 1);
  for (let i = 0; i < v.ids.length; i++) {
    const [id, given, current, action] = state[i];
    if (id !== v.ids[i]) throw new Error(`${db.path}: ${split} faces and votes are not aligned at sample ${id}`);
    out[i] = -1;
    const reviewed = labels === 'current' && action !== null;
    if (reviewed && action === 'ambiguous') count('marked ambiguous by a reviewer');
    else if (reviewed && action === 'not_face') count('marked not a face by a reviewer');
    else if (reviewed && isClassLabel(current)) out[i] = current;
    else if (v.hasVotes[i]) {
      const m = ferplusMajorityOf(v.votes, i * NUM_LABEL_CODES);
      if (m.exclusion) count(VOTE_REASON[m.exclusion]);
      else out[i] = m.label;
    } else {
      const l = labels === 'current' ? current : given;
      if (isClassLabel(l)) out[i] = l;
      else count('no class label');
    }
  }
  return { ids: v.ids, labels: out, excludedByReason: excluded };
}

/** Accuracy, per-class figures and confusion of predicted classes against reference labels. */
export function evaluatePredictions(ref: ReferenceLabels, predIds: Int32Array, probs: Float32Array): EvaluationFigures {
  const predicted = argmaxRows(probs);
  const predById = new Map<number, number>();
  for (let i = 0; i < predIds.length; i++) predById.set(predIds[i], predicted[i]);
  const truth: number[] = [];
  const pred: number[] = [];
  const excluded = { ...ref.excludedByReason };
  for (let i = 0; i < ref.ids.length; i++) {
    if (ref.labels[i] < 0) continue;
    const p = predById.get(ref.ids[i]);
    if (p === undefined) {
      excluded['no prediction'] = (excluded['no prediction'] ?? 0) + 1;
      continue;
    }
    truth.push(ref.labels[i]);
    pred.push(p);
  }
  const report = reportFromConfusion(confusionMatrix(truth, pred));
  const confusion: number[][] = [];
  for (let r = 0; r < NUM_CLASSES; r++) confusion.push(Array.from(report.confusion.subarray(r * NUM_CLASSES, (r + 1) * NUM_CLASSES)));
  return {
    accuracy: report.accuracy,
    per_class: report.perClass.map((m, c) => ({ class: CLASS_NAMES[c], precision: m.precision, recall: m.recall, f1: m.f1, support: m.support })),
    confusion,
    n_evaluated: truth.length,
    n_excluded: Object.values(excluded).reduce((a, b) => a + b, 0),
    excluded_by_reason: excluded,
  };
}

/**
 * `hashMissing` false: leak-free figures only when every face is already hashed (the end of a
 * training run must not spend minutes hashing a large project; `health` or an explicit
 * evaluation fills the cache).
 */
export async function evaluateModel(db: ProjectDb, modelId: ModelId, split: Split, label = 'model', opts: { hashMissing?: boolean } = {}): Promise<EvaluationResult> {
  const model = getModel(db, modelId);
  if (!model) throw new Error(`no model ${modelId} in this project`);
  const preds = readPredictions(db, modelId, split);
  if (preds.ids.length === 0) throw new Error(`model ${modelId} has no stored predictions on the ${split} split`);
  const published = referenceLabels(db, split, 'published');
  const current = referenceLabels(db, split, 'current');
  let changes = 0;
  for (let i = 0; i < published.labels.length; i++) if (published.labels[i] !== current.labels[i]) changes++;
  let leakFree: EvaluationResult['leakFree'] = null;
  if (EARLIER_SPLITS[split].length && (opts.hashMissing !== false || countUnhashedSamples(db) === 0)) {
    await fillHashCache(db);
    const twins = new Set(facesWithTwinIn(db, split, EARLIER_SPLITS[split]));
    leakFree = {
      twins: twins.size,
      published: evaluatePredictions(withoutTwins(published, twins), preds.ids, preds.probs),
      current: evaluatePredictions(withoutTwins(current, twins), preds.ids, preds.probs),
    };
  }
  const result = {
    ...evaluatePredictions(published, preds.ids, preds.probs),
    current: evaluatePredictions(current, preds.ids, preds.probs),
    n_label_changes: changes,
    leakFree,
  };
  const id = addEvaluation(db, { modelId, runId: model.runId, split, label, result });
  return { id, modelId, split, createdAt: new Date().toISOString(), ...result };
}

export function listEvaluations(db: ProjectDb, modelId?: ModelId): EvaluationResult[] {
  return listStored(db, { modelId }).map(toResult);
}

function toResult(e: Evaluation): EvaluationResult {
  const r = e.result as unknown as EvaluationFigures & Pick<EvaluationResult, 'current' | 'n_label_changes' | 'leakFree'>;
  return { ...r, id: e.id, modelId: e.modelId, split: e.split, createdAt: e.createdAt };
}
