/**
 * An experiment, not a test: trains the Adaptive DBN (default options, METHOD.md defaults and
 * the calibrated thresholds) on a slice of FER+ train faces with soft targets from the 10
 * votes, validates on FER+ valid faces with a majority label, and prints every epoch report
 * (units per layer, structure events, metrics). FER+ is read from ../shared/data/ferplus next
 * to the repository. Usage:
 *   node --import tsx bench/adbn-ferplus-smoke.ts [--train 4096] [--valid 1000] [--epochs-per-layer 6] [--finetune 10] [--lr 1e-3]
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { initBackend } from '../core/backend/init-backend.ts';
import { createDbnTrainer } from '../core/models/dbn/dbn-factory.ts';
import type { TrainingData } from '../core/train/types.ts';

const argv = process.argv.slice(2);
const arg = (name: string, def: number) => (argv.includes(name) ? Number(argv[argv.indexOf(name) + 1]) : def);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(repoRoot, '..', 'shared', 'data', 'ferplus');
// FER+ vote order -> our class ids (neutral, happy, sad, surprise, fear, disgust, anger, contempt).
const FERPLUS_TO_CLASS = [0, 1, 3, 2, 6, 5, 4, 7];

async function readSplit(folder: string, limit: number) {
  const dir = path.join(root, folder);
  const rows = readFileSync(path.join(dir, 'label.csv'), 'utf8').trim().split('\n');
  const x: number[] = [];
  const y: number[] = [];
  const soft: number[] = [];
  for (const line of rows) {
    if (y.length >= limit) break;
    const m = /^([^,]+),"[^"]*",(.*)$/.exec(line);
    if (!m) continue;
    const votes = m[2].split(',').map(Number);
    const cls = new Array(8).fill(0);
    votes.slice(0, 8).forEach((v, k) => (cls[FERPLUS_TO_CLASS[k]] += v));
    const total = cls.reduce((a, b) => a + b, 0);
    const best = cls.indexOf(Math.max(...cls));
    if (total === 0 || cls[best] * 2 <= total) continue; // FER+ majority rule
    const file = path.join(dir, m[1]);
    if (!existsSync(file)) continue;
    const px = await sharp(file).greyscale().resize(48, 48).raw().toBuffer();
    for (let i = 0; i < 2304; i++) x.push(px[i] / 255);
    y.push(best);
    soft.push(...cls.map((c) => c / total));
  }
  return { x: { data: Float32Array.from(x), rows: y.length, cols: 2304 }, y: Int32Array.from(y), soft: Float32Array.from(soft) };
}

if (!existsSync(root)) {
  console.log(`FER+ not found at ${path.relative(repoRoot, root)}: nothing to do`);
  process.exit(0);
}
const backend = await initBackend();
const train = await readSplit('FER2013Train', arg('--train', 4096));
const valid = await readSplit('FER2013Valid', arg('--valid', 1000));
const data: TrainingData = { x: train.x, y: train.y, soft: train.soft, valid: { x: valid.x, y: valid.y }, height: 48, width: 48 };
const counts = new Array(8).fill(0);
for (const c of valid.y) counts[c]++;
console.log(JSON.stringify({ backend: backend.name, train: train.y.length, valid: valid.y.length, majorityBaseline: Math.max(...counts) / valid.y.length }));
const trainer = createDbnTrainer('adbn', { maxEpochsPerLayer: arg('--epochs-per-layer', 6), fineTuneEpochs: arg('--finetune', 10), mlp: { learningRate: arg('--lr', 1e-3) } }, data, 1);
while (!trainer.done) {
  const r = await trainer.step();
  const metrics = Object.fromEntries(Object.entries(r.metrics).map(([k, v]) => [k, +v.toPrecision(4)]));
  console.log(JSON.stringify({ epoch: r.epoch, phase: r.phase, units: r.units, events: r.events, metrics, seconds: +r.seconds.toFixed(1) }));
}
