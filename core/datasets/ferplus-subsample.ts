/**
 * Few-annotator FER+: a dataset like AffectNet has one to three labels per face, FER+ has ten.
 * To measure the method where it matters, the importer can keep K of each face's 10 votes,
 * drawn without replacement, as the face's only annotations; the full counts become reference
 * labels that only detection metrics and the simulated reviewer read (db/reference-votes.ts).
 *
 * The draw is seeded per face from (seed, sourceRef), not from a stream shared by all faces,
 * so an interrupted import that resumes draws exactly what the first run would have drawn.
 */
import { NUM_CLASSES, NUM_LABEL_CODES, type LabelCode } from '../../api/domain.ts';
import { Rng } from '../util/rng.ts';

export interface FewVotes {
  /** The K kept votes as counts by label code (sum K). */
  votes: number[];
  /** Plurality of the kept votes (ties broken by the seed); null when it is not an emotion class. */
  label: LabelCode | null;
}

/** FNV-1a of the text mixed with the seed: a 32-bit per-face seed. */
export function faceSeed(seed: number, key: string): number {
  let h = (0x811c9dc5 ^ (seed >>> 0)) >>> 0;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Keeps k of the votes (counts by label code), drawn without replacement with `rng`. */
export function drawVotes(counts: readonly number[], k: number, rng: Rng): number[] {
  if (counts.length !== NUM_LABEL_CODES) throw new Error(`drawVotes: expected ${NUM_LABEL_CODES} counts, got ${counts.length}`);
  const pool: number[] = [];
  counts.forEach((n, code) => {
    for (let j = 0; j < n; j++) pool.push(code);
  });
  const kept = new Array<number>(NUM_LABEL_CODES).fill(0);
  const take = Math.min(k, pool.length);
  // Partial Fisher-Yates: the first `take` entries become a uniform draw without replacement.
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(pool.length - i);
    [pool[i], pool[j]] = [pool[j], pool[i]];
    kept[pool[i]]++;
  }
  return kept;
}

/** The most frequent code among the counts; ties broken uniformly with `rng`. -1 when all are 0. */
export function pluralityCode(counts: readonly number[], rng: Rng): number {
  let best = 0;
  for (const n of counts) best = Math.max(best, n);
  if (best === 0) return -1;
  const tied: number[] = [];
  counts.forEach((n, code) => {
    if (n === best) tied.push(code);
  });
  return tied.length === 1 ? tied[0] : tied[rng.int(tied.length)];
}

/**
 * K of a face's votes and the label they give. The label is the plurality over all codes, so
 * a face whose kept vote is `unknown` or `NF` gets no class label (as FER+'s own majority rule
 * gives none), rather than the runner-up emotion that no kept vote chose.
 */
export function fewVotes(counts: readonly number[], k: number, seed: number, key: string): FewVotes {
  if (!(Number.isInteger(k) && k >= 1)) throw new Error(`votes per face must be an integer >= 1 (got ${k})`);
  const rng = new Rng(faceSeed(seed, key));
  const votes = drawVotes(counts, k, rng);
  const code = pluralityCode(votes, rng);
  return { votes, label: code >= 0 && code < NUM_CLASSES ? (code as LabelCode) : null };
}
