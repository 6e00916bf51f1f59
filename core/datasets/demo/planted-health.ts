/**
 * Dataset-health findings planted in the demo so the Health panel has something to find:
 * exact duplicates inside train and across every split combination, and blank images. A
 * planted duplicate is its source face whole (pixels, labels, annotators, truth) under its own
 * slot's id and split, as a face stored twice in a real dataset is; a blank keeps its slot's
 * labels with a flat image, as FER2013's blank images do. Slots beyond a split's size are
 * skipped, so small demo sets stay valid.
 */
import type { SampleRecord, Split } from '../../../api/domain.ts';

export interface PlantedDuplicate {
  split: Split;
  index: number;
  /** The face whose copy this slot holds (always in train). */
  of: { split: Split; index: number };
}

/** Groups: train 3+10, train 4+11+12, train 20+valid 5, train 21+test 7, train 22+valid 8+test 9. */
export const PLANTED_DUPLICATES: readonly PlantedDuplicate[] = [
  { split: 'train', index: 10, of: { split: 'train', index: 3 } },
  { split: 'train', index: 11, of: { split: 'train', index: 4 } },
  { split: 'train', index: 12, of: { split: 'train', index: 4 } },
  { split: 'valid', index: 5, of: { split: 'train', index: 20 } },
  { split: 'test', index: 7, of: { split: 'train', index: 21 } },
  { split: 'valid', index: 8, of: { split: 'train', index: 22 } },
  { split: 'test', index: 9, of: { split: 'train', index: 22 } },
];

/** Blank slots and their grey level: different levels, so the blanks are not duplicates of each other, and none dark. */
export const PLANTED_BLANKS: readonly { split: Split; index: number; level: number }[] = [
  { split: 'train', index: 30, level: 110 },
  { split: 'valid', index: 30, level: 140 },
  { split: 'test', index: 30, level: 170 },
];

export function plantedDuplicateAt(split: Split, index: number): PlantedDuplicate | undefined {
  return PLANTED_DUPLICATES.find((p) => p.split === split && p.index === index);
}

export function plantedBlankAt(split: Split, index: number): { level: number } | undefined {
  return PLANTED_BLANKS.find((p) => p.split === split && p.index === index);
}

/** The slot's record as a copy of `source`: its own id and split, the source's content, marked in `extra`. */
export function asDuplicate(slot: Pick<SampleRecord, 'sourceRef' | 'split'>, source: SampleRecord): SampleRecord {
  return { ...source, sourceRef: slot.sourceRef, split: slot.split, pixels: Uint8Array.from(source.pixels), extra: { ...source.extra, plantedDuplicateOf: source.sourceRef } };
}

/** The record with a flat image, marked in `extra`. */
export function asBlank(record: SampleRecord, level: number): SampleRecord {
  return { ...record, pixels: new Uint8Array(record.pixels.length).fill(level), extra: { ...record.extra, plantedBlank: true } };
}
