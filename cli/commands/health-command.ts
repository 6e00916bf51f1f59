// `health`: duplicates within and across splits, image checks and outliers of a project.
import { resolve } from 'node:path';
import { HEALTH_MAX_NEAR_THRESHOLD, type HealthSummary } from '../../api/contract.ts';
import { computeHealth } from '../../electron/service/ops/health.ts';
import { openProject } from '../../db/connection.ts';
import { CliError } from '../cli-error.ts';
import { intOption, requireString, type Command } from '../command.ts';
import { createProgress } from '../progress.ts';

export const healthCommand: Command = {
  summary: 'dataset health: exact and near duplicates (within and across splits), blank/dark faces, outliers',
  usage: `affect-relearn health --project <file> [--near-threshold 4] [--model ID] [--json]

Hashes every face not hashed yet (cached in the project), then reports exact-duplicate groups
(byte-identical pixels) inside each split and across splits, near-duplicate pairs (perceptual
hashes within --near-threshold bits, 0..${HEALTH_MAX_NEAR_THRESHOLD}), blank, low-contrast and very dark faces, and the
most outlying faces: by the free energy of the first RBM layer of an Adaptive DBN (--model, default
the latest one trained on the project), with the distance of its first-layer features to the
global and class centroids, and always by the distance of the pixels to the mean face. With FER+ votes it also reports how well each score finds
the faces voted "not a face" (AUROC). The report is stored in the project for the Project view.`,
  options: { project: { type: 'string' }, 'near-threshold': { type: 'string' }, model: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const nearThreshold = intOption(values, 'near-threshold', 0);
    const modelId = intOption(values, 'model');
    if (nearThreshold !== undefined && nearThreshold > HEALTH_MAX_NEAR_THRESHOLD) throw new CliError(`--near-threshold must be at most ${HEALTH_MAX_NEAR_THRESHOLD} bits, got ${nearThreshold}`, 2);
    const db = openProject(path);
    try {
      const progress = createProgress('health');
      const report = await computeHealth(db, { nearThreshold, modelId, onProgress: (p) => progress.update(p.done, p.total, p.stage) });
      progress.done(`report ${report.id} stored (${report.summary.seconds} s)`);
      return { json: report.summary, text: formatHealth(report.summary) };
    } finally {
      db.close();
    }
  },
};

function formatHealth(s: HealthSummary): string {
  const e = s.exactDuplicates;
  const n = s.nearDuplicates;
  const c = s.imageChecks;
  const lines = [
    `${s.faces} faces checked in ${s.seconds} s`,
    `exact duplicates: ${e.groups} groups, ${e.redundantFaces} redundant faces; within train ${e.withinSplit.train}, valid ${e.withinSplit.valid}, test ${e.withinSplit.test}; ` +
      `across ${Object.entries(e.crossSplit).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `near duplicates (<= ${n.threshold} bits): ${n.pairs} pairs; within train ${n.withinSplit.train}, valid ${n.withinSplit.valid}, test ${n.withinSplit.test}; ` +
      `across ${Object.entries(n.crossSplit).map(([k, v]) => `${k} ${v}`).join(', ')}`,
    `image checks: ${c.blank} blank (std < ${c.thresholds.blankMaxStd}), ${c.lowContrast} low contrast (std < ${c.thresholds.lowContrastMaxStd}), ${c.dark} dark (mean < ${c.thresholds.darkMaxMean})`,
    `outliers (${s.outliers.score}${s.outliers.modelId === null ? '' : ` of model ${s.outliers.modelId}`}): ${s.outliers.scored} scored; top ${s.outliers.top.slice(0, 10).join(', ')}${s.outliers.top.length > 10 ? ', ...' : ''}`,
  ];
  if (s.notFace) {
    lines.push(`"not a face" detection (${s.notFace.positives} faces with ${s.notFace.definition} vs ${s.notFace.negatives}), AUROC:`);
    for (const [k, v] of Object.entries(s.notFace.auroc)) lines.push(`  ${k.padEnd(18)} ${v === null ? 'n/a' : v.toFixed(3)}`);
  }
  return lines.join('\n');
}
