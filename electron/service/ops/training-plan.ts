/**
 * What a training run would train on, without training (`train --dry-run`): faces per target
 * class, how many train on a soft target, how many on a reviewer's decision, how many on
 * votes alone (no majority), and the faces left out and why. Built by the same loader as the
 * run itself (training-data.ts), so the plan cannot drift from what is trained.
 */
import type { TrainingOptions } from '../../../api/contract.ts';
import { CLASS_NAMES } from '../../../api/domain.ts';
import { DEFAULT_REVIEWED_TARGET } from '../../../core/train/training-targets.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { loadTrainingMatrix } from '../../../db/training-matrix.ts';
import { countSoftRows, loadProjectTrainingData, loadTrainingSet } from './training-data.ts';
import { DEFAULT_SEED } from './training-config.ts';

export interface TrainingPlan {
  softTargets: boolean;
  reviewedTarget: string;
  /** Train faces the target rule keeps (before --max-samples). */
  eligibleFaces: number;
  /** Faces a run trains on (after --max-samples). */
  trainFaces: number;
  perClass: Record<string, number>;
  softTargetRows: number;
  reviewerTargetRows: number;
  voteOnlyRows: number;
  leftOut: Record<string, number>;
  validFaces: number;
}

export function planTraining(db: ProjectDb, o: TrainingOptions): TrainingPlan {
  const rule = { useSoftTargets: o.softTargets ?? true, reviewedTarget: o.reviewedTarget ?? DEFAULT_REVIEWED_TARGET };
  const set = loadTrainingSet(db, rule);
  const loaded = set.train.ids.length > 0 ? loadProjectTrainingData(db, { ...rule, maxSamples: o.maxSamples, seed: o.seed ?? DEFAULT_SEED }) : null;
  const perClass = Object.fromEntries(CLASS_NAMES.map((c) => [c, 0]));
  if (loaded) for (const y of loaded.data.y) perClass[CLASS_NAMES[y]]++;
  return {
    softTargets: rule.useSoftTargets,
    reviewedTarget: rule.reviewedTarget,
    eligibleFaces: set.train.ids.length,
    trainFaces: loaded ? loaded.trainIds.length : 0,
    perClass,
    softTargetRows: loaded?.data.soft ? countSoftRows(loaded.data.soft) : 0,
    reviewerTargetRows: loaded?.reviewerRows ?? 0,
    voteOnlyRows: loaded?.voteOnlyRows ?? 0,
    leftOut: set.targets.leftOut,
    validFaces: loadTrainingMatrix(db, { split: 'valid', labels: 'current', onlyClassLabels: true }).ids.length,
  };
}
