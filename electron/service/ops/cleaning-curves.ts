/**
 * Label-cleaning curves kept for the report: each `simulate-review` result is saved as
 * `<project>.models/cleaning-curves/parent-<id>-<order>.json` (temp file + rename, so a crash
 * leaves the previous curve or none), one file per parent and order, the newest replacing the
 * last. The report draws every order of a parent as one line.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { CleaningCurveSchema } from '../../../api/contract.ts';
import type { ModelId } from '../../../api/domain.ts';
import type { SimulateResult } from './simulate-review.ts';
import { writeFileAtomic } from './export-target.ts';

const DIR = 'cleaning-curves';

export function saveCleaningCurve(modelsDir: string, r: SimulateResult): string {
  const file = join(modelsDir, DIR, `parent-${r.parentModelId}-${r.order}.json`);
  // The project's one atomic write (temp file beside it, fsync, rename; the temp removed on failure).
  writeFileAtomic(file, JSON.stringify(r, null, 1));
  return file;
}

export function listCleaningCurves(modelsDir: string, parentId: ModelId | number): SimulateResult[] {
  const dir = join(modelsDir, DIR);
  if (!existsSync(dir)) return [];
  const prefix = `parent-${parentId}-`;
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.json'))
    .sort()
    .map((f) => {
      try {
        // Through the schema, so a curve saved before a field existed reads with its default.
        return v.parse(CleaningCurveSchema, JSON.parse(readFileSync(join(dir, f), 'utf8'))) as SimulateResult;
      } catch (e) {
        throw new Error(`${join(dir, f)}: not a readable cleaning curve (${e instanceof Error ? e.message : String(e)})`);
      }
    });
}
