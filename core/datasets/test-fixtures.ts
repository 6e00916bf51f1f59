/**
 * Helpers for the importer tests: synthetic images with a distinctive patch (so a test can tell
 * whether the right region was cropped), temp folders, and collecting an import stream.
 * Test support only; no importer depends on it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { ImportIssue, ImportItem, SampleRecord } from '../../api/domain.ts';

export function makeTempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface PatchSpec {
  /** Region whose left half is `left` grey and right half `right` grey; the rest is `background`. */
  x: number;
  y: number;
  width: number;
  height: number;
  left: number;
  right: number;
  background: number;
}

/** Grey pixels of a width x height image with the patch drawn in. */
export function patchPixels(width: number, height: number, p: PatchSpec): Uint8Array {
  const px = new Uint8Array(width * height).fill(p.background);
  for (let y = p.y; y < p.y + p.height; y++) {
    for (let x = p.x; x < p.x + p.width; x++) px[y * width + x] = x < p.x + p.width / 2 ? p.left : p.right;
  }
  return px;
}

/** Write grey pixels as an RGB JPEG or PNG (RGB so the importer's grey conversion is exercised). */
export async function writeImage(path: string, width: number, height: number, grey: Uint8Array, format: 'jpeg' | 'png'): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < grey.length; i++) rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = grey[i];
  const img = sharp(rgb, { raw: { width, height, channels: 3 } });
  await (format === 'jpeg' ? img.jpeg({ quality: 95 }) : img.png()).toFile(path);
}

export function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** Mean of a rectangle of a row-major grey image. */
export function meanOf(px: Uint8Array, width: number, x0: number, y0: number, x1: number, y1: number): number {
  let s = 0;
  for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += px[y * width + x];
  return s / ((x1 - x0) * (y1 - y0));
}

/** Largest absolute difference between two pixel arrays of the same length (asserts the length). */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length, 'pixel arrays of different lengths');
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

export interface Collected {
  items: ImportItem[];
  samples: SampleRecord[];
  issues: ImportIssue[];
  progress: { done: number; total: number | null }[];
}

export async function collect(stream: AsyncIterable<ImportItem>): Promise<Collected> {
  const c: Collected = { items: [], samples: [], issues: [], progress: [] };
  for await (const item of stream) {
    c.items.push(item);
    if (item.kind === 'sample') c.samples.push(item.record);
    else if (item.kind === 'issue') c.issues.push(item.issue);
    else c.progress.push({ done: item.done, total: item.total });
  }
  return c;
}
