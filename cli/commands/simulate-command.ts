// `simulate-review`: the label-cleaning curve of one review order (electron/service/ops/simulate-review.ts).
import { resolve } from 'node:path';
import { openProject } from '../../db/connection.ts';
import { getModel } from '../../db/model-store.ts';
import { SIMULATION_ORDERS, simulateReview, type SimulateResult, type SimulationOrder } from '../../electron/service/ops/simulate-review.ts';
import { CliError } from '../cli-error.ts';
import { intOption, requireString, type Command } from '../command.ts';

const pct = (v: number | null) => (v === null || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(2)}%`);

export function curveText(r: SimulateResult): string {
  const lines = [`review order ${r.order} (seed ${r.seed}), fresh parents trained like model ${r.parentModelId}; accuracy against the ${r.truth.valid} on valid (${r.validFaces} faces)${r.truth.test ? `, test (${r.testFaces} faces, reported only)` : ''}${r.devTestFaces ? `, dev-test (${r.devTestFaces} carved train faces, reference majority, reported only)` : ''}:`];
  lines.push(`  ${'reviewed'.padStart(8)} ${'relabelled'.padStart(10)} ${'ambiguous'.padStart(9)} ${'confirmed'.padStart(9)} ${'valid'.padStart(8)} ${'test'.padStart(8)}${r.devTestFaces ? ` ${'dev-test'.padStart(8)}` : ''}`);
  for (const p of r.points) {
    lines.push(`  ${String(p.reviewed).padStart(8)} ${String(p.relabelled).padStart(10)} ${String(p.markedAmbiguous).padStart(9)} ${String(p.confirmed).padStart(9)} ${pct(p.validAccuracy).padStart(8)} ${pct(p.testAccuracy).padStart(8)}${r.devTestFaces ? ` ${pct(p.devTestAccuracy ?? null).padStart(8)}` : ''}${p.reviewed === 0 ? '  (the parent)' : ''}`);
  }
  return lines.join('\n');
}

export const simulateReviewCommand: Command = {
  summary: 'label-cleaning curve: a simulated reviewer fixes the top-N train faces of an order, fresh parents retrain',
  usage: `affect-relearn simulate-review --project <file> --parent <id> --order <score|random> --budgets 500,1000,2000 [--seed S] [--json]

  --order    ${SIMULATION_ORDERS.join(' | ')}: a score of the parent (run analyze first), its
             suspicious end first, or a seeded random order
  --budgets  faces reviewed, comma-separated; the faces of a smaller budget are a prefix of a larger one
  --seed     random order's seed (1)

Needs reference labels (import ferplus --votes-per-face K): for each reviewed train face the
simulated reviewer sets the reference majority, or marks the face ambiguous when the reference
has none. For each budget a fresh parent with the parent's training configuration is trained on
the cleaned labels, in a scratch copy of the project that is deleted afterwards: the project's
own labels never change. Valid and test accuracy are measured against the reference majority;
test is only reported. The curve is kept for the report (one line per order).`,
  options: { project: { type: 'string' }, parent: { type: 'string' }, order: { type: 'string' }, budgets: { type: 'string' }, seed: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const parentId = intOption(values, 'parent');
    if (parentId === undefined) throw new CliError(`missing --parent\n\n${this.usage}`, 2);
    const order = requireString(values, 'order', this.usage);
    if (!(SIMULATION_ORDERS as readonly string[]).includes(order)) throw new CliError(`--order must be one of ${SIMULATION_ORDERS.join(', ')}, got ${order}`, 2);
    const budgets = requireString(values, 'budgets', this.usage).split(',').map((b) => Number(b.trim()));
    if (budgets.some((b) => !(Number.isInteger(b) && b > 0))) throw new CliError(`--budgets must be positive integers separated by commas, got ${String(values.budgets)}`, 2);
    const db = openProject(path);
    try {
      if (!getModel(db, parentId)) throw new CliError(`no model ${parentId} in ${path}`);
    } finally {
      db.close();
    }
    const r = await simulateReview(path, parentId, { order: order as SimulationOrder, budgets, seed: intOption(values, 'seed', 0), onProgress: (m) => process.stderr.write(`${m}\n`) });
    return { json: r, text: curveText(r) };
  },
};
