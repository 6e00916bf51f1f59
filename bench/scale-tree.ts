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
