/**
 * Quick learning experiment on a project (e.g. the demo project): trains one model kind through
 * the same data loading as the training job and prints every epoch's metrics, so a learning
 * problem can be seen in a minute instead of a full run. Usage:
 *   node --import tsx bench/demo-learning.ts <project.arproj> <cnn|adbn|dbn> '<trainer config JSON>' [maxSamples] [seed]
 */
import { initBackend } from '../core/backend/init-backend.ts';
import { registerCnnTrainerKind } from '../core/models/cnn/index.ts';
import { createTrainer } from '../core/train/create-trainer.ts';
import type { ModelKind } from '../core/train/types.ts';
import { openProject } from '../db/connection.ts';
import { loadProjectTrainingData } from '../electron/service/ops/training-data.ts';

const [path, kind, json, maxArg, seedArg] = process.argv.slice(2);
if (!path || !kind) throw new Error("usage: demo-learning.ts <project> <cnn|adbn|dbn> '<config JSON>' [maxSamples] [seed]");
const backend = await initBackend();
console.log(`backend ${backend.name}`);
registerCnnTrainerKind();
const seed = seedArg ? Number(seedArg) : 1;
const db = openProject(path);
const { data } = loadProjectTrainingData(db, { useSoftTargets: true, maxSamples: maxArg ? Number(maxArg) : undefined, seed });
db.close();
const trainer = createTrainer(kind as ModelKind, json ? JSON.parse(json) : {}, data, seed);
const t0 = performance.now();
while (!trainer.done) {
  const r = await trainer.step();
  const m = Object.entries(r.metrics).map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(4)}`).join(' ');
  console.log(`${r.epoch} ${r.phase} ${r.seconds.toFixed(1)}s units=[${r.units.join(',')}] ${m}${r.events.length ? ' events=' + JSON.stringify(r.events) : ''}`);
}
console.log(`total ${((performance.now() - t0) / 1000).toFixed(1)}s`);
trainer.dispose();
