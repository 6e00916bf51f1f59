// `simulate-review`: the label-cleaning curve of one review order (electron/service/ops/simulate-review.ts).
import { resolve } from 'node:path';
import { openProject } from '../../db/connection.ts';
import { getModel } from '../../db/model-store.ts';
import { SIMULATION_ORDERS, simulateReview, type SimulateResult, type SimulationOrder } from '../../electron/service/ops/simulate-review.ts';
import { CliError } from '../cli-error.ts';
import { intOption, requireString, threadsOption, type Command } from '../command.ts';

const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(2)}%`);

/** Sample standard deviation of the runs' figure, in points; null with fewer than two runs. */
function spread(p: SimulateResult['points'][number], f: (x: SimulateResult['points'][number]['runs'][number]) => number | null): number | null {
  const xs = p.runs.map(f).filter((x): x is number => x !== null);
  if (xs.length < 2) return null;
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  return Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1)) * 100;
}

export function curveText(r: SimulateResult): string {
  const seeds = r.trainSeeds.length;
  const lines = [
    `review order ${r.order} (seed ${r.seed}), fresh parents trained like model ${r.parentModelId}${seeds ? ` with training seeds ${r.trainSeeds.join(', ')} (mean${seeds > 1 ? ' ± sd' : ''})` : ''}; accuracy against the ${r.truth.valid} on valid (${r.validFaces} faces)${r.truth.test ? `, test (${r.testFaces} faces, reported only)` : ''}${r.devTestFaces ? `, dev-test (${r.devTestFaces} carved train faces, reference majority, reported only)` : ''}:`,
  ];
  const w = seeds > 1 ? 15 : 8;
  const cell = (v: number | null, sd: number | null) => (sd === null ? pct(v) : `${pct(v)} ±${sd.toFixed(2)}`).padStart(w);
  lines.push(`  ${'reviewed'.padStart(8)} ${'relabelled'.padStart(10)} ${'ambiguous'.padStart(9)} ${'confirmed'.padStart(9)} ${'valid'.padStart(w)} ${'test'.padStart(w)}${r.devTestFaces ? ` ${'dev-test'.padStart(w)}` : ''}`);
  for (const p of r.points) {
    const parent = p.reviewed === 0 && !seeds ? '  (the parent)' : '';
    lines.push(
      `  ${String(p.reviewed).padStart(8)} ${String(p.relabelled).padStart(10)} ${String(p.markedAmbiguous).padStart(9)} ${String(p.confirmed).padStart(9)} ${cell(p.validAccuracy, spread(p, (x) => x.validAccuracy))} ${cell(p.testAccuracy, spread(p, (x) => x.testAccuracy))}${r.devTestFaces ? ` ${cell(p.devTestAccuracy, spread(p, (x) => x.devTestAccuracy))}` : ''}${parent}`,
    );
  }
  return lines.join('\n');
}

export const simulateReviewCommand: Command = {
  summary: 'label-cleaning curve: a simulated reviewer fixes the top-N train faces of an order, fresh parents retrain',
  usage: `affect-relearn simulate-review --project <file> --parent <id> --order <score|random> --budgets 500,1000,2000 [--seed S] [--train-seeds 1,2,3] [--fresh] [--threads N] [--json]

  --order    ${SIMULATION_ORDERS.join(' | ')}: a score of the parent (run analyze first), its
             suspicious end first, or a seeded random order
  --budgets  faces reviewed, comma-separated; the faces of a smaller budget are a prefix of a larger one
  --seed     random order's seed (1)
  --train-seeds S1,S2,...  train one fresh parent per seed at every budget, 0 included, and report
             their mean and spread (how much of a difference is training noise); default: one
             parent per budget with the parent's own seed, budget 0 being the parent itself
  --fresh    train every point again; by default a training an earlier simulation of this parent
             and order measured (same order of faces, same labels, same budget and seed) is reused
  --threads  runtime threads for the fresh parents (default: the parent's)

Needs reference labels (import ferplus --votes-per-face K): for each reviewed train face the
simulated reviewer sets the reference majority, or marks the face ambiguous when the reference
has none. For each budget a fresh parent with the parent's training configuration is trained on
the cleaned labels, in a scratch copy of the project that is deleted afterwards: the project's
own labels never change. Valid and test accuracy are measured against the reference majority;
test is only reported. The curve is kept for the report (one line per order); a later run
under the same order, labels and seeds adds its budgets to it, so --budgets 500 and then
--budgets 2000 draw one curve of both (printed and saved whole). Every fresh parent's figures
are recorded as its training finishes: an interrupted simulation, run again, resumes where it
stopped, and a run with more budgets or seeds trains only the new points.`,
  options: { project: { type: 'string' }, parent: { type: 'string' }, order: { type: 'string' }, budgets: { type: 'string' }, seed: { type: 'string' }, 'train-seeds': { type: 'string' }, fresh: { type: 'boolean' }, threads: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const parentId = intOption(values, 'parent');
    if (parentId === undefined) throw new CliError(`missing --parent\n\n${this.usage}`, 2);
    const order = requireString(values, 'order', this.usage);
    if (!(SIMULATION_ORDERS as readonly string[]).includes(order)) throw new CliError(`--order must be one of ${SIMULATION_ORDERS.join(', ')}, got ${order}`, 2);
    const budgets = requireString(values, 'budgets', this.usage).split(',').map((b) => Number(b.trim()));
    if (budgets.some((b) => !(Number.isInteger(b) && b > 0))) throw new CliError(`--budgets must be positive integers separated by commas, got ${String(values.budgets)}`, 2);
    const seedsText = values['train-seeds'];
    const trainSeeds = typeof seedsText === 'string' ? seedsText.split(',').map((x) => Number(x.trim())) : undefined;
    if (trainSeeds?.some((x) => !Number.isInteger(x))) throw new CliError(`--train-seeds must be integers separated by commas, got ${String(seedsText)}`, 2);
    const threads = threadsOption(values);
    const db = openProject(path);
    try {
      if (!getModel(db, parentId)) throw new CliError(`no model ${parentId} in ${path}`);
    } finally {
      db.close();
    }
    const r = await simulateReview(path, parentId, { order: order as SimulationOrder, budgets, seed: intOption(values, 'seed', 0), trainSeeds, fresh: values.fresh === true, threads, onProgress: (m) => process.stderr.write(`${m}\n`) });
    return { json: r, text: curveText(r) };
  },
};
