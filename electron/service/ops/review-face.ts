/**
 * Everything the review detail panel shows of one face: labels (given, current, every
 * identified annotator's, the anonymous votes), the annotators' class distribution next to the
 * model's, the audit trail, the chosen model's scores, and the outputs of its child models. A
 * train face scored out-of-fold also carries that out-of-fold output: the scores were computed
 * from it, not from the parent's in-sample output, and the panel must show what they came from.
 */
import { ApiError, type AuditEntry, type FaceDetail, type FaceTraining, type FaceModelOutput, type FaceScores, type ModelKind, type ReviewAction } from '../../../api/contract.ts';
import { CLASS_NAMES, NUM_CLASSES, NUM_LABEL_CODES, type ModelId } from '../../../api/domain.ts';
import { TARGET_FROM_REVIEWER, TARGET_FROM_VOTES, TARGET_FROM_VOTES_ONLY, trainingTargets } from '../../../core/train/training-targets.ts';
import { labelCounts } from '../../../db/label-counts.ts';
import { getChildGroup } from '../../../db/child-group-store.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { findOutOfFoldModel, getModel, listModels, type StoredModel } from '../../../db/model-store.ts';
import { getPrediction } from '../../../db/prediction-store.ts';
import type { LabelDecision } from '../../../db/relabel-store.ts';
import { getSample } from '../../../db/sample-store.ts';
import { getScores } from '../../../db/score-store.ts';
import { tagsOf } from '../../../db/face-tags.ts';
import { suggestionOf } from '../../../api/suggestion.ts';

export function toAuditEntry(d: LabelDecision): AuditEntry {
  return {
    id: d.id,
    sampleId: d.sampleId,
    action: d.action,
    label: d.label,
    previousLabel: d.previousLabel,
    revertsId: d.revertsId,
    undoneById: d.undoneById,
    reviewer: d.reviewer,
    note: d.note,
    batchId: d.batchId,
    createdAt: d.createdAt,
    duplicateOf: d.duplicateOf,
  };
}

/** Label counts by code (votes plus identified annotators' labels, db/label-counts.ts); null when the face has neither. */
export function annotatorLabelCounts(votes: number[] | null, annotationLabels: readonly number[]): number[] | null {
  if (!votes && annotationLabels.length === 0) return null;
  return Array.from(labelCounts(1, votes ? Float32Array.from(votes) : null, { row: annotationLabels.map(() => 0), label: annotationLabels }));
}

/**
 * What the next training run (default options: soft targets on, reviewer one-hot) trains this
 * face on, from the same rule the trainers use (core/train/training-targets.ts).
 */
/** A face whose latest effective decision is "duplicate of face N" says so (it is stored as an ambiguous decision). */
function duplicateNote(history: readonly LabelDecision[]): FaceTraining | null {
  const effective = history.filter((d) => d.action !== 'undo' && d.undoneById === null);
  const last = effective[effective.length - 1];
  return last?.duplicateOf != null ? { included: false, note: `left out of training: duplicate of face ${last.duplicateOf} (a reviewer's decision)` } : null;
}

export function trainingNote(currentLabel: number | null, lastAction: string | null, counts: number[] | null): FaceTraining {
  const t = trainingTargets(
    { labels: Int32Array.of(currentLabel ?? -1), lastAction: [lastAction], counts: counts ? Float32Array.from(counts) : new Float32Array(NUM_LABEL_CODES) },
    { softTargets: true },
  );
  if (t.rows.length === 0) return { included: false, note: `left out of training: ${Object.keys(t.leftOut)[0]}` };
  const cls = CLASS_NAMES[t.y[0]];
  switch (t.source[0]) {
    case TARGET_FROM_REVIEWER:
      return { included: true, note: `trains as ${cls}: a reviewer's decision, over the votes` };
    case TARGET_FROM_VOTES:
      return { included: true, note: `trains on the annotators' distribution (label ${cls})` };
    case TARGET_FROM_VOTES_ONLY:
      return { included: true, note: "no majority: trains on the annotators' distribution" };
    default:
      return { included: true, note: `trains as ${cls}` };
  }
}

/** The class part of label counts normalised to sum 1; null when no label is a class. */
export function classDistribution(counts: readonly number[] | null): number[] | null {
  if (!counts) return null;
  const cls = counts.slice(0, NUM_CLASSES);
  const total = cls.reduce((a, b) => a + b, 0);
  return total > 0 ? cls.map((c) => c / total) : null;
}

/** 1 - share of the most frequent label; null with fewer than two labels. */
export function disagreementOf(counts: readonly number[] | null): number | null {
  if (!counts) return null;
  const total = counts.reduce((a, b) => a + b, 0);
  return total >= 2 ? 1 - Math.max(...counts) / total : null;
}

function modelOutput(db: ProjectDb, m: StoredModel, sampleId: number): FaceModelOutput {
  const p = getPrediction(db, m.id, sampleId);
  const group = m.childGroupId === null ? null : getChildGroup(db, m.childGroupId);
  return {
    modelId: m.id,
    name: m.name,
    kind: m.kind as ModelKind,
    probabilities: p ? Array.from(p.probs) : null,
    fold: p ? p.fold : null,
    group: group ? { given: group.givenLabel, predicted: group.predictedLabel } : null,
  };
}

export function faceDetail(db: ProjectDb, id: number, modelId?: ModelId): FaceDetail {
  const s = getSample(db, id);
  if (!s) throw new ApiError('not_found', `no face ${id} in this project`);
  const model = modelId === undefined ? null : getModel(db, modelId);
  if (modelId !== undefined && !model) throw new ApiError('not_found', `no model ${modelId} in this project`);
  const annotations = s.annotations.filter((a) => a.kind !== 'reviewer');
  const counts = annotatorLabelCounts(s.votes, annotations.map((a) => a.label));
  const sc = model ? getScores(db, model.id, id) : null;
  const scores: FaceScores | null = sc && {
    predicted: sc.predictedLabel,
    klAnnotator: sc.klAnnotator,
    klParentChild: sc.klParentChild,
    voteEntropy: sc.voteEntropy,
    margin: sc.margin,
    maxSoftmax: sc.maxSoftmax,
    selfConfidence: sc.selfConfidence,
    misclassified: sc.misclassified,
    confidentLearningIssue: sc.confidentLearningIssue,
  };
  // The analysis records in each score row which predictions it used (analysis-scores.ts).
  const oof = model && sc?.extra?.source === 'out-of-fold' ? findOutOfFoldModel(db, model.id) : null;
  return {
    id: s.id,
    givenLabel: s.givenLabel,
    currentLabel: s.currentLabel,
    reviewed: s.reviewed,
    lastAction: s.lastAction as ReviewAction | null,
    split: s.split,
    dataset: s.dataset,
    sourceRef: s.sourceRef,
    width: s.width,
    height: s.height,
    originalPath: s.originalPath,
    valence: s.valence,
    arousal: s.arousal,
    annotations: annotations.map((a) => ({ annotator: a.annotator, label: a.label })),
    votes: s.votes,
    annotatorDistribution: classDistribution(counts),
    disagreement: disagreementOf(counts),
    training: duplicateNote(s.history) ?? trainingNote(s.currentLabel, s.lastAction, counts),
    history: s.history.map(toAuditEntry),
    model: model ? modelOutput(db, model, id) : null,
    outOfFold: oof ? modelOutput(db, oof, id) : null,
    scores,
    children: model ? listModels(db, { parentModelId: model.id }).map((c) => modelOutput(db, c, id)) : [],
    suggested: sc ? suggestionOf(sc.predictedLabel, sc.maxSoftmax, s.currentLabel) : null,
    tags: tagsOf(db, id),
  };
}
