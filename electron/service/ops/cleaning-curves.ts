/**
 * Label-cleaning curves kept for the report: `<project>.models/cleaning-curves/parent-<id>-<order>.json`,
 * one file per parent and order (temp file + rename, so a crash leaves the previous curve or none).
 * A simulation measured under the same conditions as the saved curve (the same order of faces,
 * labels, random-order seed, training seeds and measured faces) adds its budgets to it, a budget
 * measured again replacing the old point: running `simulate-review --budgets 500` and later
 * `--budgets 2000` draws both. Anything else replaces the curve. The report draws every order of
 * a parent as one line.
 */
import { existsSync, readdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { CleaningCurveSchema } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import type { SimulateResult } from './simulate-review.ts';
import { writeFileAtomic } from './export-target.ts';

const DIR = 'cleaning-curves';

/** True when two curves' points were measured under the same conditions and belong on one line. */
function sameCurveConditions(a: SimulateResult, b: SimulateResult): boolean {
  return (
    a.orderHash !== null && a.orderHash === b.orderHash && a.labelVersion !== null && a.labelVersion === b.labelVersion &&
    a.parentModelId === b.parentModelId && a.order === b.order && a.seed === b.seed &&
    a.trainSeeds.length === b.trainSeeds.length && a.trainSeeds.every((s, i) => s === b.trainSeeds[i]) &&
    a.truth.valid === b.truth.valid && a.truth.test === b.truth.test &&
    a.validFaces === b.validFaces && a.testFaces === b.testFaces && a.devTestFaces === b.devTestFaces
  );
}

/** A saved curve, through the schema (so a curve saved before a field existed reads with its default). */
function readCurve(file: string): SimulateResult {
  try {
    return v.parse(CleaningCurveSchema, JSON.parse(readFileSync(file, 'utf8'))) as SimulateResult;
  } catch (e) {
    throw new Error(`${file}: not a readable cleaning curve (${e instanceof Error ? e.message : String(e)})`);
  }
}

/**
 * Saves a simulation's curve, merged with the saved one when both were measured under the same
 * conditions; returns the curve as saved and how many of its points came from earlier runs.
 */
export function saveCleaningCurve(modelsDir: string, r: SimulateResult): { file: string; curve: SimulateResult; earlierPoints: number } {
  const file = join(modelsDir, DIR, `parent-${r.parentModelId}-${r.order}.json`);
  let saved: SimulateResult | null = null;
  if (existsSync(file)) {
    try {
      saved = readCurve(file);
    } catch {
      // A curve that cannot be read is kept under another name, not overwritten.
      renameSync(file, `${file}.unreadable-${Date.now()}`);
    }
  }
  const earlier = saved && sameCurveConditions(saved, r) ? saved.points.filter((p) => !r.points.some((q) => q.reviewed === p.reviewed)) : [];
  const curve: SimulateResult = { ...r, points: [...earlier, ...r.points].sort((a, b) => a.reviewed - b.reviewed) };
  // The project's one atomic write (temp file beside it, fsync, rename; the temp removed on failure).
  writeFileAtomic(file, JSON.stringify(curve, null, 1));
  return { file, curve, earlierPoints: earlier.length };
}

export function listCleaningCurves(modelsDir: string, parentId: ModelId | number): SimulateResult[] {
  const dir = join(modelsDir, DIR);
  if (!existsSync(dir)) return [];
  const prefix = `parent-${parentId}-`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => readCurve(join(dir, f)));
}
