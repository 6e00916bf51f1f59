/**
 * Calibrates theta_G (METHOD 3.2): trains the first RBM layer of an Adaptive DBN on FER+ train
 * faces (read from ../shared/data/ferplus next to the repository, skipped when absent; or the
 * planted synthetic faces with --synthetic) with the default options and prints, per epoch, the
 * quantiles of the generation score (alpha_c wd_c)(alpha_W wd_W), the free energy per visible
 * unit and the walking distance mean, so theta_G can be set to split a few percent of units
 * early on. Usage: node --import tsx bench/calibrate-theta-g.ts [--rows 4096] [--units 64] [--epochs 6]
 */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { initBackend } from '../core/backend/init-backend.ts';
import { DEFAULT_RBM_OPTIONS, Rbm } from '../core/models/rbm/rbm.ts';
import { plantedTrainingData } from '../core/models/dbn/planted-data.ts';
import type { Matrix } from '../core/train/types.ts';
import { Rng } from '../core/util/rng.ts';

const argv = process.argv.slice(2);
const arg = (name: string, def: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : def);
const rows = arg('--rows', 4096);
const units = arg('--units', 64);
const epochs = arg('--epochs', 6);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function readFerPlus(n: number): Promise<Matrix | null> {
  const dir = path.resolve(repoRoot, '..', 'shared', 'data', 'ferplus', 'FER2013Train');
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith('.png')).sort().slice(0, n);
  const data = new Float32Array(files.length * 2304);
  for (let r = 0; r < files.length; r++) {
    const { data: px } = await sharp(path.join(dir, files[r])).greyscale().resize(48, 48).raw().toBuffer({ resolveWithObject: true });
    for (let i = 0; i < 2304; i++) data[r * 2304 + i] = px[i] / 255;
  }
  return { data, rows: files.length, cols: 2304 };
}

const quantile = (a: number[], q: number) => a[Math.min(a.length - 1, Math.floor(q * a.length))];

await initBackend();
let x = argv.includes('--synthetic') ? null : await readFerPlus(rows);
if (!x) {
  console.log('FER+ not found (or --synthetic): using planted synthetic faces');
  x = plantedTrainingData(rows, 0, 48, 1).x;
}
const rng = new Rng(1);
const rbm = Rbm.create(x.cols, units, DEFAULT_RBM_OPTIONS, rng);
for (let e = 1; e <= epochs; e++) {
  const t0 = performance.now();
  const s = rbm.trainEpoch(x, rng);
  const score = Array.from(s.wdC, (c, j) => c * s.wdW[j]).sort((a, b) => a - b);
  const dead = Array.from(s.meanActivation).filter((a) => a < 0.01).length;
  console.log(JSON.stringify({
    epoch: e, seconds: +((performance.now() - t0) / 1000).toFixed(2), recon: +s.reconError.toFixed(5), freeEnergyPerVisible: +(s.freeEnergy / x.cols).toFixed(4),
    score: { p50: quantile(score, 0.5), p90: quantile(score, 0.9), p95: quantile(score, 0.95), p97: quantile(score, 0.97), max: score[score.length - 1] },
    wdMean: score.reduce((a, b) => a + b, 0) / score.length, dead,
  }));
}
