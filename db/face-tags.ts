/**
 * Free tags on faces ("glasses", "check later"): a reviewer's own vocabulary, kept apart from
 * labels and the audit trail (a tag decides nothing about training). Adding a tag a face has, or
 * removing one it lacks, changes nothing. Tags are trimmed; 1..100 characters.
 */
import type { ProjectDb } from './connection.ts';

export const MAX_TAG_LENGTH = 100;

/** The tag trimmed; throws naming the problem when it is empty or too long. */
export function normaliseTag(tag: string): string {
  const t = tag.trim();
  if (t.length === 0) throw new Error('a tag must not be empty');
  if (t.length > MAX_TAG_LENGTH) throw new Error(`a tag is at most ${MAX_TAG_LENGTH} characters, got ${t.length}`);
  return t;
}

/** Tags the faces (one transaction); returns how many faces newly got the tag. Unknown face ids throw (foreign key). */
export function addTag(db: ProjectDb, sampleIds: readonly number[], tag: string): number {
  const t = normaliseTag(tag);
  const insert = db.stmt('INSERT OR IGNORE INTO face_tags (sample_id, tag) VALUES (?, ?)');
  return db.write(() => sampleIds.reduce((n, id) => n + insert.run(id, t).changes, 0));
}

/** Removes the tag from the faces; returns how many had it. */
export function removeTag(db: ProjectDb, sampleIds: readonly number[], tag: string): number {
  const t = normaliseTag(tag);
  const del = db.stmt('DELETE FROM face_tags WHERE sample_id = ? AND tag = ?');
  return db.write(() => sampleIds.reduce((n, id) => n + del.run(id, t).changes, 0));
}

/** One face's tags, alphabetically. */
export function tagsOf(db: ProjectDb, sampleId: number): string[] {
  return db.stmt<[number], string>('SELECT tag FROM face_tags WHERE sample_id = ? ORDER BY tag', 'pluck').all(sampleId);
}

/** Every tag in the project with its number of faces, alphabetically. */
export function listTags(db: ProjectDb): { tag: string; count: number }[] {
  return db.stmt<[], { tag: string; count: number }>('SELECT tag, count(*) AS count FROM face_tags GROUP BY tag ORDER BY tag').all();
}
