/**
 * The folds a k-fold analysis has finished, kept as each one finishes, so that an analysis
 * that was interrupted (a crash, a kill, a cancel, the app closed an hour into five CNN folds)
 * trains only the folds it had not finished when it is run again.
 *
 * One file per parent and fold count, `<project>.models/analysis-folds/model-<id>-<k>fold.json`,
 * rewritten atomically after every fold (temp file + rename) and removed once the out-of-fold
 * predictions are in the project. A fold is reused only when the analysis would train exactly
 * the same fold model: the same train faces in the same order (a hash of their ids), the same
 * labels (the label version) and the same fold assignment (a hash of it). A file that cannot be
 * read, or that was written for other faces or labels, is set aside under another name, never
 * deleted, and the analysis trains every fold.
 */
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NUM_CLASSES, type ModelId } from '../../../api/domain.ts';
import { writeFileAtomic } from './export-target.ts';

export interface FoldKey {
  labelVersion: number;
  /** sequenceHash (core/util/sequence-hash.ts) of the train face ids, in the pool's order. */
  facesHash: string;
  /** sequenceHash of each face's fold index. */
  foldsHash: string;
}

interface CheckpointFile extends FoldKey {
  version: 1;
  modelId: number;
  folds: number;
  /** Fold index -> the held-out faces' probabilities (float32, little-endian, base64), in the fold's row order. */
  done: Record<string, string>;
}

/** The folds a checkpoint holds and the label version it was written for, without checking it against the faces; null when none can be read. */
export function peekFoldCheckpoint(modelsDir: string, modelId: ModelId | number, folds: number): { done: number; labelVersion: number } | null {
  try {
    const f = JSON.parse(readFileSync(checkpointPath(modelsDir, modelId, folds), 'utf8')) as Partial<CheckpointFile>;
    if (f.version !== 1 || typeof f.done !== 'object' || f.done === null || typeof f.labelVersion !== 'number') return null;
    return { done: Object.keys(f.done).length, labelVersion: f.labelVersion };
  } catch {
    return null;
  }
}

function checkpointPath(modelsDir: string, modelId: ModelId | number, folds: number): string {
  return join(modelsDir, 'analysis-folds', `model-${modelId}-${folds}fold.json`);
}

export class FoldCheckpoints {
  readonly file: string;
  private done: Record<string, string> = {};
  /** Set when an old file was moved aside: where it went and why. */
  readonly setAside: { to: string; reason: string } | null = null;

  constructor(modelsDir: string, private readonly modelId: ModelId | number, private readonly folds: number, private readonly key: FoldKey) {
    this.file = checkpointPath(modelsDir, modelId, folds);
    if (!existsSync(this.file)) return;
    let reason: string | null = null;
    try {
      const f = JSON.parse(readFileSync(this.file, 'utf8')) as Partial<CheckpointFile>;
      if (f.version !== 1 || f.modelId !== Number(modelId) || f.folds !== folds || typeof f.done !== 'object' || f.done === null) reason = 'not a fold checkpoint of this model';
      else if (f.labelVersion !== key.labelVersion) reason = `written for label version ${String(f.labelVersion)}, the labels are now at ${key.labelVersion}`;
      else if (f.facesHash !== key.facesHash || f.foldsHash !== key.foldsHash) reason = 'written for other train faces or another fold assignment';
      else this.done = f.done as Record<string, string>;
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    if (reason !== null) {
      const to = `${this.file}.set-aside-${Date.now()}`;
      renameSync(this.file, to);
      this.setAside = { to, reason };
    }
  }

  /** The held-out probabilities of a finished fold (rows x NUM_CLASSES), or null. */
  get(fold: number, rows: number): Float32Array | null {
    const b64 = this.done[String(fold)];
    if (b64 === undefined) return null;
    const buf = Buffer.from(b64, 'base64');
    if (buf.byteLength !== rows * NUM_CLASSES * 4) return null;
    const out = new Float32Array(rows * NUM_CLASSES);
    for (let i = 0; i < out.length; i++) out[i] = buf.readFloatLE(i * 4);
    return out;
  }

  /** Records a finished fold and writes the file at once. */
  put(fold: number, probs: Float32Array): void {
    const buf = Buffer.alloc(probs.length * 4);
    for (let i = 0; i < probs.length; i++) buf.writeFloatLE(probs[i], i * 4);
    this.done[String(fold)] = buf.toString('base64');
    const f: CheckpointFile = { version: 1, modelId: Number(this.modelId), folds: this.folds, ...this.key, done: this.done };
    writeFileAtomic(this.file, JSON.stringify(f));
  }

  /** Once the out-of-fold predictions are stored in the project. */
  remove(): void {
    rmSync(this.file, { force: true });
  }
}
