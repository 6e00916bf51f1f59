// A synthetic AffectNet tree for bench/scale.ts, laid out as the real one the importer reads:
// Manually_Annotated_file_lists/training.csv and validation.csv (subDirectory_filePath,
// face boxes, facial_landmarks, expression 0..10, valence, arousal) and
// Manually_Annotated_Images/<dir>/<file>.jpg. `distinct` grey JPEGs (96x96, blobs on noise) are
// encoded once and every listed image is a hard link to one of them, so 300,000 image files
// cost inodes, not 300,000 encodes or gigabytes; each row has its own face box, so the
// importer still decodes, crops and resizes a different face per row.
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import type { LabelCode, SampleRecord } from '../api/domain.ts';
import { isHeldOut } from '../core/datasets/import-pipeline.ts';
import type { ProjectDb } from '../db/connection.ts';
import { getProjectInfo } from '../db/project-store.ts';
import { insertSampleBatch } from '../db/sample-store.ts';

const SIDE = 96;
/** AffectNet's manual training set by expression (0..10), per 287,651 faces, rounded: the class shares are kept. */
const EXPRESSION_SHARE = [74874, 134415, 25459, 14090, 6378, 3803, 24882, 3750, 33088, 11645, 82414].map((n) => n / 414798);

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296;
}

function expression(u: number): number {
  let acc = 0;
  for (let k = 0; k < EXPRESSION_SHARE.length; k++) if (u < (acc += EXPRESSION_SHARE[k])) return k;
  return 0;
}

async function baseImage(seed: number): Promise<Buffer> {
  const r = lcg(seed + 1);
  const px = new Uint8Array(SIDE * SIDE);
  const blobs = Array.from({ length: 6 }, () => [r() * SIDE, r() * SIDE, 6 + r() * 18, r() * 255]);
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let v = 60 + r() * 40;
      for (const [bx, by, br, bv] of blobs) if ((x - bx) ** 2 + (y - by) ** 2 < br * br) v = (v + bv) / 2;
      px[y * SIDE + x] = v;
    }
  }
  return sharp(px, { raw: { width: SIDE, height: SIDE, channels: 1 } }).jpeg({ quality: 85 }).toBuffer();
}

export interface AffectNetTree {
  trainingRows: number;
  validationRows: number;
  distinctImages: number;
}

/** Writes the tree under `root`: `trainingRows` faces in training.csv and 1.4% as many in validation.csv (AffectNet's ratio). */
export async function generateAffectNetTree(root: string, trainingRows: number, distinct = 2000): Promise<AffectNetTree> {
  const lists = join(root, 'Manually_Annotated_file_lists');
  const images = join(root, 'Manually_Annotated_Images');
  mkdirSync(lists, { recursive: true });
  mkdirSync(join(images, 'base'), { recursive: true });
  const bases: string[] = [];
  for (let i = 0; i < distinct; i++) {
    const p = join(images, 'base', `b${i}.jpg`);
    writeFileSync(p, await baseImage(i));
    bases.push(p);
  }
  const r = lcg(7);
  const validationRows = Math.ceil(trainingRows * 0.014);
  const header = 'subDirectory_filePath,face_x,face_y,face_width,face_height,facial_landmarks,expression,valence,arousal\n';
  let i = 0;
  for (const [file, rows] of [['training.csv', trainingRows], ['validation.csv', validationRows]] as const) {
    const lines: string[] = [header];
    for (let k = 0; k < rows; k++, i++) {
      const sub = `${Math.floor(i / 1000)}`;
      if (i % 1000 === 0) mkdirSync(join(images, sub), { recursive: true });
      const rel = `${sub}/f${i}.jpg`;
      linkSync(bases[i % distinct], join(images, rel));
      const size = 60 + Math.floor(r() * 30);
      const x = Math.floor(r() * (SIDE - size)), y = Math.floor(r() * (SIDE - size));
      const va = (r() * 2 - 1).toFixed(3), ar = (r() * 2 - 1).toFixed(3);
      lines.push(`${rel},${x},${y},${size},${size},,${expression(r())},${va},${ar}\n`);
    }
    writeFileSync(join(lists, file), lines.join(''));
  }
  return { trainingRows, validationRows, distinctImages: distinct };
}

/**
 * The same faces without image files: `n` AffectNet records (48x48 pixels of blobs on noise,
 * expression by AffectNet's shares, the `affectnet` annotator's label, 5% of training held out
 * as valid, 1.4% as many test faces) inserted straight into the project, a batch a
 * transaction, for sizes where decoding every image would take longer than the measurement.
 */
export function insertAffectNetFaces(db: ProjectDb, n: number, batch = 5000): number {
  const r = lcg(11);
  const side = getProjectInfo(db).inputSize.width;
  const test = Math.ceil(n * 0.014);
  let done = 0;
  for (let start = 0; start < n + test; start += batch) {
    const records: SampleRecord[] = [];
    for (let i = start; i < Math.min(n + test, start + batch); i++) {
      const px = new Uint8Array(side * side);
      const bx = r() * side, by = r() * side, br = 4 + r() * 10, bv = r() * 255;
      for (let k = 0; k < px.length; k++) {
        const x = k % side, y = Math.floor(k / side);
        px[k] = (x - bx) ** 2 + (y - by) ** 2 < br * br ? bv : 60 + r() * 40;
      }
      const label = expression(r());
      const rel = `${Math.floor(i / 1000)}/f${i}.jpg`;
      records.push({
        sourceRef: `affectnet:${rel}`, dataset: 'affectnet', split: i >= n ? 'test' : isHeldOut(rel, 0.05) ? 'valid' : 'train',
        width: side, height: side, pixels: px, originalPath: rel, faceBox: { x: 0, y: 0, width: 96, height: 96 },
        givenLabel: label as LabelCode, valence: null, arousal: null, annotations: [{ annotator: 'affectnet', label: label as LabelCode }], votes: null, extra: null,
      });
    }
    done += insertSampleBatch(db, records).ids.length;
  }
  return done;
}
