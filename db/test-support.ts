/**
 * Helpers for the db tests: throw-away project files in os.tmpdir() and synthetic sample
 * records from a seeded generator (no dataset images are needed to test the store).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabelCode, SampleRecord, Split } from '../api/domain.ts';
import { openProject, type OpenProjectOptions, type ProjectDb } from './connection.ts';

export interface TempDir {
  dir: string;
  file(name: string): string;
  remove(): void;
}

export function tempDir(prefix = 'affect-relearn-db-'): TempDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, file: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A new project in a new temp dir; `remove` closes it and deletes the dir. */
export function tempProject(options: OpenProjectOptions = {}): { db: ProjectDb; tmp: TempDir; remove(): void } {
  const tmp = tempDir();
  const db = openProject(tmp.file('project.sqlite'), { create: true, ...options });
  return {
    db,
    tmp,
    remove() {
      db.close();
      tmp.remove();
    },
  };
}

/** A small deterministic LCG so fixtures repeat exactly. */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

export interface RecordSpec {
  index: number;
  split?: Split;
  givenLabel?: LabelCode | null;
  size?: number;
  votes?: number[] | null;
  annotations?: { annotator: string; label: LabelCode }[];
  seed?: number;
}

/** A valid synthetic face record `demo-<index>` with seeded pixels. */
export function makeRecord(spec: RecordSpec): SampleRecord {
  const size = spec.size ?? 48;
  const rand = lcg(spec.seed ?? spec.index + 1);
  const pixels = new Uint8Array(size * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = Math.floor(rand() * 256);
  return {
    sourceRef: `demo-${spec.index}`,
    dataset: 'demo',
    split: spec.split ?? 'train',
    width: size,
    height: size,
    pixels,
    originalPath: `faces/${spec.index}.png`,
    faceBox: { x: 1, y: 2, width: size - 2, height: size - 3 },
    givenLabel: spec.givenLabel === undefined ? spec.index % 8 : spec.givenLabel,
    valence: 0.25,
    arousal: -0.5,
    annotations: spec.annotations ?? [],
    votes: spec.votes ?? null,
    extra: { truth: spec.index % 8 },
  };
}
