/**
 * "Duplicate of face N" review decisions (issue 13): keeping one face of an exact-duplicate
 * group appends, for every byte-identical twin, an 'ambiguous' decision naming the kept face
 * (db/relabel-store.ts recordDuplicateDecision), so the twins leave training by the same path
 * as ambiguous faces, with the audit trail and undo.
 */
import { ApiError, type KeepOneParams, type KeepOneResult } from '../../../api/contract.ts';
import type { SampleId } from '../../../api/domain.ts';
import type { ProjectDb } from '../../../db/connection.ts';
import { samplePixels } from '../../../db/health-store.ts';
import { labelHistory, recordDuplicateDecision } from '../../../db/relabel-store.ts';
import { fillHashCache } from './health.ts';
import { toAuditEntry } from './review-face.ts';
import { labelState } from './review.ts';

/**
 * Faces with exactly the pixels of `id` (hash index, then byte comparison), ascending, without
 * `id`. `fill` false: only among faces already hashed (none before the first health check), so
 * showing a face in Review never starts hashing a whole project.
 */
export async function exactTwins(db: ProjectDb, id: number, opts: { fill?: boolean } = {}): Promise<SampleId[]> {
  if (opts.fill !== false) await fillHashCache(db);
  samplePixels(db, id); // throws, naming the face, when it does not exist
  const hash = db.stmt<[number], string>('SELECT pixel_hash FROM sample_hashes WHERE sample_id = ?', 'pluck').get(id);
  if (hash === undefined) return [];
  const own = samplePixels(db, id);
  return db
    .stmt<[string, number], number>('SELECT sample_id FROM sample_hashes WHERE pixel_hash = ? AND sample_id <> ? ORDER BY sample_id', 'pluck')
    .all(hash, id)
    .filter((t) => samplePixels(db, t).equals(own)) as SampleId[];
}

/** The latest effective decision of a face says "duplicate of `of`". */
function alreadyDuplicateOf(db: ProjectDb, id: number, of: number): boolean {
  const effective = labelHistory(db, id).filter((d) => d.action !== 'undo' && d.undoneById === null);
  const last = effective[effective.length - 1];
  return last !== undefined && last.duplicateOf === of;
}

export async function keepOne(db: ProjectDb, p: KeepOneParams): Promise<KeepOneResult> {
  const twins = await exactTwins(db, p.keep);
  if (twins.length === 0) throw new ApiError('invalid_params', `face ${p.keep} has no exact duplicate in this project`);
  const decisions = twins
    .filter((t) => !alreadyDuplicateOf(db, t, p.keep))
    .map((t) => toAuditEntry(recordDuplicateDecision(db, { sampleId: t, of: p.keep, reviewer: p.reviewer, note: p.note ?? null })));
  return { kept: p.keep, decisions, twins, faces: twins.map((t) => labelState(db, t)) };
}
