/**
 * Checks one SampleRecord before it is written, so a bad importer row becomes an import issue
 * naming its field instead of a constraint error that aborts a whole batch.
 */
import { DATASET_KINDS, NUM_LABEL_CODES, SPLITS, type SampleRecord } from '../api/domain.ts';
import type { InputSize } from './connection.ts';

export interface SampleProblem {
  field: string;
  message: string;
}

const isLabelCode = (v: unknown): boolean => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < NUM_LABEL_CODES;
const isFiniteOrNull = (v: unknown): boolean => v === null || (typeof v === 'number' && Number.isFinite(v));

/** The first problem of a record, or null when it can be stored. `inputSize` (when given) must match. */
export function findSampleProblem(r: SampleRecord, inputSize?: InputSize): SampleProblem | null {
  if (typeof r.sourceRef !== 'string' || r.sourceRef.length === 0) return { field: 'sourceRef', message: 'must be a non-empty string' };
  if (!(DATASET_KINDS as readonly string[]).includes(r.dataset)) return { field: 'dataset', message: `unknown dataset kind ${JSON.stringify(r.dataset)}` };
  if (!(SPLITS as readonly string[]).includes(r.split)) return { field: 'split', message: `must be one of ${SPLITS.join('/')}, got ${JSON.stringify(r.split)}` };
  if (!Number.isInteger(r.width) || !Number.isInteger(r.height) || r.width <= 0 || r.height <= 0) return { field: 'width', message: `bad size ${r.width}x${r.height}` };
  if (inputSize && (r.width !== inputSize.width || r.height !== inputSize.height)) {
    return { field: 'width', message: `image is ${r.width}x${r.height}, the project's input size is ${inputSize.width}x${inputSize.height}` };
  }
  if (!(r.pixels instanceof Uint8Array) || r.pixels.length !== r.width * r.height) {
    return { field: 'pixels', message: `expected ${r.width * r.height} grey bytes, got ${r.pixels?.length ?? 'none'}` };
  }
  if (r.givenLabel !== null && !isLabelCode(r.givenLabel)) return { field: 'givenLabel', message: `not a label code 0..11: ${r.givenLabel}` };
  if (!isFiniteOrNull(r.valence)) return { field: 'valence', message: `not a finite number: ${r.valence}` };
  if (!isFiniteOrNull(r.arousal)) return { field: 'arousal', message: `not a finite number: ${r.arousal}` };
  if (r.faceBox) {
    const b = r.faceBox;
    if (![b.x, b.y, b.width, b.height].every((v) => typeof v === 'number' && Number.isFinite(v)) || b.width <= 0 || b.height <= 0) {
      return { field: 'faceBox', message: `bad face box ${JSON.stringify(b)}` };
    }
  }
  const seen = new Set<string>();
  for (const a of r.annotations ?? []) {
    if (typeof a.annotator !== 'string' || !a.annotator) return { field: 'annotations', message: 'annotator name must be a non-empty string' };
    if (seen.has(a.annotator)) return { field: 'annotations', message: `annotator ${a.annotator} labels the face twice` };
    seen.add(a.annotator);
    if (!isLabelCode(a.label)) return { field: 'annotations', message: `annotator ${a.annotator}: not a label code 0..11: ${a.label}` };
  }
  if (r.votes !== null && r.votes !== undefined) {
    if (!Array.isArray(r.votes) || r.votes.length !== NUM_LABEL_CODES) return { field: 'votes', message: `expected ${NUM_LABEL_CODES} counts, got ${r.votes.length}` };
    if (!r.votes.every((v) => Number.isInteger(v) && v >= 0)) return { field: 'votes', message: `counts must be non-negative integers: ${r.votes.join(',')}` };
    if (r.votes.every((v) => v === 0)) return { field: 'votes', message: 'all counts are zero (use null for "no votes")' };
  }
  if (r.extra !== null && r.extra !== undefined && (typeof r.extra !== 'object' || Array.isArray(r.extra))) return { field: 'extra', message: 'must be an object or null' };
  return null;
}
