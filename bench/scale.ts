// Benchmark (not a test): affect-relearn at AffectNet's size. Generates a synthetic AffectNet
// tree (bench/scale-tree.ts: training.csv and validation.csv with face boxes, JPEG images) in
// the OS temp folder, then measures with the real programs:
//   - import through the CLI's AffectNet importer (faces/s from image files, peak RSS),
//   - the project file's size, opening it and its summary (a fresh process), the first review page,
//   - a DBN run (one RBM epoch per layer, one fine-tuning epoch) and a CNN epoch through the CLI
//     (peak RSS of the process by /usr/bin/time -v, seconds per epoch from the run's records),
//     with relabel round-trips timed from this process while the run trains and writes predictions,
//   - a 2-fold analysis of the DBN model.
// The last line of stdout is one JSON object with every number.
//
// With --import-faces M (< faces) the import is measured on an M-face tree and the N-face
// project is built by inserting the same kind of faces directly (bench/scale-tree.ts), for a
// machine too loaded to decode N images in the time at hand.
//
//   node --import tsx bench/scale.ts [--faces 300000] [--import-faces M] [--skip dbn|cnn,analysis] [--keep]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { openProject } from '../db/connection.ts';
import { AppService } from '../electron/service/app-service.ts';
import { generateAffectNetTree, insertAffectNetFaces } from './scale-tree.ts';

const argv = process.argv.slice(2);
const valueOf = (flag: string) => (argv.includes(flag) ? argv[argv.indexOf(flag) + 1] : undefined);
const N = Number(valueOf('--faces') ?? 300_000);
const IMPORT_N = Number(valueOf('--import-faces') ?? N);
const skip = new Set((valueOf('--skip') ?? '').split(',').filter(Boolean));
const KEEP = argv.includes('--keep');
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'bin', 'affect-relearn.js');
/** --skip dbn: stop after opening (the runs and analysis need the DBN model). */
class SkipRest extends Error {}

const out: Record<string, unknown> = { faces: N, load_average_at_start: loadavg()[0] };
const log = (s: string) => console.log(s);

interface Measured {
  code: number;
  stdout: string;
  wallSeconds: number;
  /** Peak resident set of the process, bytes (GNU time's "Maximum resident set size"). */
  peakRss: number;
}

/** Runs the CLI under /usr/bin/time -v at nice 10; stderr (progress) is dropped but the time report. */
function cli(args: string[]): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('nice', ['-n', '10', '/usr/bin/time', '-v', process.execPath, CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr = (stderr + d).slice(-20_000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr);
      if (!m) return reject(new Error(`no time report from ${args.join(' ')}:\n${stderr}`));
      if (code !== 0) process.stderr.write(stderr);
      resolve({ code: code ?? -1, stdout, wallSeconds: (performance.now() - t0) / 1000, peakRss: Number(m[1]) * 1024 });
    });
  });
}

const mb = (b: number) => `${(b / 2 ** 20).toFixed(0)} MB`;
const pct = (a: number[], p: number) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor((a.length * p) / 100))] : NaN);

/** Relabel + undo round-trips through the service every 250 ms until `done` resolves; split by whether predictions were being written. */
async function relabelsDuring(service: AppService, projectPath: string, done: Promise<unknown>): Promise<Record<string, number>> {
  const probe = openProject(projectPath);
  const face = probe.stmt<[], number>('SELECT id FROM samples ORDER BY id LIMIT 1', 'pluck').get() as never;
  const predictionRows = () => probe.stmt<[], number>('SELECT COUNT(*) FROM predictions', 'pluck').get() ?? 0;
  let finished = false;
  void done.finally(() => (finished = true));
  const all: number[] = [];
  const whileWriting: number[] = [];
  let lastCount = predictionRows();
  let failed = 0;
  for (let k = 0; !finished; k++) {
    const t = performance.now();
    try {
      await service.call('labels.relabel', { sampleId: face, action: 'relabel', label: 2 + (k % 2), reviewer: 'bench' });
      all.push(performance.now() - t);
      await service.call('labels.undo', { reviewer: 'bench' });
    } catch {
      failed++;
    }
    const count = predictionRows();
    if (count > lastCount) whileWriting.push(all[all.length - 1]);
    lastCount = count;
    await new Promise((r) => setTimeout(r, 250));
  }
  probe.close();
  return {
    relabels: all.length, relabel_median_ms: pct(all, 50), relabel_p95_ms: pct(all, 95), relabel_max_ms: Math.max(...all),
    relabels_while_writing_predictions: whileWriting.length, relabel_writing_median_ms: pct(whileWriting, 50), relabel_writing_p95_ms: pct(whileWriting, 95),
    relabel_writing_max_ms: whileWriting.length ? Math.max(...whileWriting) : NaN, relabels_failed: failed,
  };
}

/** Opening in a fresh process (as the app does on start): open + summary, and the first review page. */
function openInFreshProcess(path: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'scale-open.ts'), path], { stdio: ['ignore', 'pipe', 'inherit'] });
    let s = '';
    child.stdout.on('data', (d) => (s += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(s.trim().split('\n').pop()!)) : reject(new Error(`scale-open exited ${code}`))));
  });
}

async function train(service: AppService, path: string, model: string, extra: string[]): Promise<{ id: number; m: Measured; epochs: { epoch: number; phase: string; seconds: number }[]; relabel: Record<string, number> }> {
  const run = cli(['train', '--project', path, '--model', model, ...extra, '--json']);
  const relabel = await relabelsDuring(service, path, run);
  const m = await run;
  if (m.code !== 0) throw new Error(`train ${model} exited ${m.code}`);
  const j = JSON.parse(m.stdout) as { id: number; epochs: { epoch: number; phase: string; seconds: number }[] };
  return { id: j.id, m, epochs: j.epochs.map((e) => ({ epoch: e.epoch, phase: e.phase, seconds: e.seconds })), relabel };
}

const dir = mkdtempSync(join(tmpdir(), 'affect-relearn-scale-'));
const project = join(dir, 'scale.arproj');
log(`scale benchmark: ${N} faces in ${dir}`);
try {
  let t = performance.now();
  const tree = await generateAffectNetTree(join(dir, 'AffectNet'), IMPORT_N);
  out.generate_seconds = (performance.now() - t) / 1000;
  out.images = tree;
  log(`generated ${tree.trainingRows} + ${tree.validationRows} rows (${tree.distinctImages} distinct JPEGs, hard-linked) in ${(out.generate_seconds as number).toFixed(0)} s`);

  const imported = join(dir, IMPORT_N < N ? 'imported.arproj' : 'scale.arproj');
  const imp = await cli(['import', 'affectnet', join(dir, 'AffectNet'), '--project', imported, '--json']);
  if (imp.code !== 0) throw new Error(`import exited ${imp.code}`);
  const accepted = (JSON.parse(imp.stdout) as { accepted: number }).accepted;
  out.import = { faces: accepted, seconds: imp.wallSeconds, faces_per_second: accepted / imp.wallSeconds, peak_rss: imp.peakRss, load_average: loadavg()[0] };
  log(`import: ${accepted} faces in ${imp.wallSeconds.toFixed(1)} s = ${(accepted / imp.wallSeconds).toFixed(0)} faces/s, peak RSS ${mb(imp.peakRss)} (load ${loadavg()[0].toFixed(1)})`);
  if (IMPORT_N < N) {
    rmSync(join(dir, 'AffectNet'), { recursive: true, force: true });
    t = performance.now();
    const db = openProject(project, { create: true, name: 'scale', inputSize: { height: 48, width: 48 } });
    const n = insertAffectNetFaces(db, N);
    db.close();
    out.direct_insert = { faces: n, seconds: (performance.now() - t) / 1000 };
    log(`inserted ${n} faces directly in ${((performance.now() - t) / 1000).toFixed(0)} s`);
  }
  const faces = IMPORT_N < N ? (out.direct_insert as { faces: number }).faces : accepted;
  out.project_bytes = statSync(project).size;
  out.pixel_bytes = faces * 48 * 48;
  log(`project ${mb(out.project_bytes as number)} (pixels ${mb(out.pixel_bytes as number)})`);

  out.open = await openInFreshProcess(project);
  log(`open (fresh process): ${JSON.stringify(out.open)}`);

  const service = new AppService({ transport: 'test', configDir: join(dir, 'config'), backend: async () => null });
  await service.openProject(project);
  try {
    if (skip.has('dbn')) throw new SkipRest();
    const dbn = await train(service, project, 'dbn', ['--pretrain-epochs', '1', '--epochs', '1']);
    out.dbn = { peak_rss: dbn.m.peakRss, wall_seconds: dbn.m.wallSeconds, epochs: dbn.epochs, ...dbn.relabel };
    log(`dbn: peak RSS ${mb(dbn.m.peakRss)}, ${dbn.m.wallSeconds.toFixed(0)} s, epochs ${dbn.epochs.map((e) => `${e.phase} ${e.seconds.toFixed(1)} s`).join(', ')}; relabel ${JSON.stringify(dbn.relabel)}`);

    t = performance.now();
    const page = await service.call('faces.listForReview', { modelId: dbn.id as never, sort: 'kl_annotator', limit: 100, withCounts: true });
    out.first_review_page_with_model_ms = performance.now() - t;
    log(`first review page with the model (100 faces + counts of ${page.counts?.total}): ${(out.first_review_page_with_model_ms as number).toFixed(1)} ms`);

    if (!skip.has('cnn')) {
      const cnn = await train(service, project, 'cnn', ['--epochs', '1']);
      out.cnn = { peak_rss: cnn.m.peakRss, wall_seconds: cnn.m.wallSeconds, epochs: cnn.epochs, ...cnn.relabel };
      log(`cnn: peak RSS ${mb(cnn.m.peakRss)}, ${cnn.m.wallSeconds.toFixed(0)} s, epochs ${cnn.epochs.map((e) => `${e.seconds.toFixed(1)} s`).join(', ')}; relabel ${JSON.stringify(cnn.relabel)}`);
    }
    if (!skip.has('analysis')) {
      const a = await cli(['analyze', '--project', project, '--model', String(dbn.id), '--folds', '2', '--json']);
      out.analysis = { folds: 2, seconds: a.wallSeconds, peak_rss: a.peakRss, code: a.code };
      log(`analysis (2 folds of the DBN): ${a.wallSeconds.toFixed(0)} s, peak RSS ${mb(a.peakRss)}`);
    }
  } catch (err) {
    if (!(err instanceof SkipRest)) throw err;
  } finally {
    await service.closeProject();
  }
  out.project_bytes_after = statSync(project).size;
} finally {
  if (KEEP) log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
out.load_average_at_end = loadavg()[0];
console.log(JSON.stringify(out));
