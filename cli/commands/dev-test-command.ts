// `carve-dev-test`: hold out a seeded, stratified fraction of train for measurements only.
import { resolve } from 'node:path';
import { carveDevTest } from '../../electron/service/ops/dev-test.ts';
import { CliError } from '../cli-error.ts';
import { intOption, numOption, requireString, type Command } from '../command.ts';

export const carveDevTestCommand: Command = {
  summary: 'hold out a seeded fraction of train as a dev-test no fit or choice reads',
  usage: `affect-relearn carve-dev-test --project <file> --fraction F [--seed S] [--json]

  --fraction F  share of every label's train faces held out (0 < F < 1), e.g. 0.1
  --seed S      draw seed (1)

The faces stay in the train split but no trainer (parent, fold models, children), confusion
group, tau choice or gate fitting reads them; relearn reports parent and parent + children on
them. One carve per project, before any model is trained.`,
  options: { project: { type: 'string' }, fraction: { type: 'string' }, seed: { type: 'string' } },
  async run(values) {
    const path = resolve(requireString(values, 'project', this.usage));
    const fraction = numOption(values, 'fraction');
    if (fraction === undefined) throw new CliError(`missing --fraction\n\n${this.usage}`, 2);
    if (!(fraction < 1)) throw new CliError(`--fraction must be below 1, got ${fraction}`, 2);
    const seed = intOption(values, 'seed', 0) ?? 1;
    try {
      const r = carveDevTest(path, { fraction, seed });
      return { json: r, text: `dev-test: ${r.faces} of ${r.trainFaces} train faces held out (fraction ${r.fraction}, seed ${r.seed})` };
    } catch (e) {
      if (e instanceof Error && /already has|model\(s\) trained|train split is empty/.test(e.message)) throw new CliError(e.message, 1);
      throw e;
    }
  },
};
