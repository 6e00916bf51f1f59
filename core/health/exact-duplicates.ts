/**
 * Exact-duplicate groups: faces whose stored pixels are identical, within and across splits.
 * Faces are bucketed by their pixel hash and every bucket is confirmed byte by byte, so a hash
 * collision splits into separate groups instead of merging different faces.
 */
import { SPLITS, type Split } from '../../api/domain.ts';

export interface HashedFace {
  id: number;
  split: Split;
  pixelHash: string;
}

export interface DuplicateGroup {
  /** Ascending; the first is the face a "keep one" decision keeps by default. */
  ids: number[];
  /** The distinct splits the group spans, in SPLITS order. */
  splits: Split[];
}

/** The split combinations a group can span, named as in the health report ("train+valid"). */
export const CROSS_SPLIT_KEYS = ['train+valid', 'train+test', 'valid+test', 'train+valid+test'] as const;
export type CrossSplitKey = (typeof CROSS_SPLIT_KEYS)[number];

export interface ExactDuplicateSummary {
  groups: number;
  /** Faces beyond the first of each group: how many faces would go if each group kept one. */
  redundantFaces: number;
  /** Groups inside one split. */
  withinSplit: Record<Split, number>;
  /** Groups spanning exactly these splits. */
  crossSplit: Record<CrossSplitKey, number>;
}

/** Groups of 2+ faces with identical pixels; `samePixels(a, b)` compares two faces' stored bytes. */
export function exactDuplicateGroups(faces: readonly HashedFace[], samePixels: (a: number, b: number) => boolean): DuplicateGroup[] {
  const byHash = new Map<string, HashedFace[]>();
  for (const f of faces) {
    const list = byHash.get(f.pixelHash);
    if (list) list.push(f);
    else byHash.set(f.pixelHash, [f]);
  }
  const groups: DuplicateGroup[] = [];
  for (const bucket of byHash.values()) {
    if (bucket.length < 2) continue;
    // Confirm: split the bucket into classes of byte-identical faces (one comparison per class head).
    const classes: HashedFace[][] = [];
    for (const f of bucket) {
      const cls = classes.find((c) => samePixels(c[0].id, f.id));
      if (cls) cls.push(f);
      else classes.push([f]);
    }
    for (const c of classes) {
      if (c.length < 2) continue;
      const ids = c.map((f) => f.id).sort((a, b) => a - b);
      const present = new Set(c.map((f) => f.split));
      groups.push({ ids, splits: SPLITS.filter((s) => present.has(s)) });
    }
  }
  return groups.sort((a, b) => a.ids[0] - b.ids[0]);
}

export function summariseExactDuplicates(groups: readonly DuplicateGroup[]): ExactDuplicateSummary {
  const withinSplit: Record<Split, number> = { train: 0, valid: 0, test: 0 };
  const crossSplit: Record<CrossSplitKey, number> = { 'train+valid': 0, 'train+test': 0, 'valid+test': 0, 'train+valid+test': 0 };
  let redundantFaces = 0;
  for (const g of groups) {
    redundantFaces += g.ids.length - 1;
    if (g.splits.length === 1) withinSplit[g.splits[0]]++;
    else crossSplit[g.splits.join('+') as CrossSplitKey]++;
  }
  return { groups: groups.length, redundantFaces, withinSplit, crossSplit };
}
