/**
 * Reading FER+ vote counts from CSV fields (the per-folder label.csv and fer2013new.csv share
 * them): validate each count and reorder from the file's column names to label codes. FER+'s
 * votes come from anonymous crowd taggers, so they are stored as counts, never as annotators.
 */
import { NUM_LABEL_CODES } from '../../api/domain.ts';
import type { ImportIssue, LabelCode } from '../../api/domain.ts';
import { FERPLUS_VOTE_NAMES, labelCodeFromName } from './label-names.ts';

/** Label codes of vote columns named in a header (e.g. fer2013new.csv's), or the missing name. */
export function voteColumns(header: string[]): { columns: { index: number; code: LabelCode; name: string }[] } | { missing: string } {
  const columns: { index: number; code: LabelCode; name: string }[] = [];
  for (const name of FERPLUS_VOTE_NAMES) {
    const index = header.findIndex((h) => h.trim().toLowerCase() === name.toLowerCase());
    if (index < 0) return { missing: name };
    columns.push({ index, code: labelCodeFromName(name)!, name });
  }
  return { columns };
}

/** Vote counts (length NUM_LABEL_CODES, by label code) from the given columns of a row, or the issue. */
export function parseVotes(fields: string[], columns: { index: number; code: LabelCode; name: string }[], file: string, line: number): number[] | ImportIssue {
  const votes = new Array<number>(NUM_LABEL_CODES).fill(0);
  for (const c of columns) {
    const t = (fields[c.index] ?? '').trim();
    if (!/^\d+$/.test(t)) return { file, line, field: c.name, message: `vote count is not a non-negative integer: "${t}"` };
    votes[c.code] += Number(t);
  }
  return votes;
}

/** Parse FER+'s box text "(x, y, w, h)". */
export function parseBoxText(text: string): { x: number; y: number; width: number; height: number } | null {
  const m = /^\s*\(?\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)?\s*$/.exec(text);
  if (!m) return null;
  return { x: Number(m[1]), y: Number(m[2]), width: Number(m[3]), height: Number(m[4]) };
}
