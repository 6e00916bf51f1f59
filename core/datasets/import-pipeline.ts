/**
 * The part every reader shares: options, and the driver that turns a reader's ordered stream
 * of tasks (a rejected row, a face already in the project, an image to decode) into
 * ImportItems. Decoding runs with a bounded number of images in flight, but items come out
 * strictly in input order, so a resumed or repeated import sees the same sequence; progress
 * is interleaved every `progressEvery` units of work. A decode never throws out of the driver:
 * a failure is an ImportIssue like any other bad row.
 */
import type { ImportIssue, ImportItem, SampleRecord } from '../../api/domain.ts';
import { configureSharpForBulkImport } from './face-image.ts';
import type { FaceSize, FitMode } from './face-image.ts';

export interface CommonImportOptions {
  /** Target size; a number means square. Default 48x48. */
  size?: FaceSize | number;
  /** Aspect handling when resizing (see face-image.ts). Default 'cover'. */
  fit?: FitMode;
  /** True for a sourceRef already in the project: not decoded, still counted as done. */
  skip?: (sourceRef: string) => boolean;
  /** Images decoded concurrently. Default 6. */
  concurrency?: number;
  /** Emit a progress item every this many rows. Default 500. */
  progressEvery?: number;
}

export interface ResolvedOptions {
  size: FaceSize;
  fit: FitMode;
  skip: (sourceRef: string) => boolean;
  concurrency: number;
  progressEvery: number;
}

export function resolveOptions(o: CommonImportOptions = {}): ResolvedOptions {
  const size = typeof o.size === 'number' ? { width: o.size, height: o.size } : (o.size ?? { width: 48, height: 48 });
  for (const v of [size.width, size.height]) {
    if (!Number.isInteger(v) || v < 1 || v > 4096) throw new Error(`import size must be an integer 1..4096, got ${v}`);
  }
  const concurrency = o.concurrency ?? 12;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  return { size, fit: o.fit ?? 'cover', skip: o.skip ?? (() => false), concurrency, progressEvery: Math.max(1, o.progressEvery ?? 500) };
}

/**
 * One unit of a reader's work, in input order. `unit` is how many rows it accounts for in
 * progress (0 for whole-file remarks such as a row-count mismatch).
 */
export type ImportTask =
  | { kind: 'items'; items: ImportItem[]; unit: number }
  | { kind: 'decode'; run: () => Promise<ImportItem[]>; unit: number };

export const issueTask = (issue: ImportIssue, unit = 1): ImportTask => ({ kind: 'items', items: [{ kind: 'issue', issue }], unit });
export const skippedTask = (): ImportTask => ({ kind: 'items', items: [], unit: 1 });
export const sampleItem = (record: SampleRecord): ImportItem => ({ kind: 'sample', record });
export const issueItem = (issue: ImportIssue): ImportItem => ({ kind: 'issue', issue });

/**
 * Run a reader's tasks with at most `concurrency` decodes in flight, yielding in input order.
 * `total` is read whenever progress is emitted, so a reader may refine its estimate.
 */
export async function* runImportTasks(tasks: AsyncIterable<ImportTask>, opts: ResolvedOptions, total: () => number | null): AsyncGenerator<ImportItem> {
  configureSharpForBulkImport();
  const queue: { unit: number; items: Promise<ImportItem[]> | ImportItem[] }[] = [];
  let inFlight = 0;
  let done = 0;
  let sinceProgress = 0;
  yield { kind: 'progress', done: 0, total: total() };

  const drainHead = async function* (): AsyncGenerator<ImportItem> {
    const head = queue.shift()!;
    const items = Array.isArray(head.items) ? head.items : await head.items;
    if (!Array.isArray(head.items)) inFlight--;
    yield* items;
    done += head.unit;
    sinceProgress += head.unit;
    if (sinceProgress >= opts.progressEvery) {
      sinceProgress = 0;
      yield { kind: 'progress', done, total: total() };
    }
  };

  for await (const task of tasks) {
    if (task.kind === 'items') {
      queue.push({ unit: task.unit, items: task.items });
    } else {
      inFlight++;
      const run = task.run;
      const p = (async () => {
        try {
          return await run();
        } catch (e) {
          return [issueItem({ file: '(import)', line: null, field: null, message: `unexpected error: ${(e as Error).message}` })];
        }
      })();
      queue.push({ unit: task.unit, items: p });
    }
    // Yield what is ready at the head; wait on the head only when too many decodes are pending.
    while (queue.length > 0 && (Array.isArray(queue[0].items) || inFlight >= opts.concurrency || queue.length > opts.concurrency * 4)) {
      yield* drainHead();
    }
  }
  while (queue.length > 0) yield* drainHead();
  // At the end the total is known exactly.
  yield { kind: 'progress', done, total: done };
}

/** FNV-1a 32-bit hash of a string: a stable, platform-independent basis for hold-out splits. */
export function stableHash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** True for the deterministic `fraction` of keys held out as validation (same key, same answer, every run). */
export function isHeldOut(key: string, fraction: number): boolean {
  if (fraction <= 0) return false;
  return stableHash(key) / 0x100000000 < fraction;
}

/** Parses a non-negative or any number field; returns null for empty or non-numeric text. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (t === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return null;
  return Number(t);
}
