/**
 * Face-map computation time on synthetic faces: N vectors of D dimensions drawn around 8
 * class centres (as a model's penultimate features are), laid out with the app's own
 * computeMap ('umap-features': PCA to 32 dimensions, then UMAP), or N random 48×48 images
 * ('pca-pixels'). Reports wall and CPU seconds per stage; the last line is one JSON object.
 * With --project P it instead computes and stores the real map of that project as the app does
 * (ops/face-map.ts: the pixels' PCA, or with --model M the UMAP of model M's features).
 * Usage: node --import tsx bench/face-map.ts [--n 300000] [--dims 256] [--method umap-features|pca-pixels] [--seed 1]
 *        node --import tsx bench/face-map.ts --project P [--model M] [--seed 1]
 */
import type { ModelId } from '../api/domain.ts';
import { computeMap, type MapMethod } from '../core/map/face-map.ts';
import { Rng } from '../core/util/rng.ts';
import { openProject } from '../db/connection.ts';
import { chooseRuntime } from '../electron/service/ops/engine-runtime.ts';
import { computeFaceMap } from '../electron/service/ops/face-map.ts';

const argv = process.argv.slice(2);
const valueOf = (flag: string, dflt: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : dflt);
const project = valueOf('--project', '');
if (project) {
  const modelId = argv.includes('--model') ? (Number(valueOf('--model', '0')) as ModelId) : null;
  const runtime = modelId === null ? null : await chooseRuntime();
  const db = openProject(project);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const stages: Record<string, number> = {};
  let last = '';
  const r = await computeFaceMap(db, { modelId, seed: Number(valueOf('--seed', '1')) }, (p) => {
    if (p.stage !== last) {
      stages[p.stage] = performance.now();
      last = p.stage;
      console.error(p.message);
    }
  });
  const cpu = process.cpuUsage(cpu0);
  db.close();
  console.log(JSON.stringify({ project, modelId, runtime: runtime?.name ?? null, faces: r.faces, seconds: { wall: (performance.now() - t0) / 1000, cpu: (cpu.user + cpu.system) / 1e6 }, stageStartsAt: Object.fromEntries(Object.entries(stages).map(([k, v]) => [k, +((v - t0) / 1000).toFixed(1)])) }));
  process.exit(0);
}
const n = Number(valueOf('--n', '300000'));
const method = valueOf('--method', 'umap-features') as MapMethod;
const d = method === 'pca-pixels' ? 48 * 48 : Number(valueOf('--dims', '256'));
const seed = Number(valueOf('--seed', '1'));

const rng = new Rng(seed);
const centres = Array.from({ length: 8 }, () => Float32Array.from({ length: d }, () => 2 * rng.normal()));
const x = new Float32Array(n * d);
for (let r = 0; r < n; r++) {
  const c = centres[r % 8];
  for (let j = 0; j < d; j++) x[r * d + j] = method === 'pca-pixels' ? rng.next() : Math.max(0, c[j] + rng.normal());
}

const stageStart = new Map<string, { wall: number; cpu: number }>();
const stages: Record<string, { wall: number; cpu: number }> = {};
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
let current = '';
const t0 = { wall: performance.now() / 1000, cpu: cpu() };
const mark = (stage: string) => {
  const now = { wall: performance.now() / 1000, cpu: cpu() };
  if (current) {
    const s = stageStart.get(current)!;
    stages[current] = { wall: now.wall - s.wall, cpu: now.cpu - s.cpu };
  }
  current = stage;
  stageStart.set(stage, now);
};
let lastLog = 0;
const { coords } = computeMap(x, n, d, method, {
  seed,
  onProgress: (p) => {
    if (p.stage !== current) mark(p.stage);
    const now = performance.now();
    if (now - lastLog > 10_000) {
      lastLog = now;
      console.error(`${p.stage} ${p.done}/${p.total}`);
    }
  },
});
mark('');
const total = { wall: performance.now() / 1000 - t0.wall, cpu: cpu() - t0.cpu };
let finite = 0;
for (const v of coords) if (Number.isFinite(v)) finite++;
console.log(JSON.stringify({ n, dims: d, method, seed, seconds: { total, stages }, finiteCoords: finite === coords.length }));
