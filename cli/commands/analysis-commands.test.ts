// The analyze / relearn / report commands check their arguments and name what is missing
// before any work starts (exit code 2 for usage, 1 for a bad project reference).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openProject } from '../../db/connection.ts';
import { CliError } from '../cli-error.ts';
import { COMMANDS } from './index.ts';

let dir: string;
let project: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'ar-cli-analysis-'));
  project = join(dir, 'empty.arproj');
  openProject(project, { create: true, name: 'empty' }).close();
});
after(() => rmSync(dir, { recursive: true, force: true }));

async function fails(name: string, values: Record<string, unknown>, code: number, message: RegExp): Promise<void> {
  await assert.rejects(COMMANDS[name].run({ project, ...values }, []), (e: unknown) => {
    assert.ok(e instanceof CliError, String(e));
    assert.equal(e.exitCode, code);
    assert.match(e.message, message);
    return true;
  });
}

test('the three commands are registered with usage text', () => {
  for (const name of ['analyze', 'relearn', 'report']) {
    assert.ok(COMMANDS[name], name);
    assert.match(COMMANDS[name].usage, new RegExp(`affect-relearn ${name} --project`));
  }
  assert.match(COMMANDS.relearn.usage, /--generation-epochs/);
});

test('analyze: a missing or unknown model and a bad fold count are refused', async () => {
  await fails('analyze', {}, 2, /missing --model/);
  await fails('analyze', { model: '7' }, 1, /no model 7 in/);
  await fails('analyze', { model: '0' }, 2, /--model must be an integer >= 1/);
  await fails('analyze', { model: 'x' }, 2, /--model must be an integer/);
});

test('relearn: a missing parent and bad options are refused', async () => {
  await fails('relearn', {}, 2, /missing --parent/);
  await fails('relearn', { parent: '3' }, 1, /no model 3 in/);
  await fails('relearn', { parent: '3', combine: 'vote' }, 2, /--combine must be one of kl-argmax, kl-mix, gate, got vote/);
  await fails('relearn', { parent: '3', threads: '0' }, 2, /--threads must be an integer from 1 to 256, got 0/);
  await fails('analyze', { model: '3', threads: '257' }, 2, /--threads must be an integer from 1 to 256, got 257/);
  await fails('analyze', { model: '3', threads: '1.5' }, 2, /--threads must be an integer from 1 to 256, got 1\.5/);
});

test('report: exactly one of --run and --model, and an --out file', async () => {
  await fails('report', { out: join(dir, 'r.html') }, 2, /exactly one of --run and --model/);
  await fails('report', { out: join(dir, 'r.html'), run: '1', model: '1' }, 2, /exactly one/);
  await fails('report', { run: '1' }, 2, /missing --out/);
  await fails('report', { out: join(dir, 'r.html'), run: '4' }, 1, /no run 4 in/);
  await fails('report', { out: join(dir, 'r.html'), model: '4' }, 1, /no model 4 in/);
});
