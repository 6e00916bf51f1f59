/**
 * What a training run would train on, without training (`train --dry-run`): faces per target
 * class, how many train on a soft target, how many on a reviewer's decision, how many on
 * votes alone (no majority), and the faces left out and why. Built by the same loader and the
 * same seeded cap as the run itself (training-data.ts), so the plan cannot drift from what is
 * trained.
 */
import type { TrainingOptions } from '../../../api/contract.ts';
import { CLASS_NAMES } from '../../../api/domain.ts';
import { DEFAULT_REVIEWED_TARGET, TARGET_FROM_REVIEWER, TARGET_FROM_VOTES_ONLY } from '../../../core/train/training-targets.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { capRows, countSoftRows, loadTrainingSet, subsetTrainingSet } from './training-data.ts';
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
  const all = loadTrainingSet(db, rule);
  const n = all.train.ids.length;
  // The same seeded cap as loadProjectTrainingData, without loading the set a second time.
  const set = o.maxSamples && o.maxSamples < n ? subsetTrainingSet(all, capRows(Int32Array.from({ length: n }, (_, i) => i), o.maxSamples, o.seed ?? DEFAULT_SEED)) : all;
  const perClass = Object.fromEntries(CLASS_NAMES.map((c) => [c, 0]));
  for (const y of set.train.y) perClass[CLASS_NAMES[y]]++;
  return {
    softTargets: rule.useSoftTargets,
    reviewedTarget: rule.reviewedTarget,
    eligibleFaces: n,
    trainFaces: set.train.ids.length,
    perClass,
    softTargetRows: set.soft ? countSoftRows(set.soft) : 0,
    reviewerTargetRows: set.source.filter((s) => s === TARGET_FROM_REVIEWER).length,
    voteOnlyRows: set.source.filter((s) => s === TARGET_FROM_VOTES_ONLY).length,
    leftOut: all.targets.leftOut,
    validFaces: db.stmt<[], number>("SELECT count(*) FROM sample_labels WHERE split = 'valid' AND current_label BETWEEN 0 AND 7", 'pluck').get() ?? 0,
  };
}
