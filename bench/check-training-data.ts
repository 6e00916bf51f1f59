/**
 * Sanity experiment: are the labels and soft targets the training job loads aligned with the
 * images? Fits a plain softmax regression on 2x2-pooled pixels through the same
 * loadProjectTrainingData the job uses and reports valid accuracy, plus how often the soft
 * target's arg-max equals the hard label. Usage:
 *   node --import tsx bench/check-training-data.ts <project.arproj> [maxSamples]
 */
import { openProject } from '../db/connection.ts';
import { toFloat32 } from '../core/train/matrix-rows.ts';
import { loadProjectTrainingData } from '../electron/service/ops/training-data.ts';

const [path, maxArg] = process.argv.slice(2);
if (!path) throw new Error('usage: check-training-data.ts <project.arproj> [maxSamples]');
const db = openProject(path);
const { data, softRows } = loadProjectTrainingData(db, { useSoftTargets: true, maxSamples: maxArg ? Number(maxArg) : undefined, seed: 1 });
db.close();
const { height: h, width: w } = data;
const ph = Math.floor(h / 2), pw = Math.floor(w / 2), d = ph * pw + 1;
const pool = (x: Float32Array, rows: number): Float32Array => {
  const out = new Float32Array(rows * d);
  for (let r = 0; r < rows; r++) {
    for (let y = 0; y < ph; y++) for (let xx = 0; xx < pw; xx++) {
      const b = r * h * w;
      out[r * d + y * pw + xx] = (x[b + 2 * y * w + 2 * xx] + x[b + 2 * y * w + 2 * xx + 1] + x[b + (2 * y + 1) * w + 2 * xx] + x[b + (2 * y + 1) * w + 2 * xx + 1]) / 4;
    }
    out[r * d + d - 1] = 1;
  }
  // standardise columns with train statistics later
  return out;
};
const xt = pool(toFloat32(data.x), data.x.rows), n = data.x.rows;
const mean = new Float32Array(d), sd = new Float32Array(d).fill(1);
for (let j = 0; j < d - 1; j++) { let s = 0, s2 = 0; for (let i = 0; i < n; i++) { s += xt[i * d + j]; s2 += xt[i * d + j] ** 2; } mean[j] = s / n; sd[j] = Math.sqrt(Math.max(1e-6, s2 / n - mean[j] ** 2)); }
const std = (x: Float32Array, rows: number) => { for (let i = 0; i < rows; i++) for (let j = 0; j < d - 1; j++) x[i * d + j] = (x[i * d + j] - mean[j]) / sd[j]; };
std(xt, n);
let agree = 0, softN = 0;
if (data.soft) for (let i = 0; i < n; i++) { const row = data.soft.subarray(i * 8, i * 8 + 8); if (!(row[0] >= 0)) continue; softN++; let a = 0; for (let c = 1; c < 8; c++) if (row[c] > row[a]) a = c; if (a === data.y[i]) agree++; }
const W = new Float32Array(d * 8);
const lr = 0.05, lambda = 1e-3;
const probs = (x: Float32Array, i: number, p: Float64Array) => { let m = -Infinity; for (let c = 0; c < 8; c++) { let z = 0; for (let j = 0; j < d; j++) z += x[i * d + j] * W[j * 8 + c]; p[c] = z; m = Math.max(m, z); } let s = 0; for (let c = 0; c < 8; c++) { p[c] = Math.exp(p[c] - m); s += p[c]; } for (let c = 0; c < 8; c++) p[c] /= s; };
const p = new Float64Array(8);
for (let ep = 0; ep < 30; ep++) {
  for (let i = 0; i < n; i++) {
    probs(xt, i, p);
    for (let c = 0; c < 8; c++) { const g = p[c] - (c === data.y[i] ? 1 : 0); for (let j = 0; j < d; j++) W[j * 8 + c] -= (lr / (1 + ep)) * (g * xt[i * d + j] + lambda * W[j * 8 + c]); }
  }
}
const acc = (x: Float32Array, y: Int32Array, rows: number) => { let ok = 0; for (let i = 0; i < rows; i++) { probs(x, i, p); let a = 0; for (let c = 1; c < 8; c++) if (p[c] > p[a]) a = c; if (a === y[i]) ok++; } return ok / rows; };
const out: Record<string, number> = { train: n, softRows, softArgmaxEqualsLabel: softN ? agree / softN : NaN, trainAccuracy: acc(xt, data.y, n) };
if (data.valid) { const xv = pool(toFloat32(data.valid.x), data.valid.x.rows); std(xv, data.valid.x.rows); out.validAccuracy = acc(xv, data.valid.y, data.valid.x.rows); out.valid = data.valid.x.rows; }
console.log(JSON.stringify(out));
